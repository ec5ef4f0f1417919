/**
 * Every failure the core can report, with the sentence a person sees. Codes are stable (the CLI's --json
 * output and the UI switch on them); messages say what happened and what to do next.
 */
export const errorMessages = {
  INVALID_INPUT: 'The request was malformed.',
  FORBIDDEN_SENDER: 'This request did not come from the Safehouse window and was refused.',
  UNKNOWN_CALL: 'Safehouse does not know this request.',
  VAULT_NOT_FOUND: 'No Safehouse vault was found in this folder. Check the path, or create a vault with `safehouse init`.',
  VAULT_EXISTS: 'This folder already holds files. Choose an empty folder for a new vault.',
  VAULT_CORRUPT: 'The vault header (vault.json) is damaged or was altered. Restore it from a backup.',
  VAULT_UNSAFE_PARAMETERS: 'The vault asks for key-derivation settings outside the safe range. It may have been tampered with; it was not opened.',
  VAULT_LOCKED: 'The vault is locked. Unlock it with the passphrase first.',
  WRONG_PASSPHRASE: 'That passphrase does not open this vault. Nothing was changed; try again.',
  WEAK_PASSPHRASE: 'That passphrase is too short. Use at least 12 characters, ideally several unrelated words.',
  KEY_CLASS_UNAVAILABLE: 'This vault cannot open that kind of data here (it is sealed to HQ only).',
  INTEGRITY: 'A vault object failed its integrity check: it is damaged or was tampered with. Nothing from it was used.',
  RECIPIENT_CARD_INVALID: 'This recipient card is damaged or altered (its fingerprint does not match its keys). Ask the sender for the card again and compare the fingerprint aloud.',
  RECIPIENT_CARD_UNSIGNED: 'This recipient card is not signed (an older Safehouse exported it), so a field vault cannot pin it. Ask HQ to export its card again and compare the fingerprint aloud.',
  RECIPIENTS_NOT_SIGNED: 'The keys this field vault would seal masters or identities to are not the ones HQ signed: vault.json was changed or an unsigned recipient was offered. Nothing was sealed to them. Add HQ keys only with a recipient set HQ signed; if nobody here changed vault.json, restore it from a backup and tell HQ.',
  RECIPIENT_SET_INVALID: 'This recipient set was not signed by the HQ key this field vault trusts, or it is not newer than the one in use. Nothing was changed; ask HQ for a fresh signed set.',
  VAULT_PANICKED: 'This vault was destroyed with the panic action: its keys are gone from this computer and no passphrase opens it any more. What was sent to HQ still opens there.',
  OBJECT_NOT_FOUND: 'A vault object is missing. Run a verification and restore the vault from a backup.',
  DISK_FULL: 'The disk is full. Free some space and run the same command again: finished work is kept.',
  FFMPEG_MISSING: 'ffmpeg/ffprobe were not found. Install them (for example `apt-get install ffmpeg`) and try again.',
  NOT_MEDIA: 'This file is not readable audio or video (it is empty, truncated or not a media file). It was not imported; copy it again from the card or check it on the camera.',
  CANNOT_SANITIZE: 'This file type cannot be cleaned safely; it was stored encrypted and quarantined for review.',
  SANITIZE_FAILED: 'Removing the metadata from this file failed, so it was not imported as clean. It was stored encrypted and quarantined for review.',
  SOURCE_NOT_FOUND: 'The card folder was not found or cannot be read.',
  VAULT_BUSY: 'Another Safehouse process is writing to this vault. Wait for it to finish, then try again.',
  SOURCE_CHANGED: 'A file changed on the card while it was being read. Check the card and run the offload again.',
  NOT_FOUND: 'That item does not exist in this vault.',
  NOT_SAFE: 'This is not safe to do yet.',
  PROXY_FAILED: 'Making the anonymised proxy failed; nothing was stored. The master is unchanged; try again, and report it if it keeps failing.',
  FONT_MISSING: 'The font for the proxy burn-in was not found. Install it (Debian/Ubuntu: `apt-get install fonts-dejavu-core`) or point SAFEHOUSE_PROXY_FONT at a .ttf file.',
  TOOL_CRASHED: 'ffmpeg or ffprobe stopped unexpectedly while working on this file. Nothing was lost; run the same command again to retry it.',
  TOOL_TIMEOUT: 'ffmpeg or ffprobe took too long on this file and was stopped. Nothing was lost; run the same command again to retry it.',
  CARD_READ_ERROR: 'The card reported a read error: the card may be damaged. Do not format it. Try another card reader, then run the same command again.',
  OFFLOAD_CANCELLED: 'The offload was cancelled before it started. Nothing from this card was copied; start it again when ready.',
  CANCELLED: 'The task was cancelled before it finished; nothing from it was stored. Start it again when you are ready.',
  FACE_DETECTOR_MISSING: 'The face detector files (model weights or its WebAssembly runtime) were not found. Reinstall Safehouse, or from source run `npm ci` and `npm run build`.',
  INTERNAL: 'Something went wrong inside Safehouse. Your vault was not changed by this step.',
  SYNC_REFUSED: 'Something in the sync remote failed its checks (a forged, altered or reordered record or object, or an unknown device). Nothing from this pull was imported.',
  REMOTE_FAILED: 'The sync remote could not be reached or refused the request. Check the address, the credentials and the connection, then run the same command again: what was sent is kept.',
} as const;

export type ErrorCode = keyof typeof errorMessages;

/**
 * Why a sync failed, as data: the message is the CLI's sentence; the window words the reason its own way
 * (what happened, what to do) without quoting a tool's error name.
 */
export type ErrorReason =
  | 'remote-unreachable'
  | 'remote-no-bucket'
  | 'remote-credentials'
  | 'remote-denied'
  | 'remote-folder-missing'
  | 'device-not-enrolled'
  | 'sealed-to-another-hq';

export interface SafehouseErrorShape {
  code: ErrorCode;
  message: string;
  reason?: ErrorReason;
}

/** Thrown inside the core; converted to `{ ok: false, error }` at the contract boundary. */
export class SafehouseError extends Error {
  readonly code: ErrorCode;
  readonly reason: ErrorReason | undefined;
  constructor(code: ErrorCode, message?: string, options?: { cause?: unknown; reason?: ErrorReason }) {
    super(message ?? errorMessages[code], options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SafehouseError';
    this.code = code;
    this.reason = options?.reason;
  }
  toJSON(): SafehouseErrorShape {
    return { code: this.code, message: this.message, ...(this.reason ? { reason: this.reason } : {}) };
  }
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: SafehouseErrorShape };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

/** Turns anything thrown into a result a person can read; unknown errors never leak internals. */
export function toErrorShape(error: unknown): SafehouseErrorShape {
  if (error instanceof SafehouseError) return error.toJSON();
  const errno = (error as { code?: unknown } | null)?.code;
  if (errno === 'ENOSPC') return { code: 'DISK_FULL', message: errorMessages.DISK_FULL };
  return { code: 'INTERNAL', message: errorMessages.INTERNAL };
}
