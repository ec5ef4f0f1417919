import { useState } from 'react';
import type { CardScanSummary } from '../../../shared/model';
import { EmptyState, ErrorNotice } from '../components/EmptyState';
import { formatBytes } from '../format';
import { callCore } from '../safehouse';

/** Crew: pick a card, see what is on it before anything is copied. */
export function OffloadScreen() {
  const [path, setPath] = useState('');
  const [scan, setScan] = useState<CardScanSummary | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const runScan = async (cardPath: string) => {
    setError(null);
    setBusy(true);
    const result = await callCore('card.scan', { path: cardPath });
    setBusy(false);
    if (result.ok) setScan(result.value);
    else setError(result.error.message);
  };

  const choose = async () => {
    const result = await callCore('dialog.chooseFolder', { purpose: 'card' });
    if (result.ok && result.value.path) {
      setPath(result.value.path);
      await runScan(result.value.path);
    }
  };

  return (
    <section className="screen offload">
      <form
        className="row card-picker"
        onSubmit={(event) => {
          event.preventDefault();
          void runScan(path);
        }}
      >
        <label className="grow">
          Camera card folder
          <input name="card" value={path} onChange={(event) => setPath(event.target.value)} placeholder="/media/CARD" autoComplete="off" />
        </label>
        <button type="button" onClick={choose}>
          Choose…
        </button>
        <button type="submit" className="primary" disabled={!path || busy}>
          {busy ? 'Scanning…' : 'Scan card'}
        </button>
      </form>
      {error && <ErrorNotice message={error} />}
      {!scan && !error && (
        <EmptyState title="No card yet">
          <p>Insert a camera card and choose its folder. Safehouse only reads the card; nothing is written to it.</p>
        </EmptyState>
      )}
      {scan && <ScanPreview scan={scan} />}
    </section>
  );
}

function ScanPreview({ scan }: { scan: CardScanSummary }) {
  return (
    <div className="scan-preview">
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
                  {clip.locationSidecars.length > 0 && <span className="tag danger"> location data — not copied</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
