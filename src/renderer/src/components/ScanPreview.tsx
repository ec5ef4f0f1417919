import type { CardScanSummary } from '../../../shared/model';
import { formatBytes, plural, visibleName } from '../format';
import { EmptyState } from './EmptyState';

/** What is on a card before anything is copied: clips, sizes, sidecars, and what will stay behind. */
export function ScanPreview({ scan }: { scan: CardScanSummary }) {
  return (
    <div className="scan-preview">
      <h2>Card preview</h2>
      <p>
        {plural(scan.clips.length, 'clip')}, {formatBytes(scan.totalBytes)}
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
        <table className="clip-table results-table">
          <colgroup>
            <col className="col-file" />
            <col className="col-code" />
            <col className="col-status" />
            <col className="col-why" />
          </colgroup>
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
                <td className="file-name">{visibleName(clip.name)}</td>
                <td>{clip.kind}</td>
                <td>{formatBytes(clip.sizeBytes)}</td>
                <td className="file-name">
                  {clip.sidecars.map(visibleName).join(', ') || '—'}
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
