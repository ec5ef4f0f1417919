import type { SafetyFix } from '../../shared/model';

/**
 * How the CLI words a safety fix: the command that does it, with the ids filled in. The core only says what
 * to do to which clip or subject; the window shows a button for the same fix instead.
 */
export function fixCommand(fix: SafetyFix): string {
  const clip = fix.clipId ?? 'CLIP_ID';
  const subject = fix.subjectId ?? 'SUBJECT_ID';
  switch (fix.action) {
    case 'inspect-quarantined':
      return `Read its report (safehouse report) and check the original on the card with a metadata tool; re-offload it in a format Safehouse can clean, or leave clip ${clip} out.`;
    case 'offload-again':
      return 'Offload the card again (safehouse ingest CARD --vault DIR): verified clips are skipped, this one is retried.';
    case 'finish-offload':
      return 'Let the offload finish, or run it again to resume (safehouse ingest CARD --vault DIR).';
    case 'record-who-appears':
      return `Watch it and record each person (safehouse appear --clip ${clip} --subject ID), or that nobody identifiable appears (safehouse review --clip ${clip} --no-people).`;
    case 'recall-exports':
      return `Keep clip ${clip} out of the edit and recall every export that contained it (safehouse subjects show --subject ${subject}); only new written consent reopens it.`;
    case 'leave-out-or-remove-appearance':
      return `Leave clip ${clip} out, or remove the appearance if subject ${subject} is not actually in it.`;
    case 'record-consent':
      return `Record their consent (safehouse subjects consent --subject ${subject} --state given|conditional|pending|withdrawn --scope TEXT).`;
    case 'draw-face-regions':
      return `Draw or detect a region track for subject ${subject} in clip ${clip} (in the app's Subjects screen); until then the proxy hides the whole frame.`;
    case 'confirm-face-tracks':
      return `Check every face is tracked (delete false ones, adjust or add missed ones, assign known people: safehouse faces list --clip ${clip}), then confirm (safehouse faces confirm --clip ${clip}).`;
    case 'decide-proposals':
      return `A face in clip ${clip} looks like a named subject: accept or reject each proposal (safehouse faces proposals, then safehouse faces accept|reject --proposal ID).`;
  }
}
