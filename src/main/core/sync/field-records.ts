import { promises as fs } from 'node:fs';
import { SafehouseError } from '../../../shared/errors';
import { appendAudit } from '../audit/audit-log';
import type { CatalogTx } from '../catalog';
import { loadSodium } from '../vault/sodium';
import type { UnlockedVault } from '../vault/vault';
import { blake2bFile } from './file-hash';
import { deviceIdFor, genesisHash, makeEnvelope, recordHash } from './layout';
import type { SyncPayload } from './payload';

/**
 * The field side of sync: turns catalog rows not yet sent into the next signed record of this device's chain
 * and keeps it in the outbox (sync_outbox), so every push — including one continuing after a kill — sends
 * exactly the same bytes. A row is "sent" once it is in a record (sync_sent keeps a digest of it: a row that
 * changes later, such as a subject's protection, goes again). Only clips read back and verified travel; a
 * pending clip goes in a later record once verified.
 */

type Row = Record<string, unknown>;
const b64 = (blob: unknown): string | null => (blob == null ? null : Buffer.from(blob as Uint8Array).toString('base64'));

/** Each synced table: how its rows are read and shaped for the payload, and what names a row. */
const TABLES = {
  cards: { sql: 'SELECT * FROM cards ORDER BY created_at, id', key: (r: Row) => String(r['id']), shape: (r: Row) => ({ id: r['id'], label: b64(r['label_sealed']), createdAt: r['created_at'] }) },
  clips: {
    sql: "SELECT * FROM clips WHERE verified_at IS NOT NULL AND status IN ('verified', 'quarantined') ORDER BY created_at, id",
    key: (r: Row) => String(r['id']),
    shape: (r: Row) => ({
      id: r['id'], cardId: r['card_id'], kind: r['kind'], status: r['status'], reason: r['reason'] ?? null, reasonSealed: b64(r['reason_sealed']),
      quarantineReason: r['quarantine_reason'] ?? null,
      masterObjectId: r['master_object_id'] ?? null, reportObjectId: r['report_object_id'] ?? null,
      originalName: b64(r['original_name_sealed']), hashes: b64(r['hashes_sealed']), summary: b64(r['summary_sealed']),
      size: r['size'] ?? null, duration: r['duration'] ?? null, streamsJson: r['streams_json'] ?? null, createdAt: r['created_at'], verifiedAt: r['verified_at'],
    }),
  },
  subjects: {
    sql: 'SELECT * FROM subjects ORDER BY created_at, id',
    key: (r: Row) => String(r['id']),
    shape: (r: Row) => ({ id: r['id'], pseudonym: b64(r['pseudonym_sealed']), identity: b64(r['identity_sealed']), protectionJson: r['protection_json'], createdAt: r['created_at'] }),
  },
  consents: {
    sql: 'SELECT * FROM consents ORDER BY seq',
    key: (r: Row) => String(r['seq']),
    shape: (r: Row) => ({ seq: r['seq'], subjectId: r['subject_id'], state: r['state'], scope: b64(r['scope_sealed']), recordedBy: b64(r['recorded_by_sealed']), recordedAt: r['recorded_at'] }),
  },
  evidence: {
    sql: 'SELECT * FROM subject_evidence ORDER BY created_at, id',
    key: (r: Row) => String(r['id']),
    shape: (r: Row) => ({ id: r['id'], subjectId: r['subject_id'], objectId: r['object_id'], kind: r['kind'], size: r['size'], createdAt: r['created_at'] }),
  },
  appearances: {
    sql: 'SELECT a.* FROM appearances a JOIN clips c ON c.id = a.clip_id WHERE c.verified_at IS NOT NULL ORDER BY a.created_at, a.id',
    key: (r: Row) => String(r['id']),
    shape: (r: Row) => ({ id: r['id'], subjectId: r['subject_id'], clipId: r['clip_id'], rangesJson: r['ranges_json'], regionsJson: r['regions_json'], createdAt: r['created_at'] }),
  },
  reviews: {
    sql: 'SELECT r.* FROM clip_reviews r JOIN clips c ON c.id = r.clip_id WHERE c.verified_at IS NOT NULL ORDER BY r.clip_id',
    key: (r: Row) => String(r['clip_id']),
    shape: (r: Row) => ({ clipId: r['clip_id'], noPeople: r['no_people'], reviewedAt: r['reviewed_at'] }),
  },
  audit: {
    sql: 'SELECT * FROM audit_log ORDER BY seq',
    key: (r: Row) => String(r['seq']),
    shape: (r: Row) => ({ seq: r['seq'], at: r['at'], action: r['action'], detailsJson: r['details_json'], prevHash: r['prev_hash'], hash: r['hash'], sig: r['sig'] }),
  },
} as const;
type TableName = keyof typeof TABLES;

