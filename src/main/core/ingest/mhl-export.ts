import { open } from 'node:fs/promises';
import path from 'node:path';
import { SafehouseError } from '../../../shared/errors';
import type { UnlockedVault } from '../vault/vault';
import { appendAudit } from '../audit/audit-log';
import { latestCardFiles } from './card-file-hashes';
import type { SourceHashes } from './clip-records';
import { buildAscMhl, mhlCanRepresent, type MhlFile } from './mhl';

/**
 * ASC MHL v2 of one card as it was offloaded: every file on it that is not OS litter (names, sizes, mtimes,
 * xxh64 as read at offload), clips and sidecars and files Safehouse did not ingest alike, so that a post
 * house's full-card verify passes. It names the card's files, so it is written only on request, to a file
 * the user chose outside the vault; the creator fields are neutral (see mhl.ts).
 */
export async function exportCardMhl(vault: UnlockedVault, cardId: string, outPath: string): Promise<{ path: string; files: number; leftOut: number }> {
  const catalog = await vault.catalog();
  const rows = await catalog.all<{ original_name_sealed: Uint8Array | null; size: number; hashes_sealed: Uint8Array | null }>(
    'SELECT original_name_sealed, size, hashes_sealed FROM clips WHERE card_id = ? AND hashes_sealed IS NOT NULL ORDER BY code',
    [cardId],
  );
  const others = await latestCardFiles(vault, catalog, cardId);
  if (rows.length === 0 && others.length === 0) throw new SafehouseError('NOT_FOUND', 'That card has no offloaded files in this vault.');
  const byPath = new Map<string, MhlFile | null>();
  for (const row of rows) {
    if (!row.original_name_sealed || !row.hashes_sealed) continue;
    const hashes = JSON.parse(vault.openText(row.hashes_sealed)) as SourceHashes;
    byPath.set(vault.openText(row.original_name_sealed), { relPath: '', size: row.size, mtime: hashes.sourceMtimeMs ?? 0, xxh64: hashes.xxh64 });
  }
  // The file list is the later reading of the card: it wins over a clip row of the same path.
  for (const file of others) byPath.set(file.relPath, file.xxh64 === null ? null : { relPath: '', size: file.size, mtime: file.mtimeMs, xxh64: file.xxh64 });
  const files: MhlFile[] = [];
  let leftOut = 0;
  for (const [relPath, entry] of byPath) {
    // Unreadable at offload, or a name XML cannot carry: left out, and counted so the person is told.
    if (entry === null || !mhlCanRepresent(relPath)) leftOut += 1;
    else files.push({ ...entry, relPath });
  }
  const target = path.resolve(outPath);
  const relative = path.relative(path.resolve(vault.info.dir), target);
  if (!relative.startsWith('..') && !path.isAbsolute(relative)) throw new SafehouseError('INVALID_INPUT', 'Write the MHL outside the vault folder.');
  const handle = await open(target, 'wx').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'EEXIST') throw new SafehouseError('INVALID_INPUT', `${target} already exists; choose a new file name.`);
    throw error;
  });
  try {
    await handle.writeFile(buildAscMhl({ files, createdAt: new Date() }));
    await handle.sync();
  } finally {
    await handle.close();
  }
  await appendAudit(vault, 'export.mhl', { card: cardId, files: files.length, leftOut });
  return { path: target, files: files.length, leftOut };
}
