import type { SafetyFix } from '../../shared/model';
import type { NavigationTarget } from './navigation';

/**
 * How the window words a safety fix: a button label, a line of explanation, and the screen where the fix is
 * done, opened at the subject or clip concerned. Never a command line, never an id.
 */
export function fixButton(fix: SafetyFix, clipCode: string): { label: string; hint: string; target: NavigationTarget } {
  const subject = fix.subjectId ? { subjectId: fix.subjectId } : {};
  const clip = fix.clipId ? { clipId: fix.clipId } : {};
  switch (fix.action) {
    case 'inspect-quarantined':
      return { label: `Open ${clipCode} and its report`, hint: 'It could not be cleaned: check the original, offload it again in a format Safehouse can clean, or leave it out.', target: { screen: 'library', ...clip } };
    case 'offload-again':
      return { label: 'Offload the card again', hint: 'Verified clips are skipped; this one is retried.', target: { screen: 'offload' } };
    case 'finish-offload':
      return { label: 'Go to the offload', hint: 'Let the offload finish, or start it again to resume.', target: { screen: 'offload' } };
    case 'record-who-appears':
      return { label: `Tag who appears in ${clipCode}`, hint: 'Record each person in it, or that nobody identifiable appears.', target: { screen: 'subjects', ...clip } };
    case 'recall-exports':
      return { label: 'Open the subject and the exports to recall', hint: `Keep ${clipCode} out of the edit; only new written consent reopens it.`, target: { screen: 'subjects', ...subject } };
    case 'leave-out-or-remove-appearance':
      return { label: 'Open the subject', hint: `Leave ${clipCode} out, or remove the appearance if they are not actually in it.`, target: { screen: 'subjects', ...subject } };
    case 'record-consent':
      return { label: 'Record their consent', hint: 'Obtain their answer and record it.', target: { screen: 'subjects', ...subject } };
    case 'draw-face-regions':
      return { label: `Draw their face track in ${clipCode}`, hint: 'Until then the proxy hides the whole frame.', target: { screen: 'subjects', ...subject, ...clip } };
    case 'confirm-face-tracks':
      return { label: `Check the faces found in ${clipCode}`, hint: 'Delete false ones, adjust or add missed ones, name the people you know, then confirm.', target: { screen: 'library', ...clip } };
    case 'decide-proposals':
      return { label: `Decide who appears in ${clipCode}`, hint: 'A face in it looks like someone already named: accept or reject each proposal.', target: { screen: 'subjects', ...clip, show: 'proposals' } };
  }
}
