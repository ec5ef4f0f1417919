import { useEffect, useState } from 'react';
import type { CardScanSummary, IngestProgress, OffloadResult } from '../../../shared/model';
import { EmptyState, ErrorNotice } from '../components/EmptyState';
import { OffloadProgress } from '../components/OffloadProgress';
import { OffloadResults } from '../components/OffloadResults';
import { formatBytes } from '../format';
import { callCore, onCoreEvent } from '../safehouse';

type Phase = { name: 'idle' } | { name: 'scanned'; scan: CardScanSummary } | { name: 'running'; scan: CardScanSummary } | { name: 'done'; scan: CardScanSummary; result: OffloadResult };

/** Crew: pick a card, preview it, offload it, and see plainly whether the card is safe to wipe. */
export function OffloadScreen() {
  const [path, setPath] = useState('');
  const [label, setLabel] = useState('');
  const [phase, setPhase] = useState<Phase>({ name: 'idle' });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [interrupted, setInterrupted] = useState<{ startedAt: string }[]>([]);
  const [progress, setProgress] = useState<{ overall: IngestProgress | null; files: Record<string, IngestProgress> }>({ overall: null, files: {} });

  useEffect(() => {
    void callCore('offload.interrupted', {}).then((result) => result.ok && setInterrupted(result.value));
    return onCoreEvent('offload.progress', (event) =>
      setProgress((previous) => ({ overall: event, files: event.file ? { ...previous.files, [event.file]: event } : previous.files })),
    );
  }, []);

  const runScan = async (cardPath: string) => {
    setError(null);
    setBusy(true);
    const result = await callCore('card.scan', { path: cardPath });
    setBusy(false);
    if (result.ok) setPhase({ name: 'scanned', scan: result.value });
    else setError(result.error.message);
  };

  const choose = async () => {
    const result = await callCore('dialog.chooseFolder', { purpose: 'card' });
    if (result.ok && result.value.path) {
      setPath(result.value.path);
      await runScan(result.value.path);
    }
  };

  const start = async (scan: CardScanSummary) => {
    setError(null);
    setProgress({ overall: null, files: {} });
    setPhase({ name: 'running', scan });
    const result = await callCore('offload.start', { path: scan.root, ...(label.trim() ? { label: label.trim() } : {}) });
    if (result.ok) {
      setPhase({ name: 'done', scan, result: result.value });
      setInterrupted([]);
    } else {
      setError(result.error.message);
      setPhase({ name: 'scanned', scan });
    }
  };

  return (
    <section className="screen offload">
      {interrupted.length > 0 && phase.name === 'idle' && (
        <div className="notice" role="status">
          An offload started {new Date(interrupted[0]!.startedAt).toLocaleString()} did not finish. Choose the same card and start again: files
          already verified are skipped and the rest are completed.
        </div>
      )}
      <form
        className="row card-picker"
        onSubmit={(event) => {
          event.preventDefault();
          void runScan(path);
        }}
      >
        <label className="grow">
          Camera card folder
          <input name="card" value={path} onChange={(event) => setPath(event.target.value)} placeholder="/media/CARD" autoComplete="off" disabled={phase.name === 'running'} />
        </label>
        <button type="button" onClick={choose} disabled={phase.name === 'running'}>
          Choose…
        </button>
        <button type="submit" className="primary" disabled={!path || busy || phase.name === 'running'}>
          {busy ? 'Scanning…' : 'Scan card'}
        </button>
      </form>
      {error && <ErrorNotice message={error} />}
      {phase.name === 'idle' && !error && (
        <EmptyState title="No card yet">
          <p>Insert a camera card and choose its folder. Safehouse only reads the card; nothing is written to it.</p>
        </EmptyState>
      )}
      {phase.name === 'scanned' && (
        <>
          <ScanPreview scan={phase.scan} />
          {phase.scan.clips.length > 0 && (
            <form
              className="row start-offload"
              onSubmit={(event) => {
                event.preventDefault();
                void start(phase.scan);
              }}
            >
              <label className="grow">
                Card label (sealed in the vault)
                <input name="label" value={label} onChange={(event) => setLabel(event.target.value)} maxLength={200} autoComplete="off" />
              </label>
              {/* Focus moves here after a scan so the whole offload works from the keyboard. */}
              <button type="submit" className="primary" autoFocus>
                Start offload
              </button>
            </form>
          )}
        </>
      )}
      {phase.name === 'running' && <OffloadProgress overall={progress.overall} files={progress.files} />}
      {phase.name === 'done' && <OffloadResults result={phase.result} cardPath={phase.scan.root} />}
    </section>
  );
}

function ScanPreview({ scan }: { scan: CardScanSummary }) {
  return (
    <div className="scan-preview">
      <h2>Card preview</h2>
      <p>
        {scan.clips.length} clips, {formatBytes(scan.totalBytes)}
        {scan.layouts.length > 0 && <> · {scan.layouts.join(', ')}</>}
      </p>
      {scan.warnings.length > 0 && (
        <ul className="warnings" aria-label="Warnings">
          {scan.warnings.map((warning) => (
            <li key={warning}>{warning}</li>
          ))}
        </ul>
      )}
      {scan.clips.length === 0 ? (
        <EmptyState title="No clips on this card">
          <p>No video, audio or photo files were recognised in this folder.</p>
        </EmptyState>
      ) : (
        <table className="clip-table">
          <thead>
            <tr>
              <th scope="col">File</th>
              <th scope="col">Kind</th>
              <th scope="col">Size</th>
              <th scope="col">Sidecars</th>
            </tr>
          </thead>
          <tbody>
            {scan.clips.map((clip) => (
              <tr key={clip.id}>
                <td>{clip.name}</td>
                <td>{clip.kind}</td>
                <td>{formatBytes(clip.sizeBytes)}</td>
                <td>
                  {clip.sidecars.join(', ') || '—'}
                  {clip.locationSidecars.length > 0 && <span className="tag danger"> location data: not copied</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
