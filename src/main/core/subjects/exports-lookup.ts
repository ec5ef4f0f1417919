import type { ExportRecall } from '../../../shared/model';
import type { CatalogTx } from '../catalog';
import type { UnlockedVault } from '../vault/vault';

/**
 * Past exports that contained a subject's clips, for the recall list after a withdrawal. The exports and
 * export_items tables belong to the proxies capability (migration 5); until they exist there is nothing to
 * recall, so this checks sqlite_master instead of failing on a vault that has not exported yet.
 */

interface ExportItemRow {
  export_id: string;
  created_at: string;
  recipient_sealed: Uint8Array | null;
  clip_id: string;
  code: string;
}

async function exportTablesExist(db: CatalogTx): Promise<boolean> {
  const rows = await db.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('exports', 'export_items')");
  return rows.length === 2;
}

function recipientText(vault: UnlockedVault, sealed: Uint8Array | null): string {
  if (!sealed) return '(not recorded)';
  try {
    return vault.openText(sealed);
  } catch {
    // Sealed to a class this vault cannot open (a field vault): the export is still listed, by date.
    return '(sealed)';
  }
}

/** Exports containing any of the given clips, newest first, each with the clips concerned. */
export async function exportsContainingClips(vault: UnlockedVault, db: CatalogTx, clipIds: readonly string[]): Promise<ExportRecall[]> {
  if (clipIds.length === 0 || !(await exportTablesExist(db))) return [];
  const placeholders = clipIds.map(() => '?').join(', ');
  const rows = await db.all<ExportItemRow>(
    `SELECT e.id AS export_id, e.created_at, e.recipient_sealed, i.clip_id, COALESCE(c.code, i.clip_id) AS code
     FROM export_items i JOIN exports e ON e.id = i.export_id LEFT JOIN clips c ON c.id = i.clip_id
     WHERE i.clip_id IN (${placeholders}) ORDER BY e.created_at DESC, e.id, c.code`,
    [...clipIds],
  );
  const byExport = new Map<string, ExportRecall>();
  for (const row of rows) {
    let entry = byExport.get(row.export_id);
    if (!entry) {
      entry = { exportId: row.export_id, createdAt: row.created_at, recipient: recipientText(vault, row.recipient_sealed), clips: [] };
      byExport.set(row.export_id, entry);
    }
    if (!entry.clips.some((c) => c.clipId === row.clip_id)) entry.clips.push({ clipId: row.clip_id, code: row.code });
  }
  return [...byExport.values()];
}

export async function exportsContainingSubject(vault: UnlockedVault, db: CatalogTx, subjectId: string): Promise<ExportRecall[]> {
  const clips = await db.all<{ clip_id: string }>('SELECT DISTINCT clip_id FROM appearances WHERE subject_id = ?', [subjectId]);
  return exportsContainingClips(vault, db, clips.map((c) => c.clip_id));
}
