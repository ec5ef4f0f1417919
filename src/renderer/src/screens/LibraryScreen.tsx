import { EmptyState, ErrorNotice } from '../components/EmptyState';
import { formatBytes, formatDuration } from '../format';
import { useCoreQuery } from '../useCore';

export function LibraryScreen() {
  const [clips] = useCoreQuery('clips.list', {});
  if (clips.state === 'loading') return <p aria-busy="true">Loading clips…</p>;
  if (clips.state === 'error') return <ErrorNotice message={clips.error.message} />;
  if (clips.value.length === 0) {
    return (
      <EmptyState title="The library is empty">
        <p>Offload a camera card and its verified clips appear here.</p>
      </EmptyState>
    );
  }
  return (
    <table className="clip-table">
      <thead>
        <tr>
          <th scope="col">Code</th>
          <th scope="col">Kind</th>
          <th scope="col">Status</th>
          <th scope="col">Duration</th>
          <th scope="col">Size</th>
        </tr>
      </thead>
      <tbody>
        {clips.value.map((clip) => (
          <tr key={clip.id}>
            <td>{clip.code}</td>
            <td>{clip.kind}</td>
            <td>
              <span className={`status status-${clip.status}`}>{clip.status}</span>
              {clip.reason && <span className="reason"> {clip.reason}</span>}
            </td>
            <td>{formatDuration(clip.durationSeconds)}</td>
            <td>{formatBytes(clip.sizeBytes)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
