import { SafehouseError } from '../../../shared/errors';
import { canonicalEntry, entryHash, entrySignedMessage, genesisHash as auditGenesis, type AuditDetails } from '../audit/audit-log';
import type { CatalogTx } from '../catalog';
import { newRecordId } from '../ingest/clip-records';
import type { LookupKeys } from '../ingest/lookup-keys';
import { loadSodium } from '../vault/sodium';
import type { UnlockedVault } from '../vault/vault';
import type { DeviceRow } from './devices';
import type { SyncPayload } from './payload';

/**
 * Merges one verified record's rows into HQ's catalog, inside the pull's single transaction.
 *
 * - Every remote row is remembered in sync_imports (device, table, remote id → local id, digest): a row seen
 *   before with the same digest is skipped (a second pull adds nothing); a subject whose digest changed is
 *   updated (its protection may have changed in the field); everything else is history and never rewritten.
 * - Remote ids are kept where free; a clash (an id HQ already uses for something else) gets a fresh id.
 * - A clip whose original HQ already holds (same source BLAKE2b, compared through HQ's own keyed content
 *   key) becomes that clip, listed on the new card too (clip_cards); its objects are not imported twice.
 * - The device's audit entries must continue its chain and carry its signature, or the pull is refused.
 */

export interface MergeState {
  tx: CatalogTx;
  vault: UnlockedVault;
  device: DeviceRow;
  lookup: LookupKeys;
  /** Object ids present at HQ already or staged and verified in this pull. */
  available: Set<string>;
  /** Filled in: objects this merge records (to be renamed from staging), new clip ids (for proxies). */
  usedObjects: Set<string>;
  newClips: string[];
  counts: { clipsAdded: number; clipsMerged: number; rows: number; auditEntries: number };
}

const refused = (message: string) => new SafehouseError('SYNC_REFUSED', `${message} Nothing from this pull was imported.`);
const blob = (value: string | null): Buffer | null => (value === null ? null : Buffer.from(value, 'base64'));

async function digestOf(row: unknown): Promise<string> {
  return (await loadSodium()).crypto_generichash(32, JSON.stringify(row), null, 'hex');
}

async function mapped(s: MergeState, tbl: string, remoteId: string): Promise<{ local_id: string; digest: string } | undefined> {
  return s.tx.get('SELECT local_id, digest FROM sync_imports WHERE device_id = ? AND tbl = ? AND remote_id = ?', [s.device.id, tbl, remoteId]);
}

async function remember(s: MergeState, tbl: string, remoteId: string, localId: string, digest: string): Promise<void> {
  await s.tx.run(
    'INSERT INTO sync_imports (device_id, tbl, remote_id, local_id, digest) VALUES (?, ?, ?, ?, ?) ON CONFLICT (device_id, tbl, remote_id) DO UPDATE SET digest = excluded.digest',
    [s.device.id, tbl, remoteId, localId, digest],
  );
  s.counts.rows += 1;
}

async function freeId(s: MergeState, table: string, id: string): Promise<string> {
  const taken = await s.tx.get(`SELECT 1 AS x FROM ${table} WHERE id = ?`, [id]);
  return taken ? newRecordId() : id;
}

async function localOf(s: MergeState, tbl: string, remoteId: string, what: string): Promise<string> {
  const found = await mapped(s, tbl, remoteId);
  if (!found) throw refused(`A record from device ${s.device.id} refers to a ${what} it never sent.`);
  return found.local_id;
}

async function useObject(s: MergeState, id: string | null, objects: Map<string, SyncPayload['objects'][number]>): Promise<void> {
  if (id === null) return;
  if (!s.available.has(id)) throw refused(`A record from device ${s.device.id} names object ${id}, which the remote does not hold.`);
  if (s.usedObjects.has(id) || (await s.tx.get('SELECT 1 AS x FROM objects WHERE id = ?', [id]))) return;
  const object = objects.get(id);
  if (!object) throw refused(`A record from device ${s.device.id} uses object ${id} without listing it.`);
  await s.tx.run('INSERT INTO objects (id, class, plain_size, created_at) VALUES (?, ?, ?, ?)', [id, object.cls, object.plainSize, new Date().toISOString()]);
  s.usedObjects.add(id);
}

function sourceBlake2b(vault: UnlockedVault, hashes: string | null): string | null {
  if (hashes === null) return null;
  try {
    const parsed = JSON.parse(vault.openText(Buffer.from(hashes, 'base64'))) as { blake2b256?: unknown };
    return typeof parsed.blake2b256 === 'string' ? parsed.blake2b256 : null;
  } catch {
    return null; // not sealed to any key HQ holds: the clip is imported, just not matched against others
  }
}

