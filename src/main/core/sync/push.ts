import { SafehouseError } from '../../../shared/errors';
import type { SyncProgress, SyncPushResult } from '../../../shared/model';
import type { UnlockedVault } from '../vault/vault';
import type { Carrier, UploadResumeStore } from './carrier';
import { makeNextRecord, ownDeviceId, readOutbox, writeLastPush } from './field-records';
import { objectKey, recordKey } from './layout';
import { TransferProgress } from './transfer-progress';

/**
 * `sync push`: a field vault sends what HQ does not have yet. Order matters for a pull running at the same
 * time and for a push killed half-way: first every object a record names (skipped when the remote already
 * holds that name with that size — the name is the hash of the bytes), then the records. HQ therefore never
 * sees a record whose objects are not there, and a continued push redoes only what is missing.
 */

function resumeStore(vault: UnlockedVault): UploadResumeStore {
  return {
    async load(target) {
      const row = await (await vault.catalog()).get<{ upload_id: string; parts_json: string }>('SELECT upload_id, parts_json FROM sync_uploads WHERE target = ?', [target]);
      return row ? { uploadId: row.upload_id, parts: JSON.parse(row.parts_json) as { n: number; etag: string; size: number }[] } : null;
    },
    async save(target, state) {
      await (await vault.catalog()).run(
        'INSERT INTO sync_uploads (target, upload_id, parts_json) VALUES (?, ?, ?) ON CONFLICT (target) DO UPDATE SET upload_id = excluded.upload_id, parts_json = excluded.parts_json',
        [target, state.uploadId, JSON.stringify(state.parts)],
      );
    },
    async clear(target) {
      await (await vault.catalog()).run('DELETE FROM sync_uploads WHERE target = ?', [target]);
    },
  };
}

export async function pushVault(vault: UnlockedVault, carrier: Carrier, onProgress?: (progress: SyncProgress) => void): Promise<SyncPushResult> {
  if (vault.info.kind !== 'field') {
    throw new SafehouseError('INVALID_INPUT', 'Only a field vault pushes to HQ: this vault holds its own master key. Pull field pushes into it instead.');
  }
  const device = ownDeviceId(vault);
  const progress = new TransferProgress('push', onProgress);
  progress.report('preparing');
  const newRecord = await makeNextRecord(vault);
  const outbox = await readOutbox(vault);
  const objects = new Map(outbox.flatMap((record) => record.objects).map((object) => [object.blake2b, object]));
  progress.bytesTotal = [...objects.values()].reduce((sum, object) => sum + object.size, 0);
  progress.objectsTotal = objects.size;
  const resume = resumeStore(vault);
  let sent = 0;
  let alreadyThere = 0;
  let bytesSent = 0;
  for (const object of objects.values()) {
    const key = objectKey(object.blake2b);
    const held = await carrier.stat(key);
    if (held?.size === object.size) {
      alreadyThere += 1;
      progress.bytes(object.size);
    } else {
      await carrier.putFile(key, vault.objectFile(object.id), {
        size: object.size,
        blake2b: object.blake2b,
        resume,
        onBytes: (n) => {
          bytesSent += n;
          progress.bytes(n);
        },
      });
      sent += 1;
    }
    progress.object();
  }
  const onRemote = new Set((await carrier.list(`records/${device}/`)).map((item) => item.key));
  let recordsSent = 0;
  for (const record of outbox) {
    const key = recordKey(device, record.seq);
    if (onRemote.has(key)) continue;
    await carrier.putBytes(key, Buffer.from(record.envelope, 'utf8'));
    recordsSent += 1;
  }
  await writeLastPush(vault, new Date().toISOString());
  progress.report('done');
  return {
    device,
    remote: carrier.label,
    newRecord,
    records: { total: outbox.length, sent: recordsSent },
    objects: { total: objects.size, sent, alreadyThere },
    bytesSent,
    seconds: Math.round(progress.seconds * 10) / 10,
  };
}