type Delta = { [K in TableName]: Record<string, unknown>[] } & { marks: { tbl: string; rowId: string; digest: string }[] };

async function collectDelta(tx: CatalogTx, only?: TableName[]): Promise<Delta> {
  const sodium = await loadSodium();
  const sent = new Map((await tx.all<{ tbl: string; row_id: string; digest: string }>('SELECT * FROM sync_sent')).map((r) => [`${r.tbl}\0${r.row_id}`, r.digest]));
  const delta = { marks: [] } as unknown as Delta;
  for (const name of Object.keys(TABLES) as TableName[]) {
    delta[name] = [];
    if (only && !only.includes(name)) continue;
    const table = TABLES[name];
    for (const row of await tx.all<Row>(table.sql)) {
      const shaped = table.shape(row);
      const digest = sodium.crypto_generichash(32, JSON.stringify(shaped), null, 'hex');
      const rowId = table.key(row);
      if (sent.get(`${name}\0${rowId}`) === digest) continue;
      delta[name].push(shaped);
      delta.marks.push({ tbl: name, rowId, digest });
    }
  }
  return delta;
}

/** BLAKE2b of each object file, computed once per object and kept (the push names objects by it). */
async function objectEntries(tx: CatalogTx, vault: UnlockedVault, ids: string[]): Promise<SyncPayload['objects']> {
  const out: SyncPayload['objects'] = [];
  for (const objectId of [...new Set(ids)]) {
    const row = await tx.get<{ class: 'master' | 'proxy' | 'identity'; plain_size: number }>('SELECT class, plain_size FROM objects WHERE id = ?', [objectId]);
    if (!row) continue;
    let hashed = await tx.get<{ blake2b: string; size: number }>('SELECT blake2b, size FROM sync_object_hashes WHERE object_id = ?', [objectId]);
    if (!hashed) {
      const file = vault.objectFile(objectId);
      await fs.access(file).catch(() => {
        throw new SafehouseError('OBJECT_NOT_FOUND', `Object ${objectId}, which the catalog lists, is missing from this vault, so it cannot be pushed. Run a verification and restore the vault from a backup.`);
      });
      hashed = await blake2bFile(file);
      await tx.run('INSERT INTO sync_object_hashes (object_id, blake2b, size) VALUES (?, ?, ?)', [objectId, hashed.blake2b, hashed.size]);
    }
    out.push({ id: objectId, cls: row.class, plainSize: row.plain_size, blake2b: hashed.blake2b, size: hashed.size });
  }
  return out;
}

/**
 * Hashes, before the record's transaction, the object files a record may name that have no hash yet: a
 * 2 GB card takes seconds to hash, and the catalog must not stay locked (an offload writing) meanwhile.
 */
async function hashNewObjects(vault: UnlockedVault): Promise<void> {
  const catalog = await vault.catalog();
  const ids = await catalog.all<{ id: string }>(
    `SELECT o.id FROM objects o WHERE o.id NOT IN (SELECT object_id FROM sync_object_hashes) AND (
       o.id IN (SELECT master_object_id FROM clips WHERE verified_at IS NOT NULL) OR
       o.id IN (SELECT report_object_id FROM clips WHERE verified_at IS NOT NULL) OR
       o.id IN (SELECT object_id FROM subject_evidence))`,
  );
  for (const { id } of ids) {
    const hashed = await blake2bFile(vault.objectFile(id)).catch(() => null); // a missing file is reported in the record step
    if (hashed) await catalog.run('INSERT OR IGNORE INTO sync_object_hashes (object_id, blake2b, size) VALUES (?, ?, ?)', [id, hashed.blake2b, hashed.size]);
  }
}

