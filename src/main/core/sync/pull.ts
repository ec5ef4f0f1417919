import { createReadStream, createWriteStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { SafehouseError, type ErrorReason } from '../../../shared/errors';
import type { SyncProgress, SyncPullResult } from '../../../shared/model';
import { appendAudit } from '../audit/audit-log';
import { loadLookupKeys } from '../ingest/lookup-keys';
import { fsyncDir } from '../vault/durable-fs';
import { loadSodium } from '../vault/sodium';
import type { UnlockedVault } from '../vault/vault';
import type { Carrier } from './carrier';
import { requireHq, type DeviceRow } from './devices';
import { createBlake2b } from './file-hash';
import { mergePayload, type MergeState } from './hq-merge';
import { MAX_RECORD_BYTES, checkRecord, genesisHash, objectKey, parseRecordKey, recordKey } from './layout';
import { payloadSchema, type PayloadObject, type SyncPayload } from './payload';
import { TransferProgress } from './transfer-progress';

/**
 * `sync pull` at HQ. Nothing is trusted until checked, and nothing is imported until everything is:
 * 1. every record under records/ belongs to an enrolled device, continues that device's chain (sequence,
 *    previous hash) and carries its signature; its payload opens with HQ's master key and fits the schema;
 * 2. every object those records name is downloaded into staging/sync/ (a dropped download continues from
 *    what arrived), must hash to its name and size, and must decrypt and authenticate with HQ's keys;
 * 3. one catalog transaction merges all rows (hq-merge.ts), records the pull in HQ's audit log and renames
 *    the staged objects into objects/. Any refusal before or during it leaves HQ's catalog as it was.
 */

const refused = (message: string, reason?: ErrorReason) => new SafehouseError('SYNC_REFUSED', `${message} Nothing from this pull was imported.`, reason ? { reason } : undefined);

interface VerifiedRecord {
  device: DeviceRow;
  seq: number;
  hash: string;
  payload: SyncPayload;
}

async function readRecords(vault: UnlockedVault, carrier: Carrier, devices: Map<string, DeviceRow>): Promise<VerifiedRecord[]> {
  const byDevice = new Map<string, number[]>();
  for (const item of await carrier.list('records/')) {
    const parsed = parseRecordKey(item.key);
    if (!parsed) throw refused(`The remote holds ${item.key}, which is not a Safehouse record name.`);
    if (!devices.has(parsed.device)) {
      throw refused(`The remote holds records of device ${parsed.device}, which is not enrolled at HQ. If it is one of yours, enroll its card (safehouse devices enroll) and pull again; if not, someone else wrote to this remote.`, 'device-not-enrolled');
    }
    byDevice.set(parsed.device, [...(byDevice.get(parsed.device) ?? []), parsed.seq]);
  }
  const out: VerifiedRecord[] = [];
  for (const [id, seqs] of [...byDevice.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const device = devices.get(id)!;
    let prev = device.last_hash ?? genesisHash(id);
    let expected = device.last_seq + 1;
    for (const seq of seqs.filter((n) => n > device.last_seq).sort((a, b) => a - b)) {
      if (seq !== expected) throw refused(`Record ${expected} of device ${id} is missing from the remote while later ones are there: records were removed or reordered.`);
      const key = recordKey(id, seq);
      const checked = checkRecord(await carrier.getBytes(key, MAX_RECORD_BYTES), { key, device: id, seq }, { signingKey: Buffer.from(device.signing_key, 'base64'), prev });
      let payload: SyncPayload;
      try {
        const parsed = payloadSchema.safeParse(JSON.parse(vault.openText(checked.sealedPayload)));
        if (!parsed.success) throw new Error('schema');
        payload = parsed.data;
      } catch {
        throw refused(`The content of record ${key} cannot be opened with HQ's key or is not a Safehouse catalog record.`, 'sealed-to-another-hq');
      }
      out.push({ device, seq, hash: checked.hash, payload });
      prev = checked.hash;
      expected += 1;
    }
  }
  return out;
}

/** Downloads one object into staging (continuing a partial download) and checks its hash and size. */
async function stageObject(carrier: Carrier, object: PayloadObject, file: string, progress: TransferProgress): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const part = `${file}.part`;
  const hasher = await createBlake2b();
  let have = 0;
  try {
    for await (const chunk of createReadStream(part) as AsyncIterable<Buffer>) {
      if (have + chunk.length > object.size) break;
      hasher.update(chunk);
      have += chunk.length;
    }
  } catch {
    have = 0;
  }
  if (have > 0) await fs.truncate(part, have);
  progress.bytes(have);
  const out = createWriteStream(part, { flags: have > 0 ? 'a' : 'w', mode: 0o600 });
  try {
    let size = have;
    for await (const chunk of carrier.readFrom(objectKey(object.blake2b), have)) {
      size += chunk.length;
      if (size > object.size) throw refused(`Object ${object.blake2b} on the remote is larger than its record says: it was replaced.`);
      hasher.update(chunk);
      if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      progress.bytes(chunk.length);
    }
    await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
    if (size !== object.size || hasher.digest() !== object.blake2b) {
      await fs.rm(part, { force: true });
      throw refused(`Object ${object.blake2b} on the remote does not match its name and record: it was altered or replaced.`);
    }
  } catch (error) {
    out.destroy();
    throw error;
  }
  await fs.rename(part, file);
}

export async function pullVault(vault: UnlockedVault, carrier: Carrier, onProgress?: (progress: SyncProgress) => void): Promise<Omit<SyncPullResult, 'proxiesQueued'> & { newClipIds: string[] }> {
  requireHq(vault);
  await loadSodium();
  const progress = new TransferProgress('pull', onProgress);
  progress.report('preparing');
  const catalog = await vault.catalog();
  const devices = new Map((await catalog.all<DeviceRow>('SELECT * FROM sync_devices')).map((row) => [row.id, row]));
  const records = await readRecords(vault, carrier, devices);

  const present = new Set((await catalog.all<{ id: string }>('SELECT id FROM objects')).map((row) => row.id));
  const wanted = new Map<string, PayloadObject>();
  for (const record of records) for (const object of record.payload.objects) if (!present.has(object.id)) wanted.set(object.id, object);
  progress.bytesTotal = [...wanted.values()].reduce((sum, object) => sum + object.size, 0);
  progress.objectsTotal = wanted.size;

  const stagingRoot = path.join(vault.info.dir, 'staging', 'sync');
  const stagedFile = (id: string) => path.join(stagingRoot, 'objects', id.slice(0, 2), id);
  const available = new Set(present);
  const verify = async (object: PayloadObject): Promise<void> => {
    try {
      // Decrypt and authenticate every frame with HQ's keys: a signed record cannot smuggle in an object
      // HQ cannot open, and the header must carry the id the record gives it.
      await vault.digestObjectAt(stagingRoot, object.id);
    } catch (error) {
      await fs.rm(stagedFile(object.id), { force: true });
      if (error instanceof SafehouseError && error.code === 'VAULT_LOCKED') throw error;
      throw refused(`Object ${object.blake2b} does not open with HQ's keys as object ${object.id}: it is damaged, forged or sealed to someone else.`, 'sealed-to-another-hq');
    }
    available.add(object.id);
    progress.object('verifying');
  };
  // Each object is verified (on a crypto worker) while the next one downloads; the first failure stops both.
  let failure: unknown = null;
  let verifying: Promise<void> = Promise.resolve();
  for (const object of wanted.values()) {
    if (failure) break;
    await stageObject(carrier, object, stagedFile(object.id), progress);
    verifying = verifying.then(() => (failure ? undefined : verify(object))).catch((error: unknown) => void (failure ??= error));
  }
  await verifying;
  if (failure) throw failure;

  progress.report('merging');
  const lookup = await loadLookupKeys(vault);
  const counts = { clipsAdded: 0, clipsMerged: 0, rows: 0, auditEntries: 0 };
  const newClips: string[] = [];
  const perDevice = new Map<string, number>();
  const moved: string[] = [];
  try {
    await catalog.transaction(async (tx) => {
      const usedObjects = new Set<string>();
      for (const record of records) {
        const state: MergeState = { tx, vault, device: record.device, lookup, available, usedObjects, newClips, counts };
        await mergePayload(state, record.payload);
        await tx.run('UPDATE sync_devices SET vault_id = ?, last_seq = ?, last_hash = ?, last_push_at = ? WHERE id = ?', [
          record.payload.vaultId, record.seq, record.hash, record.payload.createdAt, record.device.id,
        ]);
        perDevice.set(record.device.id, (perDevice.get(record.device.id) ?? 0) + 1);
      }
      const now = new Date().toISOString();
      for (const id of perDevice.keys()) await tx.run('UPDATE sync_devices SET last_pull_at = ? WHERE id = ?', [now, id]);
      await appendAudit(vault, 'sync.pull', { records: records.length, clipsAdded: counts.clipsAdded, clipsMerged: counts.clipsMerged, objects: usedObjects.size }, tx);
      // Last step before COMMIT: the objects move in. A crash between here and COMMIT leaves unrecorded
      // objects, which the next offload removes (clip-records.ts removeUnrecordedObjects).
      for (const id of usedObjects) {
        const target = vault.objectFile(id);
        await fs.mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
        await fs.rename(stagedFile(id), target);
        moved.push(target);
        await fsyncDir(path.dirname(target));
      }
    });
  } catch (error) {
    for (const file of moved) await fs.rm(file, { force: true });
    throw error;
  }
  // Staged copies nobody needed (a duplicate original already at HQ) go.
  await fs.rm(stagingRoot, { recursive: true, force: true });
  progress.report('done');
  return {
    remote: carrier.label,
    records: records.length,
    devices: [...perDevice.entries()].map(([device, n]) => ({ device, records: n })),
    clipsAdded: counts.clipsAdded,
    clipsMerged: counts.clipsMerged,
    objects: moved.length,
    auditEntries: counts.auditEntries,
    bytesReceived: progress.bytesDone,
    seconds: Math.round(progress.seconds * 10) / 10,
    newClipIds: newClips,
  };
}
