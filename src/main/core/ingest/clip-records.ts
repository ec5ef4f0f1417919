import { randomBytes } from 'node:crypto';
import { stat } from 'node:fs/promises';
import type { ClipFailureKind, ClipKind, ClipStatus, QuarantineReason, StreamSummary } from '../../../shared/model';
import type { Catalog } from '../catalog';
import { recordObjects } from '../catalog/objects';
import { damagedClipIds } from '../integrity/object-damage';
import type { KeyClass } from '../vault/vault';
import type { UnlockedVault } from '../vault/vault';
import { hashFile } from './hashing';
import type { LookupKeys } from './lookup-keys';

/**
 * Catalog writes of the offload. A clip row appears only in the same transaction that records the objects
 * it points at, and only after those objects were fsynced and renamed into objects/: a crash can leave an
 * unrecorded object (removed on the next run) but never a row pointing at a missing object.
 */
export const newRecordId = (): string => randomBytes(12).toString('hex');

export interface SourceHashes {
  xxh64: string;
  blake2b256: string;
  /**
   * xxh64 of the bytes stored in the vault (the sanitized master, or the original when quarantined), taken
   * while sealing. Records written before this field existed held a BLAKE2b-256 instead (storedBlake2b256).
   */
  storedXxh64?: string;
  /** The card file's modification time, for the ASC MHL export. */
  sourceMtimeMs?: number;
  /** Field vaults only: BLAKE2b-256 of the encrypted object file, since they cannot decrypt it to verify. */
  sealedFileBlake2b256?: string;
}

export interface NewClip {
  cardId: string;
  kind: ClipKind;
  status: Extract<ClipStatus, 'pending' | 'quarantined' | 'failed'>;
  reason: string | null;
  failureKind?: ClipFailureKind;
  quarantineReason?: QuarantineReason;
  originalName: string;
  fileFingerprint: string;
  contentKey: string | null;
  hashes: SourceHashes | null;
  sizeBytes: number;
  durationSeconds: number | null;
  streams: StreamSummary[];
  objects: { id: string; cls: KeyClass; plainSize: number; role: 'master' | 'report' }[];
  summary: unknown;
}

