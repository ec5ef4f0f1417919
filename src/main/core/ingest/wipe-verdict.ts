/**
 * THE one rule for "safe to wipe": every file on the card that is not OS litter is in the vault (verified,
 * or quarantined with its sealed original read back), or is deliberately not kept (a sidecar that carries
 * location, an empty file, a file that is not media). Anything else blocks, per file, with a code the
 * faces word. Pure: `ingest`, `cards`, `report`, `wipe-card` and the window all come here.
 */
import type { ClipFailureKind, ClipStatus, WipeBlocker, WipeBlockerReason, WipeBlockerState } from '../../../shared/model';

/** What is known about one file of a card. */
export type CardFileState =
  | { state: 'verified' }
  | { state: 'quarantined-kept' }
  /** Not kept on purpose and nothing is lost by that: location sidecars, empty files, non-media files. */
  | { state: 'not-needed' }
  | { state: WipeBlockerState; reason: WipeBlockerReason };

export interface CardFileVerdictInput {
  file: string;
  status: CardFileState;
}

export interface WipeVerdict {
  safeToWipe: boolean;
  wipeBlockers: WipeBlocker[];
}

export function decideWipe(files: readonly CardFileVerdictInput[]): WipeVerdict {
  const wipeBlockers: WipeBlocker[] = [];
  let kept = 0;
  for (const { file, status } of files) {
    if (status.state === 'verified' || status.state === 'quarantined-kept') kept += 1;
    else if (status.state !== 'not-needed') wipeBlockers.push({ file, state: status.state, reason: status.reason });
  }
  // A card with nothing in the vault is not "safe to wipe" either: there is nothing the vault holds for it,
  // and a card whose scan found no clip is more likely the wrong folder than an empty card.
  return { safeToWipe: wipeBlockers.length === 0 && kept > 0, wipeBlockers };
}

/** The catalog's view of one clip, as far as the verdict needs it. */
export interface ClipRowState {
  status: ClipStatus;
  verifiedAt: string | null;
  masterObjectId: string | null;
  failureKind: ClipFailureKind | null;
}

/**
 * A clip's state for the verdict. A quarantined clip counts as kept only once its sealed original was read
 * back and matched (verified_at); a stored object known to be damaged blocks whatever the status says.
 */
export function clipFileState(row: ClipRowState | undefined, damagedObjectIds: ReadonlySet<string> = new Set()): CardFileState {
  if (!row) return { state: 'pending', reason: 'not-yet-copied' };
  if (row.masterObjectId && damagedObjectIds.has(row.masterObjectId)) return { state: 'damaged', reason: 'object-damaged' };
  if (row.status === 'failed') return { state: 'failed', reason: row.failureKind ?? 'other' };
  if (row.verifiedAt === null || row.masterObjectId === null) return { state: 'pending', reason: 'not-yet-verified' };
  if (row.status === 'verified') return { state: 'verified' };
  if (row.status === 'quarantined') return { state: 'quarantined-kept' };
  return { state: 'pending', reason: 'not-yet-verified' };
}
