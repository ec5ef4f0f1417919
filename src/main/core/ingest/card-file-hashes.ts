import type { Catalog } from '../catalog';
import type { UnlockedVault } from '../vault/vault';
import type { CardScan } from './card-scan';
import { hashFile } from './hashing';

/**
 * The card's files that do not become clips (sidecars, files Safehouse does not know, files it could not
 * ingest), hashed at offload so that the card's ASC MHL can list every file on it: a post house's full-card
 * check must not fail over a sidecar. Clip primaries are hashed by the offload itself (clips.hashes_sealed)
 * and are only hashed here when no clip row of this card holds their hash. Sealed to the proxy class: the names are the card's.
 */

export interface CardFileEntry {
  relPath: string;
  size: number;
  mtimeMs: number;
  /** Null when the file could not be read at offload. */
  xxh64: string | null;
}

export async function recordCardFiles(
  vault: UnlockedVault,
  catalog: Catalog,
  run: { ingestId: string; cardId: string; scan: CardScan },
): Promise<void> {
  const hashedAsClips = await clipPathsWithHashes(vault, catalog, run.cardId);
  const entries: CardFileEntry[] = [];
  for (const file of run.scan.files) {
    if (hashedAsClips.has(file.relPath)) continue;
    const digest = await hashFile(file.absPath).catch(() => null);
    // A file that changed size while it was read is recorded as unreadable rather than with a hash of a mix.
    const xxh64 = digest && digest.size === file.size ? digest.xxh64 : null;
    entries.push({ relPath: file.relPath, size: file.size, mtimeMs: file.mtimeMs, xxh64 });
  }
  await catalog.run('INSERT INTO card_file_hashes (ingest_id, card_id, created_at, files_sealed) VALUES (?, ?, ?, ?)', [
    run.ingestId,
    run.cardId,
    new Date().toISOString(),
    Buffer.from(vault.sealValue('proxy', JSON.stringify(entries))),
  ]);
}

/**
 * Card paths whose clip row of this card holds their hash. A file stored under another file's clip (same
 * content) or whose clip failed has none of its own, so it is hashed with the other files.
 */
async function clipPathsWithHashes(vault: UnlockedVault, catalog: Catalog, cardId: string): Promise<Set<string>> {
  const rows = await catalog.all<{ original_name_sealed: Uint8Array }>(
    "SELECT original_name_sealed FROM clips WHERE card_id = ? AND hashes_sealed IS NOT NULL AND original_name_sealed IS NOT NULL AND status != 'failed'",
    [cardId],
  );
  return new Set(rows.map((row) => vault.openText(row.original_name_sealed)));
}

/** The file list of the card's latest offload; empty for cards offloaded before lists were kept. */
export async function latestCardFiles(vault: UnlockedVault, catalog: Catalog, cardId: string): Promise<CardFileEntry[]> {
  const row = await catalog.get<{ files_sealed: Uint8Array }>('SELECT files_sealed FROM card_file_hashes WHERE card_id = ? ORDER BY created_at DESC, rowid DESC LIMIT 1', [cardId]);
  return row ? (JSON.parse(vault.openText(row.files_sealed)) as CardFileEntry[]) : [];
}
