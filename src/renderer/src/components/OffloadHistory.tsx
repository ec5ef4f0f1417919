import { useState } from 'react';
import type { IngestReport } from '../../../shared/model';
import { plural } from '../format';
import { callCore } from '../safehouse';
import { useCoreQuery } from '../useCore';
import { ErrorNotice } from './EmptyState';
import { CardManifestExport } from './CardManifestExport';
import { OffloadResults } from './OffloadResults';

/** Past offloads of this vault, each with its stored report: what was found and removed, proof, verification. */
export function OffloadHistory({ generation }: { generation: number }) {
  const [history] = useCoreQuery('offload.history', {}, generation);
  const [open, setOpen] = useState<{ ingestId: string; report: IngestReport } | null>(null);
  const [error, setError] = useState<string | null>(null);

  const show = async (ingestId: string) => {
    setError(null);
    const result = await callCore('offload.report', { ingestId });
    if (!result.ok) setError(result.error.message);
    else if (!result.value) setError('This offload has no stored report (it did not finish). Offload the card again to complete it.');
    else setOpen({ ingestId, report: result.value });
  };

  if (history.state !== 'ready' || history.value.length === 0) return null;
  return (
    <section className="offload-history" aria-labelledby="history-title">
      <h2 id="history-title">Offload reports</h2>
      <table className="clip-table">
        <thead>
          <tr>
            <th scope="col">Card</th>
            <th scope="col">Finished</th>
            <th scope="col">Clips</th>
            <th scope="col">
              <span className="visually-hidden">Report</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {history.value.slice(0, 50).map((entry) => (
            <tr key={entry.ingestId}>
              <td className="file-name">{entry.cardLabel || 'Unlabelled card'}</td>
              <td>{new Date(entry.finishedAt).toLocaleString()}</td>
              <td>
                {plural(entry.counts.verified, 'verified clip')}
                {entry.counts.quarantined > 0 && `, ${entry.counts.quarantined} quarantined`}
                {entry.counts.failed > 0 && `, ${entry.counts.failed} failed`}
                {entry.counts.skipped > 0 && `, ${entry.counts.skipped} already in the vault`}
              </td>
              <td>
                <button type="button" onClick={() => void show(entry.ingestId)} aria-label={`Open report: ${entry.cardLabel || 'unlabelled card'}, finished ${new Date(entry.finishedAt).toLocaleString()}`}>
                  Open report
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {error && <ErrorNotice message={error} />}
      {open && (
        <div className="report-view" aria-label="Offload report" role="region">
          <div className="row toolbar">
            <h3 className="grow">
              Report: offload started {new Date(open.report.startedAt).toLocaleString()}, finished {new Date(open.report.finishedAt).toLocaleString()}
            </h3>
            <button type="button" onClick={() => setOpen(null)}>
              Close report
            </button>
          </div>
          <OffloadResults result={open.report} cardPath={null} />
          <CardManifestExport key={open.report.cardId} cardId={open.report.cardId} />
        </div>
      )}
    </section>
  );
}
