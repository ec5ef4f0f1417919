import { EmptyState, ErrorNotice } from '../components/EmptyState';
import { useCoreQuery } from '../useCore';

export function SafetyScreen() {
  const [counts] = useCoreQuery('safety.summary', {});
  if (counts.state === 'loading') return <p aria-busy="true">Checking clips…</p>;
  if (counts.state === 'error') return <ErrorNotice message={counts.error.message} />;
  const { cleared, needsReview, blocked } = counts.value;
  if (cleared + needsReview + blocked === 0) {
    return (
      <EmptyState title="Nothing to check yet">
        <p>When clips are offloaded, each one is shown here as cleared, needing review, or blocked, with what fixes it.</p>
      </EmptyState>
    );
  }
  return (
    <dl className="safety-counts">
      <div className="count cleared">
        <dt>Cleared</dt>
        <dd>{cleared}</dd>
      </div>
      <div className="count needs-review">
        <dt>Needs review</dt>
        <dd>{needsReview}</dd>
      </div>
      <div className="count blocked">
        <dt>Blocked</dt>
        <dd>{blocked}</dd>
      </div>
    </dl>
  );
}
