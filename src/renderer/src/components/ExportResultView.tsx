import type { ExportResult } from '../../../shared/model';
import { formatDuration } from '../format';

const modeText = { full: 'whole frame hidden', regions: 'regions masked', none: 'not masked (consent given)' } as const;

/** What left: the files written, the manifest to relink with, and anything refused at the last check. */
export function ExportResultView({ result }: { result: ExportResult }) {
  return (
    <section className="export-result" aria-label="Export result" role="status">
      {result.manifestFile ? (
        <div className="wipe-banner safe">
          <strong>Exported {result.exported.length === 1 ? "1 proxy" : `${result.exported.length} proxies`}</strong>
          <span>
            Manifest: <span className="mono">{result.manifestFile}</span>
          </span>
        </div>
      ) : (
        <div className="wipe-banner unsafe">
          <strong>Nothing was exported</strong>
          <span>None of the chosen clips could leave; see why below.</span>
        </div>
      )}
      {result.exported.length > 0 && (
        <table className="clip-table" aria-label="Files written">
          <thead>
            <tr>
              <th scope="col">Clip</th>
              <th scope="col">File</th>
              <th scope="col">Duration</th>
              <th scope="col">Timecode</th>
              <th scope="col">Protection</th>
            </tr>
          </thead>
          <tbody>
            {result.exported.map((item) => (
              <tr key={item.clipId}>
                <td>{item.code}</td>
                <td className="mono">{item.file}</td>
                <td>{formatDuration(item.durationSeconds)}</td>
                <td>{item.timecode ?? '—'}</td>
                <td>{modeText[item.mode]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {result.refused.length > 0 && (
        <>
          <h3>Not exported</h3>
          <ul className="refused">
            {result.refused.map((item) => (
              <li key={item.clipId}>
                <strong>{item.code || item.clipId}</strong>: {item.reason}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
