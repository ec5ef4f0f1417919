import { useState } from 'react';
import type { ClipSafetyReport, SafetyReason } from '../../../shared/model';
import { useApp } from '../navigation';
import { callCore } from '../safehouse';
import { SafetyBadge } from './Badges';
import { ErrorNotice } from './EmptyState';

/** Every clip that is not cleared, each reason with what fixes it and, where possible, a way to go and fix it. */
export function ProblemList({ clips, onFixed }: { clips: ClipSafetyReport[]; onFixed: () => void }) {
  const problems = clips.filter((clip) => clip.safety !== 'cleared').sort((a, b) => rank(a) - rank(b) || a.code.localeCompare(b.code));
  if (problems.length === 0) return <p className="ok" role="status">Every clip is cleared: nothing to fix.</p>;
  return (
    <ul className="problem-list" aria-label="Problems">
      {problems.map((clip) => (
        <li key={clip.clipId} className={`problem problem-${clip.safety}`}>
          <div className="problem-head">
            <strong>{clip.code}</strong> <SafetyBadge safety={clip.safety} />
          </div>
          <ul>
            {clip.reasons.map((reason, index) => (
              <li key={`${reason.code}-${reason.subjectId ?? ''}-${index}`}>
                <p className="problem-message">{reason.message}</p>
                <p className="problem-fix">
                  <span className="fix-label">Fix:</span> {reason.fix}
                </p>
                <FixAction clip={clip} reason={reason} onFixed={onFixed} />
              </li>
            ))}
          </ul>
        </li>
      ))}
    </ul>
  );
}

function rank(clip: ClipSafetyReport): number {
  return clip.safety === 'blocked' ? 0 : 1;
}

/** The button that takes the producer to the place where this reason is fixed, or fixes it in place. */
function FixAction({ clip, reason, onFixed }: { clip: ClipSafetyReport; reason: SafetyReason; onFixed: () => void }) {
  const { go } = useApp();
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  switch (reason.code) {
    case 'consent-withdrawn':
    case 'subject-excluded':
    case 'consent-pending':
    case 'consent-unrecorded':
      return reason.subjectId ? (
        <button type="button" className="link" onClick={() => go({ screen: 'subjects', subjectId: reason.subjectId! })}>
          Open the subject
        </button>
      ) : null;
    case 'face-uncovered':
      return reason.subjectId ? (
        <button type="button" className="link" onClick={() => go({ screen: 'subjects', subjectId: reason.subjectId!, clipId: clip.clipId })}>
          Draw a region track in {clip.code}
        </button>
      ) : null;
    case 'clip-unreviewed':
      return (
        <div className="row wrap fix-actions">
          <button type="button" className="link" onClick={() => go({ screen: 'subjects' })}>
            Tag who appears (Subjects)
          </button>
          {confirming ? (
            <>
              <span>Did you watch {clip.code} and see nobody identifiable?</span>
              <button
                type="button"
                onClick={async () => {
                  const result = await callCore('clips.review', { clipId: clip.clipId, noPeople: true });
                  if (result.ok) onFixed();
                  else setError(result.error.message);
                  setConfirming(false);
                }}
              >
                Yes, nobody appears
              </button>
              <button type="button" onClick={() => setConfirming(false)}>
                Cancel
              </button>
            </>
          ) : (
            <button type="button" onClick={() => setConfirming(true)}>
              Record “nobody identifiable”
            </button>
          )}
          {error && <ErrorNotice message={error} />}
        </div>
      );
    case 'clip-quarantined':
    case 'clip-failed':
    case 'clip-not-verified':
      return (
        <button type="button" className="link" onClick={() => go({ screen: reason.code === 'clip-quarantined' ? 'library' : 'offload' })}>
          {reason.code === 'clip-quarantined' ? 'See its report (Library)' : 'Go to Offload'}
        </button>
      );
    default:
      return null;
  }
}
