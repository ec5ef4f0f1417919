import { EmptyState, ErrorNotice } from '../components/EmptyState';
import { useCoreQuery } from '../useCore';

export function ExportScreen() {
  const [clips] = useCoreQuery('clips.list', {});
  if (clips.state === 'loading') return <p aria-busy="true">Loading clips…</p>;
  if (clips.state === 'error') return <ErrorNotice message={clips.error.message} />;
  const cleared = clips.value.filter((clip) => clip.safety === 'cleared');
  return (
    <EmptyState title={cleared.length === 0 ? 'No cleared clips to export' : `${cleared.length} cleared clips`}>
      <p>Only clips whose every subject is cleared can leave as anonymised proxies, with a manifest for relinking.</p>
    </EmptyState>
  );
}
