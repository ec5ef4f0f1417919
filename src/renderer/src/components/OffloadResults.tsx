import { useState } from 'react';
import type { OffloadResult } from '../../../shared/model';
import { plural, visibleName } from '../format';
import { wipeVerdict } from '../offload-verdict';
import { callCore } from '../safehouse';
import { Dialog } from './Dialog';
import { ReasonText } from './ReasonText';
import { ErrorNotice } from './EmptyState';

const statusText: Record<string, string> = {
  verified: 'Verified',
  quarantined: 'Quarantined',
  failed: 'Failed',
  skipped: 'Already in vault',
  pending: 'Not verified',
};

/** The rows shown before "Show all": a card of thousands of files stays quick to open. */
const FIRST_ROWS = 300;

export type OffloadOutcome = Pick<OffloadResult, 'results' | 'notIngested' | 'counts' | 'safeToWipe'> & Partial<Pick<OffloadResult, 'proxies' | 'wipeBlockers'>>;

/**
 * The end of an offload (or its stored report): per-file results and an unmistakable answer to "can I wipe
 * this card?". With `cardPath`, the card can be wiped from here once it is safe.
 */
export function OffloadResults({ result, cardPath }: { result: OffloadOutcome; cardPath: string | null }) {
  const [wipe, setWipe] = useState<{ state: 'idle' | 'confirm' | 'working' } | { state: 'done'; deleted: number; kept: number }>({ state: 'idle' });
  const [error, setError] = useState<string | null>(null);
  const [showAll, setShowAll] = useState(false);
  const { verified, quarantined, failed, skipped } = result.counts;
  const verdict = wipeVerdict(result);

  const doWipe = async () => {
    if (!cardPath) return;
    setWipe({ state: 'working' });
    const answer = await callCore('card.wipe', { path: cardPath });
    if (answer.ok) setWipe({ state: 'done', deleted: answer.value.deleted.length, kept: answer.value.kept.length });
    else {
      setError(answer.error.message);
      setWipe({ state: 'idle' });
    }
  };

  const rows = [
    ...result.results.map((entry) => ({
      key: `clip-${entry.file}`,
      file: entry.file,
      code: entry.code ?? '—',
      status: entry.status,
      label: statusText[entry.status] ?? entry.status,
      removed: entry.findings.location + entry.findings.identity + entry.findings.device > 0 ? `${entry.findings.location} location, ${entry.findings.identity} identity, ${entry.findings.device} device` : 'nothing found',
      why: entry.reason ?? (entry.status === 'verified' ? 'cleaned, proven clean, encrypted and read back' : ''),
    })),
    ...result.notIngested
      .filter((entry) => entry.kind !== 'skipped')
      .map((entry) => ({ key: `not-${entry.file}`, file: entry.file, code: '—', status: 'failed', label: 'Not copied', removed: '—', why: entry.reason })),
  ];
  const shown = showAll ? rows : rows.slice(0, FIRST_ROWS);

  return (
    <div className="offload-results">
      <div className={`wipe-banner ${verdict.safe ? 'safe' : 'unsafe'}`} role="status">
        <strong>{verdict.safe ? 'Safe to wipe' : 'Not safe to wipe'}</strong>
        <span>
          {verdict.safe
            ? 'Every clip on this card is in the vault and was read back and checked.'
            : verdict.blockers.length > 0
              ? `${plural(verdict.blockers.length, 'file')} on this card ${verdict.blockers.length === 1 ? 'is' : 'are'} not safely in the vault. Formatting the card would lose ${verdict.blockers.length === 1 ? 'it' : 'them'}:`
              : 'Not every clip on this card was read back from the vault. Offload the card again.'}
        </span>
        {!verdict.safe && verdict.blockers.length > 0 && (
          <ul className="blockers">
            {verdict.blockers.slice(0, 20).map((blocker) => (
              <li key={blocker.file}>
                <span className="file-name">{visibleName(blocker.file)}</span>: {blocker.reason}
              </li>
            ))}
            {verdict.blockers.length > 20 && <li>and {plural(verdict.blockers.length - 20, 'more file')}, listed in the table below.</li>}
          </ul>
        )}
      </div>
      <p>
        {verified} verified · {quarantined} quarantined · {failed} failed · {skipped} already in the vault
        {result.proxies && result.proxies.queued > 0 && <> · {plural(result.proxies.queued, 'proxy', 'proxies')} being made in the background</>}
      </p>
      <table className="clip-table results-table">
        <colgroup>
          <col className="col-file" />
          <col className="col-code" />
          <col className="col-status" />
          <col className="col-removed" />
          <col className="col-why" />
        </colgroup>
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
          {shown.map((row) => (
            <tr key={row.key}>
              <td className="file-name">{visibleName(row.file)}</td>
              <td>{row.code}</td>
              <td>
                <span className={`status status-${row.status}`}>{row.label}</span>
              </td>
              <td>{row.removed}</td>
              <td className="reason">
                <ReasonText reason={row.why} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length > shown.length && (
        <button type="button" onClick={() => setShowAll(true)}>
          Show all {plural(rows.length, 'file')}
        </button>
      )}
      {error && <ErrorNotice message={error} />}
      {/* Stays rendered while the confirmation is open, so focus can return to it afterwards. */}
      {cardPath && verdict.safe && (wipe.state === 'idle' || wipe.state === 'confirm') && (
        <button type="button" className="danger" onClick={() => setWipe({ state: 'confirm' })}>
          Wipe offloaded media from the card…
        </button>
      )}
      {wipe.state === 'confirm' && (
        <Dialog title="Delete the offloaded clips from the card?" className="danger-dialog" onClose={() => setWipe({ state: 'idle' })}>
          <p>This deletes the offloaded clips and their sidecars from the card. Each one is checked against the vault again first; files that were not offloaded stay.</p>
          <div className="row end">
            <button type="button" data-autofocus onClick={() => setWipe({ state: 'idle' })}>
              Keep everything
            </button>
            <button type="button" className="danger" onClick={doWipe}>
              Delete from card
            </button>
          </div>
        </Dialog>
      )}
      {wipe.state === 'working' && <p aria-busy="true">Wiping…</p>}
      {wipe.state === 'done' && (
        <p role="status">
          Deleted {plural(wipe.deleted, 'file')} from the card{wipe.kept > 0 ? `; ${plural(wipe.kept, 'clip')} kept because they changed since the offload` : ''}.
        </p>
      )}
    </div>
  );
}
