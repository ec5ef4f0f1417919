/**
 * A card's file list, taken when an offload starts and sealed into the catalog (names identify a card), so
 * "safe to wipe" can be decided later without the card: a file that was on the card but never reached the
 * vault (an ingest killed half-way) keeps the card NOT safe. Every file that is not OS litter is listed.
 */
import type { CardNoteCode, ClipFailureKind, ClipStatus } from '../../../shared/model';
import type { Catalog } from '../catalog';
import type { UnlockedVault } from '../vault/vault';
import type { CardScan } from './card-scan';
import type { LookupKeys } from './lookup-keys';
import { hashFile } from './hashing';
import { damagedObjectIds as recordedDamagedObjects } from '../integrity/object-damage';
import { unknownFileIsMedia } from './unknown-media';
import { clipFileState, decideWipe, type CardFileState, type CardFileVerdictInput, type WipeVerdict } from './wipe-verdict';

export interface CardFileRecord {
  file: string;
  /** Clips: the keyed fingerprint of the card file, and once known the clip that holds it (a duplicate's too). */
  fingerprint?: string;
  clipId?: string;
  /** Files that are not clips: their state is fixed by the scan. */
  fixed?: CardFileState;
}

/** What a scan note means for the card: refused and unreadable files block, harmless ones do not. */
export function noteState(code: CardNoteCode): CardFileState | null {
  switch (code) {
    case 'os-litter':
      return null;
    case 'symbolic-link':
    case 'not-a-regular-file':
    case 'other-volume':
    case 'nested-too-deep':
      return { state: 'refused', reason: code };
    case 'permission-denied':
    case 'card-read-error':
    case 'vanished':
    case 'unreadable':
      return { state: 'unreadable', reason: code };
    case 'name-has-control-characters':
      return { state: 'not-copied', reason: code };
    case 'empty': // nothing in it to lose
    case 'sidecar-of-unreadable': // its clip is what blocks
      return { state: 'not-needed' };
  }
}