/** Inserts the clip with the next free neutral code (C0001, C0002 …). Returns id and code. */
export async function insertClip(vault: UnlockedVault, catalog: Catalog, clip: NewClip): Promise<{ id: string; code: string }> {
  return catalog.transaction(async (tx) => {
    await recordObjects(tx, clip.objects);
    const last = await tx.get<{ code: string }>("SELECT code FROM clips ORDER BY CAST(substr(code, 2) AS INTEGER) DESC LIMIT 1");
    const code = `C${String((last ? Number(last.code.slice(1)) : 0) + 1).padStart(4, '0')}`;
    const id = newRecordId();
    await tx.run(
      `INSERT INTO clips (id, card_id, code, kind, status, reason, master_object_id, report_object_id, original_name_sealed,
         file_fingerprint, content_key, hashes_sealed, summary_sealed, size, duration, streams_json, created_at,
         failure_kind, quarantine_reason)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        id,
        clip.cardId,
        code,
        clip.kind,
        clip.status,
        clip.reason,
        clip.objects.find((object) => object.role === 'master')?.id ?? null,
        clip.objects.find((object) => object.role === 'report')?.id ?? null,
        Buffer.from(vault.sealValue('proxy', clip.originalName)),
        clip.fileFingerprint,
        clip.contentKey,
        clip.hashes ? Buffer.from(vault.sealValue('proxy', JSON.stringify(clip.hashes))) : null,
        Buffer.from(vault.sealValue('proxy', JSON.stringify(clip.summary))),
        clip.sizeBytes,
        clip.durationSeconds,
        JSON.stringify(clip.streams),
        new Date().toISOString(),
        clip.failureKind ?? null,
        clip.quarantineReason ?? null,
      ],
    );
    return { id, code };
  });
}

export interface ExistingClip {
  id: string;
  code: string;
  status: ClipStatus;
  reason: string | null;
  master_object_id: string | null;
  report_object_id: string | null;
  hashes_sealed: Uint8Array | null;
  verified_at: string | null;
  failure_kind: ClipFailureKind | null;
  quarantine_reason: QuarantineReason | null;
}

export async function findClipByFingerprint(catalog: Catalog, fingerprint: string): Promise<ExistingClip | undefined> {
  return catalog.get<ExistingClip>('SELECT * FROM clips WHERE file_fingerprint = ? ORDER BY created_at DESC LIMIT 1', [fingerprint]);
}

export async function findVerifiedByContent(catalog: Catalog, contentKey: string, exceptId = ''): Promise<ExistingClip | undefined> {
  return catalog.get<ExistingClip>('SELECT * FROM clips WHERE content_key = ? AND verified_at IS NOT NULL AND id != ? LIMIT 1', [contentKey, exceptId]);
}

/** `verified` marks that the vault object was read back and matched (also for a quarantined original). */
export async function setClipStatus(catalog: Catalog, id: string, status: ClipStatus, reason: string | null, verified: boolean): Promise<void> {
  await catalog.run('UPDATE clips SET status = ?, reason = ?, verified_at = ? WHERE id = ?', [status, reason, verified ? new Date().toISOString() : null, id]);
}

/** A clip whose attempt failed for a passing reason: not verified, and retried by the next run. */
export async function setClipFailed(catalog: Catalog, id: string, reason: string, kind: ClipFailureKind): Promise<void> {
  await catalog.run("UPDATE clips SET status = 'failed', reason = ?, failure_kind = ?, verified_at = NULL WHERE id = ?", [reason, kind, id]);
}

/** Removes a clip that must be redone (a failed earlier attempt) with its objects. */
export async function forgetClip(vault: UnlockedVault, catalog: Catalog, clip: ExistingClip): Promise<void> {
  const objectIds = [clip.master_object_id, clip.report_object_id].filter((id): id is string => id !== null);
  await catalog.transaction(async (tx) => {
    await tx.run('DELETE FROM clips WHERE id = ?', [clip.id]);
    for (const id of objectIds) await tx.run('DELETE FROM objects WHERE id = ?', [id]);
  });
  for (const id of objectIds) await vault.deleteObject(id).catch(() => undefined);
}

/**
 * After a crash: objects on disk that no catalog row records were renamed into place but never committed
 * to the catalog. They hold nothing anyone can reach, so they are removed. Only objects older than a grace
 * period go: another writer in this process (the proxy queue) may be between its rename and its catalog
 * row right now, and its object must not vanish under it.
 */
const UNRECORDED_GRACE_MS = 10 * 60_000;

export async function removeUnrecordedObjects(vault: UnlockedVault, catalog: Catalog, now = Date.now()): Promise<number> {
  const recorded = new Set((await catalog.all<{ id: string }>('SELECT id FROM objects')).map((row) => row.id));
  let removed = 0;
  for (const id of await vault.listObjectIds()) {
    if (recorded.has(id)) continue;
    const info = await stat(vault.objectFile(id)).catch(() => null);
    if (!info || now - info.mtimeMs < UNRECORDED_GRACE_MS) continue;
    await vault.deleteObject(id);
    removed += 1;
  }
  return removed;
}

export async function findOrCreateCard(vault: UnlockedVault, catalog: Catalog, fingerprint: string, label: string): Promise<string> {
  const existing = await catalog.get<{ id: string }>('SELECT id FROM cards WHERE fingerprint = ?', [fingerprint]);
  if (existing) return existing.id;
  const id = newRecordId();
  await catalog.run('INSERT INTO cards (id, label_sealed, fingerprint, created_at) VALUES (?, ?, ?, ?)', [
    id,
    Buffer.from(vault.sealValue('proxy', label)),
    fingerprint,
    new Date().toISOString(),
  ]);
  return id;
}

/** A clip that could not be stored at all still gets a row, so the library shows it with its reason. */
export async function recordFailedClip(
  vault: UnlockedVault,
  catalog: Catalog,
  failure: { cardId: string; clip: { kind: ClipKind; primary: { relPath: string; size: number } }; reason: string; kind: ClipFailureKind; fingerprint: string },
): Promise<{ id: string; code: string }> {
  return insertClip(vault, catalog, {
    cardId: failure.cardId,
    kind: failure.clip.kind,
    status: 'failed',
    reason: failure.reason,
    failureKind: failure.kind,
    originalName: failure.clip.primary.relPath,
    fileFingerprint: failure.fingerprint,
    contentKey: null,
    hashes: null,
    sizeBytes: failure.clip.primary.size,
    durationSeconds: null,
    streams: [],
    objects: [],
    summary: { findings: { location: 0, identity: 0, device: 0 }, fields: [], sidecarsLeftOnCard: [], proof: null, timecode: null },
  });
}

/**
 * Whether this card file is safely in the vault: stored and read back (verified, or a verified quarantined
 * original), found by its place on the card or, failing that, by its content.
 */
export async function isClipInVault(
  catalog: Catalog,
  keys: LookupKeys,
  clip: { primary: { relPath: string; size: number; mtimeMs: number; absPath: string } },
): Promise<boolean> {
  // A vault copy a verification found damaged or missing does not count: the card holds the only good copy.
  const damaged = await damagedClipIds(catalog);
  const byPlace = await findClipByFingerprint(catalog, keys.fileFingerprint(clip.primary.relPath, clip.primary.size, clip.primary.mtimeMs));
  if (byPlace?.verified_at && !damaged.has(byPlace.id)) return true;
  const digest = await hashFile(clip.primary.absPath);
  const byContent = await findVerifiedByContent(catalog, keys.contentKey(digest.blake2b256));
  return byContent !== undefined && !damaged.has(byContent.id);
}
