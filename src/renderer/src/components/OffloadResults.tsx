import { useState } from 'react';
import type { OffloadResult } from '../../../shared/model';
import { callCore } from '../safehouse';
import { ErrorNotice } from './EmptyState';

const statusText: Record<string, string> = {
  verified: 'Verified',
  quarantined: 'Quarantined',
  failed: 'Failed',
  skipped: 'Already in vault',
  pending: 'Not verified',
};

/** The end of an offload: per-file results, and an unmistakable answer to "can I wipe this card?". */
export function OffloadResults({ result, cardPath }: { result: OffloadResult; cardPath: string }) {
  const [wipe, setWipe] = useState<{ state: 'idle' | 'confirm' | 'working' } | { state: 'done'; deleted: number; kept: number }>({ state: 'idle' });
  const [error, setError] = useState<string | null>(null);
  const { verified, quarantined, failed, skipped } = result.counts;

  const doWipe = async () => {
    setWipe({ state: 'working' });
    const answer = await callCore('card.wipe', { path: cardPath });
    if (answer.ok) setWipe({ state: 'done', deleted: answer.value.deleted.length, kept: answer.value.kept.length });
    else {
      setError(answer.error.message);
      setWipe({ state: 'idle' });
    }
  };

  return (
    <div className="offload-results">
      <div className={`wipe-banner ${result.safeToWipe ? 'safe' : 'unsafe'}`} role="status">
        <strong>{result.safeToWipe ? 'Safe to wipe' : 'Not safe to wipe'}</strong>
        <span>
          {result.safeToWipe
            ? 'Every clip on this card is in the vault and was read back and checked.'
            : 'Some files are not safely in the vault yet. Fix what is listed below and offload the card again.'}
        </span>
      </div>
      <p>
        {verified} verified · {quarantined} quarantined · {failed} failed · {skipped} already in the vault
      </p>
      <table className="clip-table">
        <thead>
          <tr>
            <th scope="col">File</th>
            <th scope="col">Clip</th>
            <th scope="col">Result</th>
            <th scope="col">Removed</th>
            <th scope="col">Why</th>
          </tr>
        </thead>
        <tbody>
          {result.results.map((entry) => (
            <tr key={entry.file}>
              <td>{entry.file}</td>
              <td>{entry.code ?? '—'}</td>
              <td>
                <span className={`status status-${entry.status}`}>{statusText[entry.status] ?? entry.status}</span>
              </td>
              <td>{entry.findings.location + entry.findings.identity + entry.findings.device > 0 ? `${entry.findings.location} location, ${entry.findings.identity} identity, ${entry.findings.device} device` : '—'}</td>
              <td className="reason">{entry.reason ?? ''}</td>
            </tr>
          ))}
          {result.notIngested
            .filter((entry) => entry.kind !== 'skipped')
            .map((entry) => (
              <tr key={`not-${entry.file}`}>
                <td>{entry.file}</td>
                <td>—</td>
                <td>
                  <span className="status status-failed">Not copied</span>
                </td>
                <td>—</td>
                <td className="reason">{entry.reason}</td>
              </tr>
            ))}
        </tbody>
      </table>
      {error && <ErrorNotice message={error} />}
      {result.safeToWipe && wipe.state === 'idle' && (
        <button type="button" className="danger" onClick={() => setWipe({ state: 'confirm' })}>
          Wipe offloaded media from the card…
        </button>
      )}
      {wipe.state === 'confirm' && (
        <div className="confirm" role="alertdialog" aria-label="Confirm wipe">
          <p>This deletes the offloaded clips and their sidecars from the card. Files that were not offloaded stay.</p>
          <button type="button" className="danger" onClick={doWipe}>
            Delete from card
          </button>
          <button type="button" onClick={() => setWipe({ state: 'idle' })}>
            Cancel
          </button>
        </div>
      )}
      {wipe.state === 'working' && <p aria-busy="true">Wiping…</p>}
      {wipe.state === 'done' && (
        <p role="status">
          Deleted {wipe.deleted} files from the card{wipe.kept > 0 ? `; ${wipe.kept} clips were kept because they changed since the offload` : ''}.
        </p>
      )}
    </div>
  );
}
