import { useEffect, useState } from 'react';
import type { FaceProposal, SubjectSafetyReport } from '../../../shared/model';
import { EmptyState, ErrorNotice } from '../components/EmptyState';
import { SubjectCreateDialog } from '../components/SubjectCreateDialog';
import { SubjectDetailPanel } from '../components/SubjectDetailPanel';
import { SubjectList } from '../components/SubjectList';
import { UnknownPeople } from '../components/UnknownPeople';
import { plural } from '../format';
import { useApp } from '../navigation';
import { callCore } from '../safehouse';
import { useCoreQuery } from '../useCore';

/** Producer: every filmed person, their consent and protection, and where they appear. */
export function SubjectsScreen() {
  const { target } = useApp();
  const [subjects, reloadSubjects] = useCoreQuery('subjects.list', {});
  const [report, reloadReport] = useCoreQuery('safety.report', {});
  const [selectedId, setSelectedId] = useState<string | null>(target?.subjectId ?? null);
  const [creating, setCreating] = useState(false);
  // From the Safety screen's "decide who appears" fix: the clip whose proposed faces to open.
  const proposalsClipId = target?.show === 'proposals' ? (target.clipId ?? null) : null;
  const [clipProposals, setClipProposals] = useState<FaceProposal[] | null>(null);
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    if (!proposalsClipId) return;
    void callCore('faces.proposals', { clipId: proposalsClipId }).then((result) => {
      if (!result.ok) return setClipProposals([]);
      const inClip = result.value;
      setClipProposals(inClip);
      // Highest score first: the subject the face most looks like opens.
      if (inClip[0]) setSelectedId((current) => current ?? inClip[0]!.subjectId);
    });
  }, [proposalsClipId, generation]);
  const tagClipId = target?.clipId && !proposalsClipId ? target.clipId : null;

  const reload = () => {
    reloadSubjects();
    reloadReport();
    setGeneration((value) => value + 1);
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
      {tagClipId && !target?.subjectId && (
        <p className="notice" role="status">
          Choose the person who appears in this clip (or add them), then use “Tag an appearance”: the clip is already chosen.
        </p>
      )}
      {clipProposals && <ProposalsNotice proposals={clipProposals} subjects={subjects.value} />}
      {report.state === 'error' && <ErrorNotice message={`Safety status unavailable: ${report.error.message}`} />}
      {subjects.value.length === 0 ? (
        <EmptyState title="No subjects recorded">
          <p>
            Each person filmed gets a pseudonym here, with their consent and how they must be protected. Their real name and evidence stay sealed to HQ.
          </p>
        </EmptyState>
      ) : (
        <div className="subjects-body">
          <div className="subjects-side">
            <SubjectList subjects={subjects.value} safety={safety} selectedId={selected?.id ?? null} onSelect={setSelectedId} />
            <UnknownPeople subjects={subjects.value} refreshKey={generation} onNamed={reload} />
          </div>
          {selected ? (
            <SubjectDetailPanel
              key={selected.id}
              subjectId={selected.id}
              {...(tagClipId && (!target?.subjectId || target.subjectId === selected.id) ? { initialClipId: tagClipId } : {})}
              {...(proposalsClipId ? { proposalsClipId } : {})}
              refreshKey={generation}
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

/** Which subjects the faces of the clip the Safety screen pointed at look like, or that they were decided since. */
function ProposalsNotice({ proposals, subjects }: { proposals: FaceProposal[]; subjects: { id: string; pseudonym: string }[] }) {
  if (proposals.length === 0) {
    return (
      <p className="notice" role="status">
        No face in that clip waits for a decision any more: someone decided them, or the faces changed.
      </p>
    );
  }
  const names = [...new Set(proposals.map((p) => p.subjectId))].map((id) => subjects.find((s) => s.id === id)?.pseudonym ?? 'a subject');
  return (
    <p className="notice" role="status">
      {plural(proposals.length, 'face')} in {proposals[0]!.code} may be {names.join(' or ')}. Their proposals are listed first on{' '}
      {names.length === 1 ? 'their page' : 'each of their pages'}: accept or reject each one.
    </p>
  );
}
