import { AuditPanel } from '../components/AuditPanel';
import { EmptyState, ErrorNotice } from '../components/EmptyState';
import { ProblemList } from '../components/ProblemList';
import { SafetyChart } from '../components/SafetyChart';
import { useCoreQuery } from '../useCore';

/** Producer: how many clips are safe to use, every problem with its fix, and whether the audit trail holds. */
export function SafetyScreen() {
  const [report, reload] = useCoreQuery('safety.report', {});
  if (report.state === 'loading') return <p aria-busy="true">Checking clips…</p>;
  if (report.state === 'error') return <ErrorNotice message={report.error.message} />;
  const { counts, clips } = report.value;
  return (
    <section className="screen safety">
      {clips.length === 0 ? (
        <EmptyState title="Nothing to check yet">
          <p>When clips are offloaded, each one is shown here as cleared, needing review, or blocked, with what fixes it.</p>
        </EmptyState>
      ) : (
        <>
          <SafetyChart counts={counts} />
          <h2>Problems</h2>
          <ProblemList clips={clips} onFixed={reload} />
        </>
      )}
      <AuditPanel />
    </section>
  );
}
