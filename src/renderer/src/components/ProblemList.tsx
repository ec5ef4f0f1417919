import { useState } from 'react';
import type { SafetyReason } from '../../../shared/model';
import { fixButton } from '../fix-words';
import { plural } from '../format';
import { useApp } from '../navigation';
import { callCore } from '../safehouse';
import type { ProblemEntry, ProblemGroup } from '../safety-groups';
import { SafetyBadge } from './Badges';
import { Dialog } from './Dialog';
import { ErrorNotice } from './EmptyState';

/** Rows of a group shown at once; "Show more" adds as many. 10,000 problems never render at once. */
const PAGE = 25;

/** Problems in groups that open on demand, each clip with its reasons and a button that does the fix. */
export function ProblemList({ groups, expanded, onFixed }: { groups: ProblemGroup[]; expanded: boolean; onFixed: () => void }) {
  if (groups.length === 0) return <p className="ok" role="status">Nothing to fix here.</p>;
  return (
    <ul className="problem-groups" aria-label="Problems">
      {groups.map((group, index) => (
        <ProblemGroupView key={group.key} group={group} initiallyOpen={expanded || (index === 0 && groups.length <= 3)} onFixed={onFixed} />
      ))}
    </ul>
  );
}

function ProblemGroupView({ group, initiallyOpen, onFixed }: { group: ProblemGroup; initiallyOpen: boolean; onFixed: () => void }) {
  const [open, setOpen] = useState(initiallyOpen);
  const [shown, setShown] = useState(PAGE);
  const panelId = `group-${group.key}`;
  return (
    <li className={`problem-group ${group.blocked ? 'problem-blocked' : ''}`}>
      <button type="button" className="group-toggle" aria-expanded={open} aria-controls={panelId} onClick={() => setOpen(!open)}>
        <span aria-hidden="true">{open ? '▾' : '▸'}</span> <span className="grow">{group.title}</span>
        <span className={group.blocked ? 'badge safety-badge-blocked' : 'badge safety-badge-needs-review'}>{plural(group.entries.length, 'clip')}</span>
      </button>
      {open && (
        <div id={panelId}>
          <ul className="problem-list">
            {group.entries.slice(0, shown).map((entry) => (
              <ProblemRow key={entry.clip.clipId} entry={entry} onFixed={onFixed} />
            ))}
          </ul>
          {group.entries.length > shown && (
            <button type="button" onClick={() => setShown(shown + PAGE)}>
              Show {Math.min(PAGE, group.entries.length - shown)} more of {group.entries.length - shown}
            </button>
          )}
        </div>
      )}
    </li>
  );
}

function ProblemRow({ entry, onFixed }: { entry: ProblemEntry; onFixed: () => void }) {
  const { clip, reasons } = entry;
  return (
    <li className={`problem problem-${clip.safety}`}>
      <div className="problem-head">
        <strong>{clip.code}</strong> <SafetyBadge safety={clip.safety} />
      </div>
      <ul>
        {reasons.map((reason, index) => (
          <li key={`${reason.code}-${reason.subjectId ?? ''}-${index}`}>
            <p className="problem-message">{reason.message}</p>
            <FixAction code={clip.code} reason={reason} onFixed={onFixed} />
          </li>
        ))}
      </ul>
    </li>
  );
}

/** The button that does the fix, or opens the screen where it is done; never a command line. */
function FixAction({ code, reason, onFixed }: { code: string; reason: SafetyReason; onFixed: () => void }) {
  const { go } = useApp();
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const words = fixButton(reason.fix, code);
  return (
    <div className="row wrap fix-actions">
      <span className="problem-fix grow">{words.hint}</span>
      <button type="button" onClick={() => go(words.target)}>
        {words.label}
      </button>
      {reason.fix.action === 'record-who-appears' && reason.fix.clipId && (
        <button type="button" onClick={() => setConfirming(true)}>
          Nobody identifiable in {code}…
        </button>
      )}
      {confirming && reason.fix.clipId && (
        <Dialog title={`Nobody identifiable in ${code}?`} onClose={() => setConfirming(false)}>
          <p>Only answer yes if you watched {code} and saw no face, voice, name or place that could identify someone.</p>
          <div className="row end">
            <button type="button" data-autofocus onClick={() => setConfirming(false)}>
              Not sure yet
            </button>
            <button
              type="button"
              className="primary"
              onClick={async () => {
                const result = await callCore('clips.review', { clipId: reason.fix.clipId!, noPeople: true });
                setConfirming(false);
                if (result.ok) onFixed();
                else setError(result.error.message);
              }}
            >
              Yes, nobody appears
            </button>
          </div>
        </Dialog>
      )}
      {error && <ErrorNotice message={error} />}
    </div>
  );
}
