/**
 * Retries a quarantined clip from its sealed original, without the card: what a newer Safehouse that reads
 * more formats needs, and what a crew needs after a quarantine they believe wrong. The original is decrypted
 * into memory only and served to the tools over the loopback (media/loopback-source.ts), read by the same
 * pipeline as a card file, and verified the same way. The clip keeps its id and code (appearances and reviews
 * stay attached); its record and objects are swapped in one transaction only once the new result is verified,
 * so a retry that fails changes nothing and never loses the original.
 */
import path from 'node:path';
import type { ClipKind, ClipOutcome, ClipStatus } from '../../../shared/model';
import { SafehouseError } from '../../../shared/errors';
import { appendAudit } from '../audit/audit-log';
import { serveFromMemory } from '../media/loopback-source';
import type { MediaTools } from '../media/media-tools';
import type { UnlockedVault } from '../vault/vault';
import type { CardClip } from './card-scan';
import { forgetClip, type ExistingClip, type SourceHashes } from './clip-records';
import { storeAndVerify } from './ingest-clip';
import { acquireIngestLock } from './ingest-lock';
import { loadLookupKeys } from './lookup-keys';
import type { OpenCardFile } from './source-read';

/** Originals are held in memory for a retry; a larger one is retried by offloading its card again. */
const MAX_RETRY_BYTES = 2 * 1024 * 1024 * 1024;

interface RetryRow extends ExistingClip {
  card_id: string;
  kind: ClipKind;
  size: number;
  original_name_sealed: Uint8Array | null;
}

/** Reads `bytes` the way a card file is read: sequentially, in the caller's buffer. */
function memoryFile(bytes: Buffer): OpenCardFile {
  return async () => {
    let position = 0;
    return {
      async read(buffer, offset, length) {
        const bytesRead = bytes.copy(buffer, offset, position, Math.min(bytes.length, position + length));
        position += bytesRead;
        return { bytesRead };
      },
      async close() {},
    };
  };
}

export async function retryClip(vault: UnlockedVault, tools: MediaTools, clipId: string): Promise<ClipOutcome> {
  if (!vault.info.canOpen.master) throw new SafehouseError('KEY_CLASS_UNAVAILABLE', 'This field vault cannot open originals (they are sealed to HQ). Retry the clip at HQ.');
  const catalog = await vault.catalog();
  const row = await catalog.get<RetryRow>('SELECT * FROM clips WHERE id = ?', [clipId]);
  if (!row) throw new SafehouseError('NOT_FOUND', `No clip with id ${clipId} in this vault.`);
  if (row.status !== 'quarantined' || !row.verified_at || !row.master_object_id || !row.hashes_sealed) {
    throw new SafehouseError('NOT_SAFE', `${row.code} is not a quarantined clip with its original kept, so there is nothing to retry.`);
  }
  if (row.size > MAX_RETRY_BYTES) throw new SafehouseError('NOT_SAFE', `${row.code} is too large to retry from the vault. Offload its card again instead.`);

  const release = await acquireIngestLock(vault.info.dir);
  let original: Buffer | null = null;
  let source: Awaited<ReturnType<typeof serveFromMemory>> | null = null;
  try {
    original = (await vault.readObject(row.master_object_id)).data;
    await appendAudit(vault, 'clip.retry', { clip: row.code });
    const name = row.original_name_sealed ? vault.openText(row.original_name_sealed) : row.code;
    const hashes = JSON.parse(vault.openText(row.hashes_sealed)) as SourceHashes;
    source = await serveFromMemory(original, path.basename(name));
    const clip: CardClip = {
      id: name,
      primary: { relPath: name, absPath: source.url, size: original.length, mtimeMs: hashes.sourceMtimeMs ?? 0, role: 'primary', carriesLocation: false },
      sidecars: [],
      kind: row.kind,
      layout: 'retry',
    };
    const keys = await loadLookupKeys(vault);
    const context = { vault, catalog, tools, keys, cardId: row.card_id, retryOf: row.id, openCardFile: memoryFile(original), advance: () => undefined };
    const outcome = await storeAndVerify(context, clip);
    const kept: (ClipStatus | 'skipped')[] = ['verified', 'quarantined'];
    if (!outcome.clipId || outcome.clipId === row.id || !kept.includes(outcome.status)) {
      // Not verified (or the same bytes are already a clip of their own): the quarantined clip stays as it was.
      const fresh = outcome.clipId && outcome.clipId !== row.id && outcome.status !== 'skipped' ? await catalog.get<ExistingClip>('SELECT * FROM clips WHERE id = ?', [outcome.clipId]) : undefined;
      if (fresh) await forgetClip(vault, catalog, fresh);
      return { ...outcome, clipId: row.id, code: row.code };
    }
    await adoptRetry(vault, row, outcome.clipId);
    return { ...outcome, clipId: row.id, code: row.code };
  } finally {
    await source?.close();
    original?.fill(0);
    await release();
  }
}

/** The retried record takes the old clip's place (same id and code); the old objects go. One transaction. */
async function adoptRetry(vault: UnlockedVault, old: RetryRow, freshId: string): Promise<void> {
  const catalog = await vault.catalog();
  const columns = 'status, reason, failure_kind, quarantine_reason, master_object_id, report_object_id, content_key, hashes_sealed, summary_sealed, duration, streams_json, verified_at';
  const oldObjects = [old.master_object_id, old.report_object_id].filter((id): id is string => id !== null);
  await catalog.transaction(async (tx) => {
    await tx.run(`UPDATE clips SET (${columns}) = (SELECT ${columns} FROM clips WHERE id = ?) WHERE id = ?`, [freshId, old.id]);
    await tx.run('DELETE FROM clips WHERE id = ?', [freshId]);
    for (const id of oldObjects) await tx.run('DELETE FROM objects WHERE id = ?', [id]);
  });
  for (const id of oldObjects) await vault.deleteObject(id).catch(() => undefined);
}
