import { useEffect, useRef, useState } from 'react';
import type { FaceProposal, FaceProposalState } from '../../../shared/model';
import { plural } from '../format';
import { matchWords, timeRange } from '../match-words';
import { callCore } from '../safehouse';
import { useCoreQuery } from '../useCore';
import { Dialog } from './Dialog';
import { ErrorNotice } from './EmptyState';
import { FaceThumb } from './FaceThumb';

/** Rows shown at once; "Show more" adds as many, so hundreds of proposals never render (or decode) at once. */
const PAGE = 20;

const tabs: { state: FaceProposalState; label: string }[] = [
  { state: 'pending', label: 'Waiting for you' },
  { state: 'accepted', label: 'Accepted' },
  { state: 'rejected', label: 'Rejected' },
];

/** The core's refusals of a decision, in the window's words (the core names proposal ids). */
function decideError(error: { code: string; message: string }): string {
  if (error.code === 'NOT_FOUND' || error.code === 'NOT_SAFE') return 'Someone already decided this face, or its face track changed. The list is up to date now: check it and decide again.';
  return error.message;
}

/**
 * Who appears where, for one subject: faces elsewhere in the vault that look like the faces named as them,
 * waiting for a person to accept (they become appearances) or reject (never proposed again); and what was
 * decided. `firstClipId` (from the Safety screen's fix) puts that clip's proposals first.
 */
export function SubjectProposals({
  subjectId,
  pseudonym,
  firstClipId,
  refreshKey,
  onDecided,
}: {
  subjectId: string;
  pseudonym: string;
  firstClipId?: string;
  refreshKey: number;
  onDecided: () => void;
}) {
  const [proposals, reload] = useCoreQuery('faces.proposals', { subjectId, states: ['pending', 'accepted', 'rejected'] }, refreshKey);
  const [cards] = useCoreQuery('cards.labels', {});
  const [tab, setTab] = useState<FaceProposalState>('pending');
  const [shown, setShown] = useState(PAGE);
  const [error, setError] = useState<string | null>(null);
  const [deciding, setDeciding] = useState<'accept' | 'reject' | null>(null);
  const [forgetting, setForgetting] = useState(false);
  const [forgotten, setForgotten] = useState<string | null>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const sectionRef = useRef<HTMLElement>(null);
  /** After a decision by keyboard, focus goes to the row that took the decided row's place. */
  const focusRow = useRef<number | null>(null);

  // Opened from the Safety screen: once listed, the proposals come into view and take focus (keyboard users start there).
  const loaded = proposals.state === 'ready';
  useEffect(() => {
    if (!firstClipId || !loaded) return;
    sectionRef.current?.scrollIntoView({ block: 'start' });
    sectionRef.current?.querySelector<HTMLElement>('h3')?.focus();
  }, [firstClipId, loaded]);
  useEffect(() => {
    if (focusRow.current === null || proposals.state !== 'ready') return;
    const buttons = listRef.current?.querySelectorAll<HTMLButtonElement>('button.accept');
    const next = buttons?.[Math.min(focusRow.current, buttons.length - 1)];
    (next ?? sectionRef.current?.querySelector<HTMLElement>('h3'))?.focus();
    focusRow.current = null;
  }, [proposals]);

  if (proposals.state === 'loading') return <p aria-busy="true">Looking for faces that match them…</p>;
  if (proposals.state === 'error') {
    // A field vault cannot open face descriptors: matching is done at HQ, so there is nothing to show here.
    if (proposals.error.code === 'KEY_CLASS_UNAVAILABLE') return null;
    return <ErrorNotice message={`Face matches unavailable: ${proposals.error.message}`} />;
  }
  const cardLabel = new Map(cards.state === 'ready' ? cards.value.map((card) => [card.id, card.label]) : []);
  const byState = (state: FaceProposalState) => proposals.value.filter((p) => p.state === state);
  const pending = byState('pending');
  const listed = byState(tab);
  if (firstClipId) listed.sort((a, b) => Number(b.clipId === firstClipId) - Number(a.clipId === firstClipId));

  const decide = async (ids: string[], decision: 'accept' | 'reject', row?: number) => {
    setError(null);
    const result = await callCore('faces.decide', { proposalIds: ids, decision });
    if (!result.ok) setError(decideError(result.error));
    focusRow.current = row ?? 0;
    reload();
    onDecided();
  };
  const forget = async () => {
    const result = await callCore('faces.forgetSubject', { subjectId });
    setForgetting(false);
    if (!result.ok) return setError(result.error.message);
    setForgotten(
      `Deleted ${plural(result.value.descriptorsDeleted, 'face measurement')} and withdrew ${plural(result.value.proposalsWithdrawn, 'proposal')}. Their face will not be matched again.`,
    );
    reload();
    onDecided();
  };

  return (
    <section className="panel-section proposals" aria-labelledby="proposals-title" ref={sectionRef}>
      <div className="row wrap">
        <h3 id="proposals-title" className="grow" tabIndex={-1}>
          Faces that look like them
        </h3>
        {pending.length > 1 && tab === 'pending' && (
          <>
            <button type="button" onClick={() => setDeciding('accept')}>
              Accept all {pending.length}…
            </button>
            <button type="button" onClick={() => setDeciding('reject')}>
              Reject all {pending.length}…
            </button>
          </>
        )}
      </div>
      <p className="muted">
        Once a face is named as them, Safehouse proposes the other faces in the vault that look like it. None counts as an appearance until you accept it; a
        rejected face is never proposed as them again.
      </p>
      {proposals.value.length === 0 ? (
        <p className="muted">No face is proposed as them yet.</p>
      ) : (
        <>
          <div className="row wrap proposal-tabs" role="group" aria-label="Show proposals">
            {tabs.map(({ state, label }) => (
              <button
                key={state}
                type="button"
                aria-pressed={tab === state}
                onClick={() => {
                  setTab(state);
                  setShown(PAGE);
                }}
              >
                {label} ({byState(state).length})
              </button>
            ))}
          </div>
          {listed.length === 0 ? (
            <p className="muted">
              {tab === 'pending' ? 'No face waits for a decision.' : tab === 'accepted' ? 'No proposal accepted yet.' : 'No proposal rejected.'}
            </p>
          ) : (
            <ul className="proposal-list" aria-label={`${tabs.find((t) => t.state === tab)!.label}: proposed faces`} ref={listRef}>
              {listed.slice(0, shown).map((proposal, index) => (
                <ProposalRow
                  key={proposal.id}
                  proposal={proposal}
                  card={cardLabel.get(proposal.cardId) ?? null}
                  highlighted={proposal.clipId === firstClipId}
                  onDecide={(decision) => void decide([proposal.id], decision, index)}
                />
              ))}
            </ul>
          )}
          {listed.length > shown && (
            <button type="button" onClick={() => setShown(shown + PAGE)}>
              Show {Math.min(PAGE, listed.length - shown)} more of {listed.length - shown}
            </button>
          )}
        </>
      )}
      {error && <ErrorNotice message={error} />}
      {forgotten && (
        <p className="ok" role="status">
          {forgotten}
        </p>
      )}
      <div className="row end">
        <button type="button" className="link" onClick={() => setForgetting(true)}>
          Forget their face data…
        </button>
      </div>
      {deciding && (
        <Dialog title={deciding === 'accept' ? `Accept all ${pending.length} faces as ${pseudonym}?` : `Reject all ${pending.length} faces?`} onClose={() => setDeciding(null)}>
          <p>
            {deciding === 'accept'
              ? `Each face becomes an appearance of ${pseudonym} in its clip, and their consent and protection decide what the proxies show. Only accept them all if you checked them.`
              : `None of these faces will be proposed as ${pseudonym} again. Their clips stay in review until someone names who they are.`}
          </p>
          <div className="row end">
            <button type="button" data-autofocus onClick={() => setDeciding(null)}>
              Cancel
            </button>
            <button
              type="button"
              className="primary"
              onClick={() => {
                const decision = deciding;
                setDeciding(null);
                void decide(
                  pending.map((p) => p.id),
                  decision,
                );
              }}
            >
              {deciding === 'accept' ? `Accept all ${pending.length}` : `Reject all ${pending.length}`}
            </button>
          </div>
        </Dialog>
      )}
      {forgetting && (
        <Dialog title={`Forget the face data of ${pseudonym}?`} className="danger-dialog" onClose={() => setForgetting(false)}>
          <p>
            This deletes the face measurements Safehouse keeps to recognise {pseudonym}: one for each face named as them.
            {pending.length > 0 ? ` It withdraws the ${plural(pending.length, 'face')} proposed as them and waiting for a decision.` : ''} Their face is never
            measured or proposed again.
          </p>
          <p>
            It does not delete their appearances or the face boxes that hide them in proxies: they stay protected. Their consent does not change. This cannot be
            undone.
          </p>
          <div className="row end">
            <button type="button" data-autofocus onClick={() => setForgetting(false)}>
              Keep face data
            </button>
            <button type="button" className="danger" onClick={() => void forget()}>
              Forget face data
            </button>
          </div>
        </Dialog>
      )}
    </section>
  );
}

