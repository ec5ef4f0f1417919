import { useState } from 'react';
import type { SubjectSafetyReport } from '../../../shared/model';
import { EmptyState, ErrorNotice } from '../components/EmptyState';
import { SubjectCreateDialog } from '../components/SubjectCreateDialog';
import { SubjectDetailPanel } from '../components/SubjectDetailPanel';
import { SubjectList } from '../components/SubjectList';
import { useApp } from '../navigation';
import { useCoreQuery } from '../useCore';

/** Producer: every filmed person, their consent and protection, and where they appear. */
export function SubjectsScreen() {
  const { target } = useApp();
  const [subjects, reloadSubjects] = useCoreQuery('subjects.list', {});
  const [report, reloadReport] = useCoreQuery('safety.report', {});
  const [selectedId, setSelectedId] = useState<string | null>(target?.subjectId ?? null);
  const [creating, setCreating] = useState(false);

  const reload = () => {
    reloadSubjects();
    reloadReport();
  };

  if (subjects.state === 'loading') return <p aria-busy="true">Loading subjects…</p>;
  if (subjects.state === 'error') return <ErrorNotice message={subjects.error.message} />;
  const safety = new Map<string, SubjectSafetyReport>(report.state === 'ready' ? report.value.subjects.map((s) => [s.subjectId, s]) : []);
  const selected = subjects.value.find((subject) => subject.id === selectedId) ?? null;

  return (
    <section className="screen subjects">
      <div className="row toolbar">
        <p className="lede grow">Each person filmed has a pseudonym. Their real name and consent evidence stay sealed to HQ.</p>
        <button type="button" className="primary" onClick={() => setCreating(true)}>
          Add subject
        </button>
      </div>
      {target?.clipId && !target.subjectId && (
        <p className="notice" role="status">
          Choose the person who appears in this clip (or add them), then use “Tag an appearance”: the clip is already chosen.
        </p>
      )}
      {report.state === 'error' && <ErrorNotice message={`Safety status unavailable: ${report.error.message}`} />}
      {subjects.value.length === 0 ? (
        <EmptyState title="No subjects recorded">
          <p>
            Each person filmed gets a pseudonym here, with their consent and how they must be protected. Their real name and evidence stay sealed to HQ.
          </p>
        </EmptyState>
      ) : (
        <div className="subjects-body">
          <SubjectList subjects={subjects.value} safety={safety} selectedId={selected?.id ?? null} onSelect={setSelectedId} />
          {selected ? (
            <SubjectDetailPanel
              key={selected.id}
              subjectId={selected.id}
              {...(target?.clipId && (!target.subjectId || target.subjectId === selected.id) ? { initialClipId: target.clipId } : {})}
              onChanged={reload}
            />
          ) : (
            <p className="muted pick-hint">Choose a subject to see their consent, protection and appearances.</p>
          )}
        </div>
      )}
      {creating && (
        <SubjectCreateDialog
          onClose={() => setCreating(false)}
          onCreated={(subject) => {
            setCreating(false);
            setSelectedId(subject.id);
            reload();
          }}
        />
      )}
    </section>
  );
}