export interface OutboxRecord {
  seq: number;
  hash: string;
  envelope: string;
  objects: SyncPayload['objects'];
}

/**
 * Seals, signs and stores the next record if anything changed since the last one; returns its sequence
 * number, or null when there was nothing new. One transaction: the record, its audit entry and the marks on
 * the rows it carries commit together.
 */
export async function makeNextRecord(vault: UnlockedVault): Promise<number | null> {
  const catalog = await vault.catalog();
  const device = deviceIdFor(Buffer.from(vault.signingPublicKey).toString('base64'));
  await hashNewObjects(vault);
  return catalog.transaction(async (tx) => {
    const before = await collectDelta(tx);
    if (before.marks.length === 0) return null;
    const last = await tx.get<{ seq: number; hash: string }>('SELECT seq, hash FROM sync_outbox ORDER BY seq DESC LIMIT 1');
    const seq = (last?.seq ?? 0) + 1;
    // The record says so in this device's own audit log, and carries that entry too.
    await appendAudit(vault, 'sync.record', { seq }, tx);
    const delta = { ...before, audit: [] as Record<string, unknown>[], marks: before.marks.filter((m) => m.tbl !== 'audit') };
    const audit = await collectDelta(tx, ['audit']);
    delta.audit = audit.audit;
    delta.marks.push(...audit.marks);
    const objectIds = [
      ...delta.clips.flatMap((c) => [c['masterObjectId'], c['reportObjectId']]),
      ...delta.evidence.map((e) => e['objectId']),
    ].filter((value): value is string => typeof value === 'string');
    const objects = await objectEntries(tx, vault, objectIds);
    const { marks: _marks, ...rows } = delta;
    const payload = { vaultId: vault.info.id, createdAt: new Date().toISOString(), objects, ...rows };
    // Sealed to the master class: in a field vault that is HQ alone, so the bucket and the crew see no rows.
    const sealedPayload = vault.sealValue('master', JSON.stringify(payload));
    const envelope = makeEnvelope({ device, seq, prev: last?.hash ?? genesisHash(device), sealedPayload }, (message) => vault.sign(message));
    await tx.run('INSERT INTO sync_outbox (seq, hash, envelope, object_ids_json, created_at) VALUES (?, ?, ?, ?, ?)', [
      seq, recordHash(envelope), JSON.stringify(envelope), JSON.stringify(objects), payload.createdAt,
    ]);
    for (const mark of delta.marks) {
      await tx.run('INSERT INTO sync_sent (tbl, row_id, digest) VALUES (?, ?, ?) ON CONFLICT (tbl, row_id) DO UPDATE SET digest = excluded.digest', [mark.tbl, mark.rowId, mark.digest]);
    }
    return seq;
  });
}

export async function readOutbox(vault: UnlockedVault): Promise<OutboxRecord[]> {
  const catalog = await vault.catalog();
  const rows = await catalog.all<{ seq: number; hash: string; envelope: string; object_ids_json: string }>('SELECT * FROM sync_outbox ORDER BY seq');
  return rows.map((row) => ({ seq: row.seq, hash: row.hash, envelope: row.envelope, objects: JSON.parse(row.object_ids_json) as SyncPayload['objects'] }));
}

export function ownDeviceId(vault: UnlockedVault): string {
  return deviceIdFor(Buffer.from(vault.signingPublicKey).toString('base64'));
}

const LAST_PUSH_SETTING = 'sync-last-push';

/** When a push last finished with every record on the remote (a record is made before its upload starts). */
export async function writeLastPush(vault: UnlockedVault, at: string): Promise<void> {
  const sealed = vault.sealValue('proxy', Buffer.from(at, 'utf8'));
  await (await vault.catalog()).run('INSERT INTO settings (key, value_sealed) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value_sealed = excluded.value_sealed', [LAST_PUSH_SETTING, Buffer.from(sealed)]);
}

export async function readLastPush(vault: UnlockedVault): Promise<string | null> {
  const row = await (await vault.catalog()).get<{ value_sealed: Uint8Array }>('SELECT value_sealed FROM settings WHERE key = ?', [LAST_PUSH_SETTING]);
  return row ? vault.openText(row.value_sealed) : null;
}
