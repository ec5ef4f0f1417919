import { useEffect, useRef, useState } from 'react';
import type { SubjectDetail } from '../../../shared/model';
import { callCore } from '../safehouse';
import { AppearanceTagger } from './AppearanceTagger';
import { ConsentBadge, ProtectionBadges } from './Badges';
import { ConsentEditor } from './ConsentEditor';
import { ErrorNotice } from './EmptyState';
import { ProtectionToggles } from './ProtectionToggles';
import { RecallList } from './RecallList';
import { SubjectAppearances } from './SubjectAppearances';
import { SubjectProposals } from './SubjectProposals';

/** One subject: identity (if this vault may open it), consent, protection, appearances and past exports. */
export function SubjectDetailPanel({
  subjectId,
  initialClipId,
  proposalsClipId,
  refreshKey,
  onChanged,
}: {
  subjectId: string;
  initialClipId?: string;
  /** Open with the faces proposed in this clip first (from the Safety screen). */
  proposalsClipId?: string;
  /** Changes when something elsewhere on the screen may have changed this subject (a group named as them). */
  refreshKey: number;
  onChanged: () => void;
}) {
  const [subject, setSubject] = useState<SubjectDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tagging, setTagging] = useState(Boolean(initialClipId));

  const load = async () => {
    const result = await callCore('subjects.get', { id: subjectId });
    if (result.ok) setSubject(result.value);
    else setError(result.error.message);
  };
  useEffect(() => {
    setSubject(null);
    setError(null);
    void load();
  }, [subjectId]);
  // A refresh keeps what is on screen (and any revealed face) until the new answer arrives.
  const firstRefresh = useRef(refreshKey);
  useEffect(() => {
    if (refreshKey !== firstRefresh.current) void load();
  }, [refreshKey]);

  if (error) return <ErrorNotice message={error} />;
  if (!subject) return <p aria-busy="true">Opening subject…</p>;

  const changed = (next: SubjectDetail) => {
    setSubject(next);
    onChanged();
  };
  const refresh = async () => {
    await load();
    onChanged();
  };

  return (
    <article className="subject-detail" aria-labelledby="subject-title">
      <header className="subject-header">
        <h2 id="subject-title">{subject.pseudonym}</h2>
        <div className="badges">
          <ConsentBadge state={subject.consent?.state ?? 'unrecorded'} />
          <ProtectionBadges protection={subject.protection} />
        </div>
        <p className={subject.unprotectedClipCount > 0 ? 'warn' : 'ok'}>
          {subject.unprotectedClipCount === 0
            ? `Appears in ${subject.appearances.length} clip${subject.appearances.length === 1 ? '' : 's'}; none leaves them unprotected.`
            : `${subject.unprotectedClipCount} clip${subject.unprotectedClipCount === 1 ? '' : 's'} still leave${subject.unprotectedClipCount === 1 ? 's' : ''} something about them unresolved.`}
        </p>
        <dl className="facts">
          <dt>Real name</dt>
          <dd>
            {subject.identity?.realName ? (
              <RealName name={subject.identity.realName} pseudonym={subject.pseudonym} />
            ) : subject.identitySealed ? (
              'Sealed to HQ: this vault cannot open it.'
            ) : (
              'None recorded.'
            )}
          </dd>
        </dl>
      </header>
      <ConsentEditor subject={subject} onChanged={changed} />
      <ProtectionToggles subject={subject} onChanged={changed} />
      <section className="panel-section" aria-labelledby="appearances-title">
        <div className="row">
          <h3 id="appearances-title" className="grow">
            Appearances
          </h3>
          {!tagging && (
            <button type="button" onClick={() => setTagging(true)}>
              Tag an appearance
            </button>
          )}
        </div>
        <SubjectAppearances subject={subject} onRemoved={refresh} />
        {tagging && (
          <AppearanceTagger
            subjectId={subject.id}
            {...(initialClipId ? { initialClipId } : {})}
            onAdded={() => {
              setTagging(false);
              void refresh();
            }}
          />
        )}
      </section>
      <SubjectProposals subjectId={subject.id} pseudonym={subject.pseudonym} refreshKey={refreshKey} {...(proposalsClipId ? { firstClipId: proposalsClipId } : {})} onDecided={() => void refresh()} />
      <RecallList recall={subject.exports} title="Exports that held them" />
    </article>
  );
}

/**
 * A real name stays hidden until someone asks to see it, so it is not read over a shoulder or caught in a
 * screen share. The state lives in this panel only: opening another subject, leaving the screen or
 * locking the vault unmounts it, and the name is hidden again.
 */
function RealName({ name, pseudonym }: { name: string; pseudonym: string }) {
  const [shown, setShown] = useState(false);
  return shown ? (
    <span className="row wrap">
      <span className="real-name">{name}</span>
      <button type="button" className="link" onClick={() => setShown(false)}>
        Hide
      </button>
    </span>
  ) : (
    <button type="button" className="link" onClick={() => setShown(true)} aria-label={`Reveal the real name of ${pseudonym}`}>
      Reveal
    </button>
  );
}
