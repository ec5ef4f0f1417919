import { useMemo, useState } from 'react';
import { AuditPanel } from '../components/AuditPanel';
import { EmptyState, ErrorNotice } from '../components/EmptyState';
import { ProblemList } from '../components/ProblemList';
import { SafetyChart } from '../components/SafetyChart';
import { groupProblems, type Grouping } from '../safety-groups';
import { useCoreQuery } from '../useCore';

const GROUPINGS: { id: Grouping; label: string }[] = [
  { id: 'problem', label: 'By problem' },
  { id: 'subject', label: 'By subject' },
  { id: 'card', label: 'By card' },
];

/** Producer: how many clips are safe to use, every problem grouped with its fix, and whether the audit trail holds. */
export function SafetyScreen() {
  const [report, reload] = useCoreQuery('safety.report', {});
  const [cards] = useCoreQuery('cards.labels', {});
  const [grouping, setGrouping] = useState<Grouping>('problem');
  const [search, setSearch] = useState('');
  const groups = useMemo(
    () => (report.state === 'ready' ? groupProblems(report.value, grouping, cards.state === 'ready' ? cards.value : [], search) : []),
    [report, cards, grouping, search],
  );
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
          <div className="row wrap toolbar">
            <h2 className="grow">Problems</h2>
            <div role="radiogroup" aria-label="Group problems" className="segmented">
              {GROUPINGS.map((entry) => (
                <label key={entry.id} className={`check ${grouping === entry.id ? 'chosen' : ''}`}>
                  <input type="radio" name="grouping" value={entry.id} checked={grouping === entry.id} onChange={() => setGrouping(entry.id)} />
                  {entry.label}
                </label>
              ))}
            </div>
            <label className="search">
              Find a clip
              <input type="search" value={search} onChange={(event) => setSearch(event.target.value)} placeholder="C0042" autoComplete="off" />
            </label>
          </div>
          {/* A search opens every group it matches; clearing it folds them again. */}
          <ProblemList key={`${grouping}-${search.trim() !== ''}`} groups={groups} expanded={search.trim() !== ''} onFixed={reload} />
        </>
      )}
      <AuditPanel />
    </section>
  );
}
