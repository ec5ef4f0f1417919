/**
 * Transient or permanent: the one place that decides whether a clip's trouble is the file's (quarantine: the
 * original is kept, sealed, for review or a later retry) or the moment's (failed: disk full, a tool crash or
 * hang, a read error; the next run tries again). A transient failure never quarantines a clean clip "for good".
 */
import type { ClipFailureKind, QuarantineReason } from '../../../shared/model';
import { SafehouseError } from '../../../shared/errors';
import { isToolUnavailable } from '../media/memory-file';
import { stillFormat, type StillFormat } from '../media/still-master';

const errnoOf = (error: unknown): unknown => (error as { code?: unknown } | null)?.code;

export function failureKindOf(error: unknown): ClipFailureKind {
  const code = errnoOf(error);
  if (code === 'DISK_FULL' || code === 'ENOSPC' || code === 'EDQUOT') return 'disk-full';
  if (code === 'TOOL_CRASHED' || code === 'ENOMEM' || code === 'EMFILE' || code === 'ENFILE') return 'tool-crashed';
  if (code === 'TOOL_TIMEOUT') return 'tool-timed-out';
  if (code === 'CARD_READ_ERROR' || code === 'EIO' || code === 'ENXIO' || code === 'ENODEV') return 'read-error';
  if (code === 'SOURCE_CHANGED' || code === 'ENOENT' || code === 'ESTALE') return 'source-changed';
  return 'other';
}

/** True when the error says nothing about the file itself: the clip is left failed, to be retried. */
export function isTransient(error: unknown): boolean {
  return failureKindOf(error) !== 'other';
}

/** Why a still could not be cleaned, from what its bytes really are (a ".jpg" that is not a JPEG …). */
export function stillQuarantineReason(bytes: Buffer, ext: string, error?: unknown): QuarantineReason {
  // The decoder for this type is not installed (or no memory file system to hand it the photo): nothing is
  // wrong with the photo, but it cannot be cleaned here.
  if (isToolUnavailable(error)) return 'cannot-sanitize';
  const e = ext.toLowerCase().replace(/^\./, '');
  const format = stillFormat(bytes, ext);
  const named = NAMED_FORMATS[e];
  if (format) return named && named !== format ? 'still-extension-mismatch' : 'still-damaged';
  return named ? 'still-extension-mismatch' : 'still-type-unsupported';
}

// What an extension promises, for telling a renamed file from a damaged one.
const NAMED_FORMATS: Record<string, StillFormat> = {
  jpg: 'jpeg', jpeg: 'jpeg', png: 'png', gif: 'gif', webp: 'webp', tif: 'tiff', tiff: 'tiff', bmp: 'bmp',
  heic: 'heif', heif: 'heif', hif: 'heif', avif: 'heif', jxl: 'jxl',
};

/**
 * The stored `reason` text of a quarantined clip, for readers that predate the codes. One statement, no tool
 * output: the faces word the code themselves.
 */
const QUARANTINE_TEXT: Record<QuarantineReason, string> = {
  'not-media': 'not readable as audio, video or a photo',
  'no-audio-or-video': 'it holds no audio or video stream to keep',
  'cannot-sanitize': 'its metadata could not be removed',
  'proof-failed': 'the cleaned copy failed the proof that it is clean',
  'content-lost': 'the cleaned copy would hold less than the original',
  'does-not-decode': 'its picture or sound does not decode',
  'still-too-large': 'the photo is too large to clean in memory',
  'still-extension-mismatch': 'the file name says it is a photo type that its content is not',
  'still-type-unsupported': 'this photo type cannot be cleaned yet',
  'still-damaged': 'the photo is damaged',
};

export function quarantineText(reason: QuarantineReason): string {
  return `Quarantined: ${QUARANTINE_TEXT[reason]}. The original is kept, sealed, for review; it is never exported.`;
}

/** A read that failed on the card (not on the vault disk): EIO there means the card may be damaged. */
export function asCardReadError(error: unknown): unknown {
  return errnoOf(error) === 'EIO' ? new SafehouseError('CARD_READ_ERROR', undefined, { cause: error }) : error;
}
