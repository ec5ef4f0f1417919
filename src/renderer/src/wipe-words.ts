import type { ClipFailureKind, WipeBlocker, WipeBlockerReason } from '../../shared/model';

/** The window's words for why a file keeps a card from being safe to wipe (the CLI has its own). */
const failureWords: Record<ClipFailureKind, string> = {
  'disk-full': 'failed: the vault disk was full. Free some space and offload the card again.',
  'tool-crashed': 'failed: the video tool stopped unexpectedly. Offload the card again.',
  'tool-timed-out': 'failed: the video tool hung and was stopped. Offload the card again.',
  'read-error': 'failed: the card reported a read error and may be damaged. Try another card reader, then offload again.',
  'source-changed': 'failed: the file changed or vanished while it was read. Check the card and offload again.',
  'verify-mismatch': 'failed: the vault copy did not read back as written. Offload the card again.',
  'not-attempted': 'not copied: the offload stopped before this file. Offload the card again to finish it.',
  other: 'failed: something went wrong inside Safehouse. Offload the card again, and report it if it repeats.',
};

const reasonWords: Record<Exclude<WipeBlockerReason, ClipFailureKind>, string> = {
  'not-yet-copied': 'not copied into the vault yet. Offload the card again.',
  'not-yet-verified': 'copied but not yet read back from the vault. Offload the card again.',
  'symbolic-link': 'a link to somewhere else, never followed. Look at what it points to before you format the card.',
  'not-a-regular-file': 'a device, pipe or socket, never opened. Look at it on a computer before you format the card.',
  'other-volume': 'another volume is mounted here and was not scanned.',
  'nested-too-deep': 'folders nested too deep to scan. Copy them by hand before you format the card.',
  'permission-denied': 'cannot be read: permission denied.',
  'card-read-error': 'cannot be read: the card may be damaged. Try another card reader.',
  vanished: 'vanished during the scan, or its name is not valid text. Copy it by hand.',
  unreadable: 'cannot be read. Copy it by hand.',
  'name-has-control-characters': 'not copied: its name holds control characters (such as a newline). Rename it on a computer and offload again.',
  'unrecognised-media-name': 'not copied: it looks like media but its name is not one Safehouse recognises (a trailing space or dot?). Rename it and offload again.',
  'object-damaged': 'its copy in the vault is damaged. Offload the card again to store it again.',
};

export function blockerWords(blocker: WipeBlocker): string {
  const reason = blocker.reason;
  return reason in failureWords ? failureWords[reason as ClipFailureKind] : (reasonWords[reason as Exclude<WipeBlockerReason, ClipFailureKind>] ?? 'not safely in the vault.');
}
