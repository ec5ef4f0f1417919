import { useId, useState } from 'react';
import type { Subject, UnknownPersonGroup } from '../../../shared/model';
import { plural } from '../format';
import { timeRange } from '../match-words';
import { callCore } from '../safehouse';
import { useCoreQuery } from '../useCore';
import { ErrorNotice } from './EmptyState';
import { FaceThumb } from './FaceThumb';

/** Groups shown at once, and faces shown per group: a vault of strangers must not decode hundreds of faces. */
const GROUP_PAGE = 10;
const FACES_SHOWN = 4;

/**
 * Faces nobody has named that look like the same person ("Unknown person 1, 2 …"): naming a group once
 * assigns every face in it to that subject. Only at HQ (a field vault cannot open face descriptors).
 */
export function UnknownPeople({ subjects, refreshKey, onNamed }: { subjects: Subject[]; refreshKey: number; onNamed: () => void }) {
  // Reloaded whenever the screen changed something: a decided proposal takes a face out of its group.
  const [groups, reload] = useCoreQuery('faces.groups', {}, refreshKey);
  const [cards] = useCoreQuery('cards.labels', {});
  const [proposals] = useCoreQuery('faces.proposals', {}, refreshKey);
  const [shown, setShown] = useState(GROUP_PAGE);
  const [named, setNamed] = useState<string | null>(null);

  if (groups.state === 'loading') return null;
  if (groups.state === 'error') return groups.error.code === 'KEY_CLASS_UNAVAILABLE' ? null : <ErrorNotice message={`Unnamed faces unavailable: ${groups.error.message}`} />;
  if (groups.value.length === 0 && !named) return null;
  const cardLabel = new Map(cards.state === 'ready' ? cards.value.map((card) => [card.id, card.label]) : []);
  // A face of a group may already be proposed as a named subject: the group says so and suggests them.
  const proposedAs = new Map(proposals.state === 'ready' ? proposals.value.map((p) => [p.trackId, p.subjectId]) : []);

  return (
    <section className="unknown-people" aria-labelledby="unknown-title">
      <h2 id="unknown-title">People not named yet</h2>
      <p className="muted">Faces that look like the same person, in clips where nobody has named them. Name each person once.</p>
      {named && (
        <p className="ok" role="status">
          {named}
        </p>
      )}
      <ul className="unknown-groups">
        {groups.value.slice(0, shown).map((group) => (
          <UnknownGroup
            key={group.tracks.map((t) => t.trackId).join(',')}
            group={group}
            subjects={subjects}
            cardLabel={cardLabel}
            proposedAs={proposedAs}
            onNamed={(message) => {
              setNamed(message);
              reload();
              onNamed();
            }}
          />
        ))}
      </ul>
      {groups.value.length > shown && (
        <button type="button" onClick={() => setShown(shown + GROUP_PAGE)}>
          Show {Math.min(GROUP_PAGE, groups.value.length - shown)} more of {groups.value.length - shown}
        </button>
      )}
    </section>
  );
}

function UnknownGroup({
  group,
  subjects,
  cardLabel,
  proposedAs,
  onNamed,
}: {
  group: UnknownPersonGroup;
  subjects: Subject[];
  cardLabel: Map<string, string>;
  proposedAs: Map<string, string>;
  onNamed: (message: string) => void;
}) {
  const suggested = [...new Set(group.tracks.map((t) => proposedAs.get(t.trackId)).filter((id): id is string => Boolean(id)))]
    .map((id) => subjects.find((s) => s.id === id))
    .filter((s): s is Subject => Boolean(s));
  // Until a person picks someone, the one subject the faces are proposed as is suggested.
  const [picked, setSubjectId] = useState<string | null>(null);
  const subjectId = picked ?? (suggested.length === 1 ? suggested[0]!.id : '');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const selectId = useId();
  const title = `Unknown person ${group.number}`;
  const clips = [...new Set(group.tracks.map((t) => t.code))];
  const cardsOf = [...new Set(group.tracks.map((t) => cardLabel.get(t.cardId)).filter((label): label is string => Boolean(label)))];

  const name = async () => {
    const subject = subjects.find((s) => s.id === subjectId);
    if (!subject) return setError('Choose who this person is first.');
    setBusy(true);
    setError(null);
    const result = await callCore('faces.nameTracks', { subjectId, tracks: group.tracks.map((t) => ({ clipId: t.clipId, trackId: t.trackId })) });
    setBusy(false);
    if (result.ok) onNamed(`${title} is now ${subject.pseudonym}: ${plural(result.value.named, 'face')} became their appearances.`);
    else setError(result.error.message);
  };

  return (
    <li className="unknown-group">
      <h3>{title}</h3>
      <p className="muted">
        {plural(group.tracks.length, 'face')} in {clips.join(', ')}
        {cardsOf.length > 0 ? ` (from ${cardsOf.join(', ')})` : ''}
      </p>
      {suggested.length > 0 && (
        <p className="group-suggestion">
          Looks like {suggested.map((s) => s.pseudonym).join(' or ')}: decide on {suggested.length === 1 ? 'their page' : 'their pages'}, or name every face
          here at once.
        </p>
      )}
      <div className="face-strip">
        {group.tracks.slice(0, FACES_SHOWN).map((t) => (
          <FaceThumb
            key={t.trackId}
            place={`of ${title} in ${t.code} at ${timeRange(t.from, t.to)}`}
            load={(reveal) => callCore('faces.trackThumbnail', { clipId: t.clipId, trackId: t.trackId, reveal })}
          />
        ))}
      </div>
      {group.tracks.length > FACES_SHOWN && <p className="muted">and {plural(group.tracks.length - FACES_SHOWN, 'more face')}</p>}
      {subjects.length === 0 ? (
        <p className="muted">Add a subject for this person first, then name them here.</p>
      ) : (
        <div className="name-group">
          <label htmlFor={selectId}>
            Who is {title}?
            <select id={selectId} value={subjectId} onChange={(event) => setSubjectId(event.target.value)}>
              <option value="">Choose a subject</option>
              {subjects.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.pseudonym}
                </option>
              ))}
            </select>
          </label>
          <button type="button" onClick={() => void name()} disabled={busy || !subjectId} aria-label={`Name them: ${title}`}>
            Name them
          </button>
        </div>
      )}
      {error && <ErrorNotice message={error} />}
    </li>
  );
}
