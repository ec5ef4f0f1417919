import { useState, type FormEvent } from 'react';
import type { AuditCheckpoint, AuditVerification } from '../../../shared/model';
import { callCore } from '../safehouse';
import { useCoreQuery } from '../useCore';
import { ErrorNotice } from './EmptyState';
import { plural } from '../format';

/** The audit trail's verification: intact or exactly what is wrong, and a checkpoint to keep off the laptop. */
export function AuditPanel() {
  const [verification, reload] = useCoreQuery('audit.verify', {});
  return (
    <section className="panel-section audit" aria-labelledby="audit-title">
      <div className="row">
        <h2 id="audit-title" className="grow">
          Audit trail
        </h2>
        <button type="button" onClick={reload}>
          Verify again
        </button>
      </div>
      {verification.state === 'loading' && <p aria-busy="true">Verifying the hash chain and signatures…</p>}
      {verification.state === 'error' && <ErrorNotice message={verification.error.message} />}
      {verification.state === 'ready' && <AuditResult result={verification.value} />}
      <CheckpointExport />
    </section>
  );
}

function AuditResult({ result }: { result: AuditVerification }) {
  return (
    <div className={`audit-result ${result.intact ? 'intact' : 'broken'}`} role="status">
      <strong>{result.intact ? 'Intact' : 'Tampered or damaged'}</strong>
      <span>
        {plural(result.entries, 'entry', 'entries')}, hash-chained and signed
        {result.head ? `; head #${result.head.seq} ${result.head.hash.slice(0, 16)}…` : ''}.
        {result.checkpoint && (result.checkpoint.matched ? ` Matches the checkpoint at #${result.checkpoint.seq}.` : ` Does not match the checkpoint at #${result.checkpoint.seq}.`)}
      </span>
      {result.problems.length > 0 && (
        <ul>
          {result.problems.map((problem, index) => (
            <li key={index}>
              {problem.seq !== null ? `#${problem.seq} ` : ''}
              {problem.kind}: {problem.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function CheckpointExport() {
  const [out, setOut] = useState('');
  const [done, setDone] = useState<AuditCheckpoint | null>(null);
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    const result = await callCore('audit.exportCheckpoint', { out });
    if (result.ok) setDone(result.value);
    else setError(result.error.message);
  };
  return (
    <form className="row wrap checkpoint" onSubmit={submit} aria-label="Export a checkpoint">
      <label className="grow">
        Checkpoint file (keep it away from this laptop)
        <input value={out} onChange={(event) => setOut(event.target.value)} placeholder="/media/USB/safehouse-checkpoint.json" autoComplete="off" />
      </label>
      <button type="submit" disabled={out.trim() === ''}>
        Export checkpoint
      </button>
      {done && <p role="status">Checkpoint at entry #{done.seq} written and signed.</p>}
      {error && <ErrorNotice message={error} />}
    </form>
  );
}
