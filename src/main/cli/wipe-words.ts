/**
 * The CLI's words for the core's codes: why a card is not safe to wipe, why a clip failed (each retried by
 * running the same command again), why a clip was quarantined. One statement each, something a person can
 * act on, never a tool's raw output.
 */
import type { ClipFailureKind, QuarantineReason, WipeBlocker, WipeBlockerReason } from '../../shared/model';
import { displayPath } from '../core/ingest/card-scan';

const failureWords: Record<ClipFailureKind, string> = {
  'disk-full': 'the vault disk was full; free some space and run the same command again',
  'tool-crashed': 'ffmpeg or ffprobe stopped unexpectedly; run the same command again',
  'tool-timed-out': 'ffmpeg or ffprobe hung and was stopped; run the same command again',
  'read-error': 'the card reported a read error: the card may be damaged; try another card reader and run the same command again',
  'source-changed': 'the file changed or vanished on the card while it was read; check the card and run the same command again',
  'verify-mismatch': 'the vault copy did not read back as written; run the same command again',
  'not-attempted': 'not attempted because the offload stopped early; run the same command again',
  other: 'an unexpected error inside Safehouse; run the same command again, and report it if it repeats',
};

const blockerWords: Record<Exclude<WipeBlockerReason, ClipFailureKind>, string> = {
  'not-yet-copied': 'not copied into the vault yet; run the offload again',
  'not-yet-verified': 'copied but not yet read back from the vault; run the offload again',
  'symbolic-link': 'a symbolic link, never followed; look at what it points to before you format the card',
  'not-a-regular-file': 'a device, pipe or socket, never opened; look at it on a computer before you format the card',
  'other-volume': 'another volume is mounted here and was not scanned',
  'nested-too-deep': 'folders nested too deep to scan; copy them by hand before you format the card',
  'permission-denied': 'cannot be read: permission denied',
  'card-read-error': 'cannot be read: the card may be damaged; try another card reader',
  vanished: 'vanished during the scan, or its name is not valid text; copy it by hand',
  unreadable: 'cannot be read; copy it by hand',
  'name-has-control-characters': 'not copied: its name holds control characters (such as a newline); rename it on a computer and run the offload again',
  'unrecognised-media-name': 'not copied: it looks like media but its name is not one Safehouse recognises (a trailing space or dot?); rename it and run the offload again',
  'object-damaged': 'its copy in the vault is damaged; run the offload again with the card to store it again',
};

const quarantineWords: Record<QuarantineReason, string> = {
  'not-media': 'this file is not readable as audio, video or a photo',
  'no-audio-or-video': 'this file holds no audio or video stream',
  'cannot-sanitize': 'its metadata could not be removed safely',
  'proof-failed': 'the cleaned copy still carried metadata, so it was not used',
  'content-lost': 'the cleaned copy would have held less of the picture or sound than the original',
  'does-not-decode': 'its picture or sound does not decode: the file is damaged',
  'still-too-large': 'this photo is too large to clean',
  'still-extension-mismatch': 'this file is named like a JPEG or PNG image but is not one',
  'still-type-unsupported': 'this photo type cannot be cleaned yet',
  'still-damaged': 'this photo is damaged',
};

export const failureText = (kind: ClipFailureKind): string => failureWords[kind];

/** The whole sentence for a quarantined clip: why, and that the original is kept (one statement). */
export function quarantineText(reason: QuarantineReason, file: string): string {
  const ext = /\.([^./]+)$/.exec(file)?.[1]?.toLowerCase() ?? '';
  const why = reason === 'still-extension-mismatch' ? `this file is named .${ext} but is not a ${ext === 'png' ? 'PNG' : 'JPEG'} image` : quarantineWords[reason];
  return `${why}; the original is kept, sealed, for review`;
}

export function blockerText(blocker: WipeBlocker): string {
  const reason = blocker.reason;
  return reason in failureWords ? `failed: ${failureWords[reason as ClipFailureKind]}` : blockerWords[reason as Exclude<WipeBlockerReason, ClipFailureKind>];
}

/** The lines that end every offload summary, `cards` entry and refused wipe: the verdict and, per file, why. */
export function verdictLines(verdict: { safeToWipe: boolean; wipeBlockers: WipeBlocker[] }, indent = '  '): string[] {
  if (verdict.safeToWipe) return ['SAFE TO WIPE: every file on this card is in the vault and was read back.'];
  if (verdict.wipeBlockers.length === 0) return ['NOT safe to wipe: nothing from this card is in the vault.'];
  const n = verdict.wipeBlockers.length;
  return [
    `NOT safe to wipe: ${n} file${n === 1 ? ' is' : 's are'} not safely in the vault:`,
    ...verdict.wipeBlockers.map((blocker) => `${indent}${displayPath(blocker.file)}: ${blockerText(blocker)}`),
  ];
}