async function mergeClips(s: MergeState, payload: SyncPayload, objects: Map<string, SyncPayload['objects'][number]>): Promise<void> {
  for (const clip of payload.clips) {
    const digest = await digestOf(clip);
    if (await mapped(s, 'clips', clip.id)) continue;
    const cardId = await localOf(s, 'cards', clip.cardId, 'card');
    const b2 = sourceBlake2b(s.vault, clip.hashes);
    const contentKey = b2 ? s.lookup.contentKey(b2) : null;
    const same = contentKey
      ? await s.tx.get<{ id: string; card_id: string }>('SELECT id, card_id FROM clips WHERE content_key = ? AND verified_at IS NOT NULL LIMIT 1', [contentKey])
      : undefined;
    if (same) {
      if (same.card_id !== cardId) await s.tx.run('INSERT OR IGNORE INTO clip_cards (clip_id, card_id) VALUES (?, ?)', [same.id, cardId]);
      await remember(s, 'clips', clip.id, same.id, digest);
      s.counts.clipsMerged += 1;
      continue;
    }
    await useObject(s, clip.masterObjectId, objects);
    await useObject(s, clip.reportObjectId, objects);
    const id = await freeId(s, 'clips', clip.id);
    const last = await s.tx.get<{ code: string }>('SELECT code FROM clips ORDER BY CAST(substr(code, 2) AS INTEGER) DESC LIMIT 1');
    const code = `C${String((last ? Number(last.code.slice(1)) : 0) + 1).padStart(4, '0')}`;
    await s.tx.run(
      `INSERT INTO clips (id, card_id, code, kind, status, reason, reason_sealed, quarantine_reason, master_object_id, report_object_id, original_name_sealed, file_fingerprint,
         content_key, hashes_sealed, summary_sealed, size, duration, streams_json, created_at, verified_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [id, cardId, code, clip.kind, clip.status, clip.reason, blob(clip.reasonSealed ?? null), clip.quarantineReason ?? null, clip.masterObjectId, clip.reportObjectId, blob(clip.originalName), contentKey,
        blob(clip.hashes), blob(clip.summary), clip.size, clip.duration, clip.streamsJson, clip.createdAt, clip.verifiedAt],
    );
    await remember(s, 'clips', clip.id, id, digest);
    s.newClips.push(id);
    s.counts.clipsAdded += 1;
  }
}

async function mergeSubjects(s: MergeState, payload: SyncPayload, objects: Map<string, SyncPayload['objects'][number]>): Promise<void> {
  for (const subject of payload.subjects) {
    const digest = await digestOf(subject);
    const known = await mapped(s, 'subjects', subject.id);
    if (known?.digest === digest) continue;
    if (known) {
      await s.tx.run('UPDATE subjects SET pseudonym_sealed = ?, identity_sealed = ?, protection_json = ? WHERE id = ?', [blob(subject.pseudonym), blob(subject.identity), subject.protectionJson, known.local_id]);
      await remember(s, 'subjects', subject.id, known.local_id, digest);
      continue;
    }
    const id = await freeId(s, 'subjects', subject.id);
    await s.tx.run('INSERT INTO subjects (id, pseudonym_sealed, identity_sealed, protection_json, created_at) VALUES (?, ?, ?, ?, ?)', [id, blob(subject.pseudonym), blob(subject.identity), subject.protectionJson, subject.createdAt]);
    await remember(s, 'subjects', subject.id, id, digest);
  }
  for (const consent of payload.consents) {
    if (await mapped(s, 'consents', String(consent.seq))) continue;
    const subjectId = await localOf(s, 'subjects', consent.subjectId, 'subject');
    const { lastID } = await s.tx.run('INSERT INTO consents (subject_id, state, scope_sealed, recorded_by_sealed, recorded_at) VALUES (?, ?, ?, ?, ?)', [subjectId, consent.state, blob(consent.scope), blob(consent.recordedBy), consent.recordedAt]);
    await remember(s, 'consents', String(consent.seq), String(lastID), await digestOf(consent));
  }
  for (const evidence of payload.evidence) {
    if (await mapped(s, 'evidence', evidence.id)) continue;
    const subjectId = await localOf(s, 'subjects', evidence.subjectId, 'subject');
    await useObject(s, evidence.objectId, objects);
    const id = await freeId(s, 'subject_evidence', evidence.id);
    await s.tx.run('INSERT INTO subject_evidence (id, subject_id, object_id, kind, size, created_at) VALUES (?, ?, ?, ?, ?, ?)', [id, subjectId, evidence.objectId, evidence.kind, evidence.size, evidence.createdAt]);
    await remember(s, 'evidence', evidence.id, id, await digestOf(evidence));
  }
}

async function mergeAppearancesAndReviews(s: MergeState, payload: SyncPayload): Promise<void> {
  for (const appearance of payload.appearances) {
    if (await mapped(s, 'appearances', appearance.id)) continue;
    const subjectId = await localOf(s, 'subjects', appearance.subjectId, 'subject');
    const clipId = await localOf(s, 'clips', appearance.clipId, 'clip');
    const id = await freeId(s, 'appearances', appearance.id);
    await s.tx.run('INSERT INTO appearances (id, subject_id, clip_id, ranges_json, regions_json, created_at) VALUES (?, ?, ?, ?, ?, ?)', [id, subjectId, clipId, appearance.rangesJson, appearance.regionsJson, appearance.createdAt]);
    await remember(s, 'appearances', appearance.id, id, await digestOf(appearance));
  }
  for (const review of payload.reviews) {
    if (await mapped(s, 'reviews', review.clipId)) continue;
    const clipId = await localOf(s, 'clips', review.clipId, 'clip');
    // HQ's own review of the same clip, if any, stands.
    await s.tx.run('INSERT OR IGNORE INTO clip_reviews (clip_id, no_people, reviewed_at) VALUES (?, ?, ?)', [clipId, review.noPeople, review.reviewedAt]);
    await remember(s, 'reviews', review.clipId, clipId, await digestOf(review));
  }
}

/** The device's audit entries continue its own chain from its genesis and are signed by its key. */
async function mergeAudit(s: MergeState, payload: SyncPayload): Promise<void> {
  const sodium = await loadSodium();
  const last = await s.tx.get<{ seq: number; hash: string }>('SELECT seq, hash FROM device_audit WHERE device_id = ? ORDER BY seq DESC LIMIT 1', [s.device.id]);
  let seq = last?.seq ?? 0;
  let prev = last?.hash ?? auditGenesis(sodium, payload.vaultId);
  const key = Buffer.from(s.device.signing_key, 'base64');
  for (const entry of payload.audit) {
    if (entry.seq <= seq) continue; // already imported through an earlier record
    let details: AuditDetails;
    try {
      details = JSON.parse(entry.detailsJson) as AuditDetails;
    } catch {
      throw refused(`Audit entry ${entry.seq} of device ${s.device.id} is unreadable.`);
    }
    const hash = entryHash(sodium, entry.prevHash, canonicalEntry({ seq: entry.seq, at: entry.at, action: entry.action, details }));
    let signed = false;
    try {
      signed = sodium.crypto_sign_verify_detached(Buffer.from(entry.sig, 'base64'), entrySignedMessage(payload.vaultId, entry.hash), key);
    } catch {
      signed = false;
    }
    if (entry.seq !== seq + 1 || entry.prevHash !== prev || hash !== entry.hash || !signed) {
      throw refused(`The audit log of device ${s.device.id} does not verify at entry ${entry.seq}: it was altered, cut or reordered.`);
    }
    await s.tx.run('INSERT INTO device_audit (device_id, seq, at, action, details_json, prev_hash, hash, sig) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [
      s.device.id, entry.seq, entry.at, entry.action, entry.detailsJson, entry.prevHash, entry.hash, entry.sig,
    ]);
    seq = entry.seq;
    prev = entry.hash;
    s.counts.auditEntries += 1;
  }
}

export async function mergePayload(s: MergeState, payload: SyncPayload): Promise<void> {
  if (s.device.vault_id !== null && s.device.vault_id !== payload.vaultId) {
    throw refused(`A record of device ${s.device.id} claims another vault than its earlier records.`);
  }
  s.device.vault_id = payload.vaultId;
  const objects = new Map(payload.objects.map((object) => [object.id, object]));
  for (const card of payload.cards) {
    if (await mapped(s, 'cards', card.id)) continue;
    const id = await freeId(s, 'cards', card.id);
    await s.tx.run('INSERT INTO cards (id, label_sealed, fingerprint, created_at) VALUES (?, ?, NULL, ?)', [id, blob(card.label), card.createdAt]);
    await remember(s, 'cards', card.id, id, await digestOf(card));
  }
  await mergeClips(s, payload, objects);
  await mergeSubjects(s, payload, objects);
  await mergeAppearancesAndReviews(s, payload);
  await mergeAudit(s, payload);
}
