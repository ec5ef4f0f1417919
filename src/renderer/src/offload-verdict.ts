import type { OffloadResult } from '../../shared/model';

export interface WipeBlocker {
  file: string;
  reason: string;
}

/** `wipeBlockers` as the core will add it (i12-wipe); read when present, never required. */
type WithBlockers = OffloadResult & { wipeBlockers?: { file: string; state: string; reason: string }[] };

/**
 * The card's traffic light. Green only when the core says the card is safe to wipe AND nothing on the card
 * was left behind: a failed or unverified clip, or any file not copied that is not OS litter (an empty file
 * is not footage; a newline in a name, an unreadable file, an unknown file type or a link may be). Formatting
 * the card would lose those, so each keeps the light red and is listed with its reason. Quarantined clips
 * are kept in the vault as encrypted originals, so they do not block.
 */
export function wipeVerdict(result: WithBlockers): { safe: boolean; blockers: WipeBlocker[] } {
  const blockers: WipeBlocker[] = [];
  for (const entry of result.results) {
    if (entry.status === 'failed' || entry.status === 'pending') blockers.push({ file: entry.file, reason: entry.reason ?? 'not copied into the vault' });
  }
  for (const entry of result.notIngested) {
    if (entry.kind === 'skipped' || isEmptyFileNote(entry.reason)) continue;
    blockers.push({ file: entry.file, reason: entry.reason });
  }
  for (const entry of result.wipeBlockers ?? []) {
    if (!blockers.some((known) => known.file === entry.file)) blockers.push({ file: entry.file, reason: entry.reason });
  }
  const safe = result.safeToWipe && result.results.length > 0 && blockers.length === 0;
  return { safe, blockers };
}

function isEmptyFileNote(reason: string): boolean {
  return reason.startsWith('empty (0 bytes)');
}
