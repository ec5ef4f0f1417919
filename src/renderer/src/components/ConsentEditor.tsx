import { useState, type FormEvent } from 'react';
import type { ConsentChange, ConsentState, SubjectDetail } from '../../../shared/model';
import { callCore } from '../safehouse';
import { ConsentBadge } from './Badges';
import { Dialog } from './Dialog';
import { ErrorNotice } from './EmptyState';
import { RecallList } from './RecallList';

const states: { value: ConsentState; label: string }[] = [
  { value: 'given', label: 'Given' },
  { value: 'conditional', label: 'Conditional' },
  { value: 'pending', label: 'Pending' },
  { value: 'withdrawn', label: 'Withdrawn' },
];

/**
 * Consent is a history, never overwritten: the editor shows every record and appends a new one. Withdrawing
 * asks first, then shows every export that held the subject so the producer can recall it.
 */
export function ConsentEditor({ subject, onChanged }: { subject: SubjectDetail; onChanged: (subject: SubjectDetail) => void }) {
  // No default: one careless click must never record consent (least of all just after a withdrawal).
  const [state, setState] = useState<ConsentState | ''>('');
  const [scope, setScope] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [recall, setRecall] = useState<ConsentChange['recall'] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const record = async () => {
    if (state === '') return;
    setBusy(true);
    setError(null);
    const result = await callCore('subjects.setConsent', { id: subject.id, state, ...(scope.trim() ? { scope: scope.trim() } : {}) });
    setBusy(false);
    setConfirming(false);
    if (!result.ok) {
      setError(result.error.message);
      return;
    }
    setScope('');
    setState('');
    setRecall(state === 'withdrawn' ? result.value.recall : null);
    onChanged(result.value.subject);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (state === 'withdrawn') setConfirming(true);
    else void record();
  };

  // Newest first, by the recorded time (not by whatever order the list arrived in); the top row is current.
  const history = subject.consentHistory
    .map((entry, index) => ({ entry, index }))
    .sort((a, b) => b.entry.recordedAt.localeCompare(a.entry.recordedAt) || b.index - a.index)
    .map(({ entry }) => entry);
  return (
    <section className="panel-section" aria-labelledby="consent-title">
      <h3 id="consent-title">Consent</h3>
      {recall && (
        <div className="withdrawn-notice" role="alert">
          <strong>Consent withdrawn. Every clip with {subject.pseudonym} is now blocked and its proxy is being rebuilt fully hidden.</strong>
          <RecallList recall={recall} title="Exports to recall" lede="These exports held them. Ask each recipient to delete these files." />
        </div>
      )}
      {history.length === 0 ? (
        <p className="muted">No consent recorded yet: every clip they appear in stays fully hidden and needs review.</p>
      ) : (
        <table className="clip-table consent-history" aria-label="Consent history">
          <thead>
            <tr>
              <th scope="col">State</th>
              <th scope="col">Scope</th>
              <th scope="col">Recorded by</th>
              <th scope="col">When</th>
            </tr>
          </thead>
          <tbody>
            {history.map((entry, index) => (
              <tr key={`${entry.recordedAt}-${index}`} className={index === 0 ? 'current' : 'past'}>
                <td>
                  <ConsentBadge state={entry.state} />
                  {index === 0 && <span className="visually-hidden"> (current)</span>}
                </td>
                <td>{entry.scope || '—'}</td>
                <td>{entry.recordedBy || '—'}</td>
                <td>{new Date(entry.recordedAt).toLocaleString()}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form className="row wrap consent-form" onSubmit={submit} aria-label="Record consent">
        <label>
          New consent state
          <select value={state} onChange={(event) => setState(event.target.value as ConsentState | '')} required>
            <option value="" disabled>
              Choose what they said…
            </option>
            {states.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </label>
        <label className="grow">
          Scope
          <input value={scope} onChange={(event) => setScope(event.target.value)} maxLength={4000} placeholder="e.g. voice only; face may be shown in the final film" />
        </label>
        <button type="submit" className={state === 'withdrawn' ? 'danger' : 'primary'} disabled={busy || state === ''}>
          {state === 'withdrawn' ? 'Withdraw consent…' : 'Record consent'}
        </button>
      </form>
      <p className="hint">Each change is added to the history and the audit trail; earlier records are kept.</p>
      {error && <ErrorNotice message={error} />}
      {confirming && (
        <Dialog title={`Withdraw consent for ${subject.pseudonym}?`} onClose={() => setConfirming(false)} className="danger-dialog">
          <p>
            Every clip they appear in ({subject.appearances.length === 1 ? '1 clip' : `${subject.appearances.length} clips`}) is blocked at once and can no
            longer be exported. Their proxies are rebuilt fully hidden. Only new consent reopens them.
          </p>
          <p>After this, Safehouse lists every past export that contained them, so you can recall it.</p>
          <div className="row end">
            <button type="button" onClick={() => setConfirming(false)} data-autofocus>
              Keep consent
            </button>
            <button type="button" className="danger" onClick={() => void record()} disabled={busy}>
              {busy ? 'Withdrawing…' : 'Withdraw and block clips'}
            </button>
          </div>
        </Dialog>
      )}
    </section>
  );
}
