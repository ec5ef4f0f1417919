import { randomBytes } from 'node:crypto';
import { appendAudit } from '../../../src/main/core/audit/audit-log';
import type { ClipStatus } from '../../../src/shared/model';
import type { UnlockedVault } from '../../../src/main/core/vault/vault';

/** Inserts a card and a clip row directly (no ffmpeg needed): the subjects code only needs the catalog rows. */
export async function insertClip(vault: UnlockedVault, code: string, status: ClipStatus = 'verified'): Promise<string> {
  const catalog = await vault.catalog();
  const cardId = `card-${randomBytes(4).toString('hex')}`;
  const clipId = `clip-${randomBytes(6).toString('hex')}`;
  const now = new Date().toISOString();
  await catalog.run('INSERT INTO cards (id, label_sealed, created_at) VALUES (?, ?, ?)', [cardId, vault.sealValue('proxy', 'card'), now]);
  await catalog.run('INSERT INTO clips (id, card_id, code, kind, status, size, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)', [clipId, cardId, code, 'video', status, 1000, now]);
  return clipId;
}

/** Records an export the way the proxies capability does (migration 5), creating its tables if absent. */
export async function recordExport(vault: UnlockedVault, recipient: string, clipIds: string[]): Promise<string> {
  const catalog = await vault.catalog();
  const exists = await catalog.get<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'exports'");
  if (!exists) {
    await catalog.run('CREATE TABLE exports (id TEXT PRIMARY KEY, created_at TEXT NOT NULL, recipient_sealed BLOB, manifest_object_id TEXT)');
    await catalog.run('CREATE TABLE export_items (export_id TEXT NOT NULL, clip_id TEXT NOT NULL)');
  }
  const id = `exp-${randomBytes(4).toString('hex')}`;
  await catalog.run('INSERT INTO exports (id, created_at, recipient_sealed) VALUES (?, ?, ?)', [id, new Date().toISOString(), vault.sealValue('proxy', recipient)]);
  const columns = await catalog.all<{ name: string }>('PRAGMA table_info(export_items)');
  const withProxy = columns.some((c) => c.name === 'proxy_object_id');
  for (const clipId of clipIds) {
    if (withProxy) await catalog.run('INSERT INTO export_items (export_id, clip_id, proxy_object_id) VALUES (?, ?, ?)', [id, clipId, 'p'.repeat(32)]);
    else await catalog.run('INSERT INTO export_items (export_id, clip_id) VALUES (?, ?)', [id, clipId]);
  }
  // As exportProxies does: the export and its audit entry go together (audit verify checks the pair).
  await appendAudit(vault, 'export.proxies', { export: id, clips: clipIds.length, refused: 0 });
  return id;
}
