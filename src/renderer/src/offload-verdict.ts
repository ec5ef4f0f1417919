import type { OffloadResult } from '../../shared/model';
import { visibleName } from './format';
import { blockerWords } from './wipe-words';

export interface WipeBlocker {
  file: string;
  reason: string;
}

/**
 * The card's traffic light. Green only when the core says the card is safe to wipe AND nothing on the card
 * was left behind: a failed or unverified clip, or any file not copied that is not OS litter (an empty file
 * is not footage; a newline in a name, an unreadable file, an unknown file type or a link may be). Formatting
 * the card would lose those, so each keeps the light red and is listed with its reason. Quarantined clips
 * are kept in the vault as encrypted originals, so they do not block.
 */
export function wipeVerdict(result: Pick<OffloadResult, 'results' | 'notIngested' | 'safeToWipe'> & { wipeBlockers?: OffloadResult['wipeBlockers'] }): { safe: boolean; blockers: WipeBlocker[] } {
  const blockers: WipeBlocker[] = [];
  // The core's own list (every card file it could not prove is in the vault) comes first.
  for (const entry of result.wipeBlockers ?? []) blockers.push({ file: entry.file, reason: blockerWords(entry) });
  // Compared as shown: the core names files raw, the scan notes already escaped.
  const known = new Set(blockers.map((blocker) => visibleName(blocker.file)));
  for (const entry of result.results) {
    if ((entry.status === 'failed' || entry.status === 'pending') && !known.has(visibleName(entry.file))) blockers.push({ file: entry.file, reason: entry.reason ?? 'not copied into the vault' });
  }
  for (const entry of result.notIngested) {
    if (entry.kind === 'skipped' || isEmptyFileNote(entry.reason) || known.has(visibleName(entry.file))) continue;
    blockers.push({ file: entry.file, reason: entry.reason });
  }
  const safe = result.safeToWipe && result.results.length > 0 && blockers.length === 0;
  return { safe, blockers };
}

function isEmptyFileNote(reason: string): boolean {
  return reason.startsWith('empty (0 bytes)');
}