export async function describeCardFiles(scan: CardScan, keys: Pick<LookupKeys, 'fileFingerprint'>): Promise<CardFileRecord[]> {
  const records: CardFileRecord[] = [];
  for (const clip of scan.clips) {
    records.push({ file: clip.primary.relPath, fingerprint: keys.fileFingerprint(clip.primary.relPath, clip.primary.size, clip.primary.mtimeMs) });
    // Sidecars are left on the card by design (they carry location): they are not kept, and need not be.
    for (const sidecar of clip.sidecars) records.push({ file: sidecar.relPath, fixed: { state: 'not-needed' } });
  }
  for (const note of [...scan.unsafe, ...scan.problems]) {
    const fixed = noteState(note.code);
    if (fixed) records.push({ file: note.relPath, fixed });
  }
  for (const file of scan.unknown) {
    const fixed: CardFileState = (await unknownFileIsMedia(file)) ? { state: 'not-copied', reason: 'unrecognised-media-name' } : { state: 'not-needed' };
    records.push({ file: file.relPath, fixed });
  }
  // Card order (by path, code point by code point), so every face lists the same files the same way.
  return records.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

export async function saveCardFiles(vault: UnlockedVault, catalog: Catalog, cardId: string, records: CardFileRecord[]): Promise<void> {
  // A field vault must judge "safe to wipe" after a lock too, but may not keep the card's names readable to
  // the crew's passphrase (field sealing): there the list keeps each file's place in card order instead.
  const neutral = vault.sealClassFor('operational-text') !== 'proxy';
  const list = neutral ? records.map((record, index) => ({ ...record, file: `#${index + 1}` })) : records;
  const sealed = Buffer.from(vault.sealValue('proxy', JSON.stringify({ version: 1, files: list })));
  await catalog.run('UPDATE cards SET files_sealed = ? WHERE id = ?', [sealed, cardId]);
}

interface ClipStateRow {
  id: string;
  file_fingerprint: string | null;
  original_name_sealed: Uint8Array | null;
  status: ClipStatus;
  verified_at: string | null;
  master_object_id: string | null;
  failure_kind: ClipFailureKind | null;
  created_at: string;
}

const CLIP_STATE_COLUMNS = 'id, file_fingerprint, original_name_sealed, status, verified_at, master_object_id, failure_kind, created_at';

const latestByFingerprint = (catalog: Catalog, fingerprint: string) =>
  catalog.get<ClipStateRow>(`SELECT ${CLIP_STATE_COLUMNS} FROM clips WHERE file_fingerprint = ? ORDER BY created_at DESC LIMIT 1`, [fingerprint]);

const rowState = (row: ClipStateRow | undefined, damaged: ReadonlySet<string>) =>
  clipFileState(
    row && { status: row.status, verifiedAt: row.verified_at, masterObjectId: row.master_object_id, failureKind: row.failure_kind },
    damaged,
  );

/**
 * The verdict for a card from the catalog alone (`cards`, `report`, the end of an offload). A card
 * offloaded before file lists were kept is judged by its clip rows.
 */
export async function cardVerdictFromCatalog(
  vault: UnlockedVault,
  catalog: Catalog,
  cardId: string,
  damaged?: ReadonlySet<string>,
): Promise<WipeVerdict> {
  // Objects a vault verification found damaged or missing (integrity/object-damage.ts) block like any other.
  const damagedObjectIds = damaged ?? (await recordedDamagedObjects(catalog));
  const card = await catalog.get<{ files_sealed: Uint8Array | null }>('SELECT files_sealed FROM cards WHERE id = ?', [cardId]);
  const rows = await catalog.all<ClipStateRow>(`SELECT ${CLIP_STATE_COLUMNS} FROM clips WHERE card_id = ? ORDER BY created_at`, [cardId]);
  if (!card?.files_sealed) {
    // Only a blocker's sealed name is opened: a card of 10,000 kept clips costs no decryption at all.
    return decideWipe(
      rows.map((row) => {
        const status = rowState(row, damagedObjectIds);
        const kept = status.state === 'verified' || status.state === 'quarantined-kept';
        return { file: kept ? '' : (row.original_name_sealed && vault.openTextIfHeld(row.original_name_sealed)) || row.id, status };
      }),
    );
  }
  const { files } = JSON.parse(vault.openText(card.files_sealed)) as { files: CardFileRecord[] };
  const byId = new Map(rows.map((row) => [row.id, row]));
  const byFingerprint = new Map<string, ClipStateRow>();
  for (const row of rows) if (row.file_fingerprint) byFingerprint.set(row.file_fingerprint, row); // latest wins (ordered)
  const inputs: CardFileVerdictInput[] = [];
  for (const record of files) {
    if (record.fixed) {
      inputs.push({ file: record.file, status: record.fixed });
      continue;
    }
    let row = record.clipId ? byId.get(record.clipId) : undefined;
    // A duplicate of a clip from another card is held by that clip.
    if (!row && record.clipId) row = await catalog.get<ClipStateRow>(`SELECT ${CLIP_STATE_COLUMNS} FROM clips WHERE id = ?`, [record.clipId]);
    if (!row && record.fingerprint) row = byFingerprint.get(record.fingerprint) ?? (await latestByFingerprint(catalog, record.fingerprint));
    inputs.push({ file: record.file, status: rowState(row, damagedObjectIds) });
  }
  return decideWipe(inputs);
}

/**
 * The verdict for a card that is here now (`wipe-card`): its files as scanned this moment, each clip found
 * by its place on the card or, failing that, by its content (a byte-identical copy already verified).
 */
export async function cardVerdictFromScan(
  catalog: Catalog,
  keys: LookupKeys,
  scan: CardScan,
): Promise<WipeVerdict> {
  const damagedObjectIds = await recordedDamagedObjects(catalog);
  const records = await describeCardFiles(scan, keys);
  const inputs: CardFileVerdictInput[] = [];
  for (const record of records) {
    if (record.fixed || !record.fingerprint) {
      inputs.push({ file: record.file, status: record.fixed ?? { state: 'pending', reason: 'not-yet-copied' } });
      continue;
    }
    let status = rowState(await latestByFingerprint(catalog, record.fingerprint), damagedObjectIds);
    if (status.state !== 'verified' && status.state !== 'quarantined-kept') {
      const clip = scan.clips.find((candidate) => candidate.primary.relPath === record.file);
      const digest = clip ? await hashFile(clip.primary.absPath).catch(() => null) : null;
      const copy = digest
        ? await catalog.get<ClipStateRow>(`SELECT ${CLIP_STATE_COLUMNS} FROM clips WHERE content_key = ? AND verified_at IS NOT NULL LIMIT 1`, [keys.contentKey(digest.blake2b256)])
        : undefined;
      if (copy) status = rowState(copy, damagedObjectIds);
    }
    inputs.push({ file: record.file, status });
  }
  return decideWipe(inputs);
}