function ProposalRow({ proposal, card, highlighted, onDecide }: { proposal: FaceProposal; card: string | null; highlighted: boolean; onDecide: (decision: 'accept' | 'reject') => void }) {
  const match = matchWords(proposal.score);
  const when = timeRange(proposal.from, proposal.to);
  const place = `in ${proposal.code} at ${when}`;
  return (
    <li className={`proposal ${highlighted ? 'highlighted' : ''}`}>
      <FaceThumb place={place} load={(reveal) => callCore('faces.proposalThumbnail', { proposalId: proposal.id, reveal })} />
      <div className="proposal-facts">
        <strong>{proposal.code}</strong>
        {card && <span className="muted proposal-card">from {card}</span>}
        <span>{when}</span>
        <span>
          <span className={`badge match-${match.label === 'Strong match' ? 'strong' : 'possible'}`}>{match.label}</span> <span className="muted">{match.detail}</span>
        </span>
      </div>
      {proposal.state === 'pending' ? (
        <div className="row proposal-actions">
          <button type="button" className="accept" onClick={() => onDecide('accept')} aria-label={`Accept the face ${place}`}>
            Accept
          </button>
          <button type="button" onClick={() => onDecide('reject')} aria-label={`Reject the face ${place}`}>
            Reject
          </button>
        </div>
      ) : (
        <span className={`badge decided-${proposal.state}`}>
          {proposal.state === 'accepted' ? 'Accepted' : 'Rejected'}
          {proposal.decidedAt ? ` ${new Date(proposal.decidedAt).toLocaleDateString('en-GB', { day: 'numeric', month: 'short' })}` : ''}
        </span>
      )}
    </li>
  );
}
