import { mkdir, open } from 'node:fs/promises';
import path from 'node:path';
import { SafehouseError } from '../../../shared/errors';
import type { UnlockedVault } from '../vault/vault';
import { appendAudit } from '../audit/audit-log';
import { ASCMHL_CHAIN_FILE_NAME, ASCMHL_FOLDER_NAME, buildAscMhlChain, generationFileName } from './ascmhl-history';
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
  const { files, leftOut } = await cardMhlFiles(vault, cardId);
  const target = outsideVault(vault, outPath, 'Write the MHL outside the vault folder.');
  await writeNewFile(target, buildAscMhl({ files, createdAt: new Date() }), `${target} already exists; choose a new file name.`);
  await appendAudit(vault, 'export.mhl', { card: cardId, files: files.length, leftOut });
  return { path: target, files: files.length, leftOut };
}

/**
 * The same manifest as the first generation of an ASC MHL history: `outDir/ascmhl/0001_….mhl` and
 * `outDir/ascmhl/ascmhl_chain.xml`. Copied onto the card's root (or the root of a copy of the card), it is
 * what `ascmhl verify` reads to check every file there. The folder is new: an existing history is never
 * extended or overwritten, since Safehouse cannot vouch for generations it did not write.
 */
export async function exportCardMhlFolder(
  vault: UnlockedVault,
  cardId: string,
  outDir: string,
): Promise<{ folder: string; generation: string; chain: string; files: number; leftOut: number }> {
  const { files, leftOut, label } = await cardMhlFiles(vault, cardId);
  const root = outsideVault(vault, outDir, 'Write the ASC MHL folder outside the vault folder.');
  const folder = path.join(root, ASCMHL_FOLDER_NAME);
  await mkdir(root, { recursive: true }).catch((error: NodeJS.ErrnoException) => {
    throw unwritableFolder(error, root);
  });
  await mkdir(folder).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'EEXIST') throw new SafehouseError('INVALID_INPUT', `${folder} already exists; choose a folder without an ascmhl folder in it.`);
    throw unwritableFolder(error, root);
  });
  const createdAt = new Date();
  const fileName = generationFileName(1, label, createdAt);
  const manifest = Buffer.from(buildAscMhl({ files, createdAt }), 'utf8');
  const generation = path.join(folder, fileName);
  const chain = path.join(folder, ASCMHL_CHAIN_FILE_NAME);
  await writeNewFile(generation, manifest, `${generation} already exists; choose a new folder.`);
  await writeNewFile(chain, buildAscMhlChain([{ sequenceNumber: 1, fileName, bytes: manifest }]), `${chain} already exists; choose a new folder.`);
  await appendAudit(vault, 'export.mhl', { card: cardId, files: files.length, leftOut, ascmhlFolder: true });
  return { folder, generation, chain, files: files.length, leftOut };
}

/** The card's files as the manifest lists them, how many were left out, and the card's label (for file names). */
async function cardMhlFiles(vault: UnlockedVault, cardId: string): Promise<{ files: MhlFile[]; leftOut: number; label: string }> {
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
  const card = await catalog.get<{ label_sealed: Uint8Array | null }>('SELECT label_sealed FROM cards WHERE id = ?', [cardId]);
  const label = card?.label_sealed ? (vault.openTextIfHeld(card.label_sealed) ?? '') : '';
  return { files, leftOut, label };
}

function outsideVault(vault: UnlockedVault, target: string, refusal: string): string {
  const resolved = path.resolve(target);
  const relative = path.relative(path.resolve(vault.info.dir), resolved);
  if (!relative.startsWith('..') && !path.isAbsolute(relative)) throw new SafehouseError('INVALID_INPUT', refusal);
  return resolved;
}

/** What to tell a person whose chosen output folder cannot be made or written; other errors pass on. */
function unwritableFolder(error: NodeJS.ErrnoException, dir: string): Error {
  if (error.code === 'EEXIST' || error.code === 'ENOTDIR') return new SafehouseError('INVALID_INPUT', `${dir} is a file, not a folder; choose a folder to write the ascmhl folder into.`);
  if (error.code === 'EACCES' || error.code === 'EPERM' || error.code === 'EROFS') {
    return new SafehouseError('INVALID_INPUT', `Safehouse may not write in ${dir}; choose a folder you can write to.`);
  }
  return error;
}

/** Writes a file that must not exist yet, and flushes it to disk. */
async function writeNewFile(target: string, content: string | Uint8Array, whenExists: string): Promise<void> {
  const handle = await open(target, 'wx').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'EEXIST') throw new SafehouseError('INVALID_INPUT', whenExists);
    throw error;
  });
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
}
