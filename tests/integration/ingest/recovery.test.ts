import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findOrCreateCard, insertClip, removeUnrecordedObjects, type SourceHashes } from '../../../src/main/core/ingest/clip-records';
import { acquireIngestLock } from '../../../src/main/core/ingest/ingest-lock';
import { verifyClip } from '../../../src/main/core/ingest/verify';
import { createVault, type UnlockedVault } from '../../../src/main/core/vault/vault';
import { xxh64Of } from '../../unit/vault/helpers';

describe('crash recovery pieces', () => {
  let base: string;
  let vault: UnlockedVault;

  beforeAll(async () => {
    base = await fs.mkdtemp(path.join(os.tmpdir(), 'sh-recovery-'));
    vault = await createVault(path.join(base, 'vault'), 'correct horse battery staple');
  });
  afterAll(async () => {
    vault.lock();
    await fs.rm(base, { recursive: true, force: true });
  });

  it('removes objects no catalog row records once they are old, and keeps recorded and fresh ones', async () => {
    const catalog = await vault.catalog();
    const recorded = await vault.writeObject('proxy', Buffer.from('recorded'));
    await catalog.run('INSERT INTO objects (id, class, plain_size, created_at) VALUES (?, ?, ?, ?)', [recorded.id, 'proxy', 8, 'now']);
    const orphan = await vault.writeObject('proxy', Buffer.from('orphan from a crash'));
    const fresh = await vault.writeObject('proxy', Buffer.from('being recorded right now'));
    const anHourAgo = new Date(Date.now() - 3_600_000);
    for (const id of [recorded.id, orphan.id]) await fs.utimes(path.join(vault.info.dir, 'objects', id.slice(0, 2), id), anHourAgo, anHourAgo);

    expect(await removeUnrecordedObjects(vault, catalog)).toBe(1);
    expect((await vault.listObjectIds()).sort()).toEqual([recorded.id, fresh.id].sort());
  });

  it('lets one writer hold the vault, and takes over a lock left by a dead process', async () => {
    const release = await acquireIngestLock(vault.info.dir);
    await expect(acquireIngestLock(vault.info.dir)).rejects.toMatchObject({ code: 'VAULT_BUSY' });
    await release();
    // A lock file naming a process that no longer exists (pid far above any live one here).
    await fs.writeFile(path.join(vault.info.dir, 'ingest.lock'), '4194303');
    const again = await acquireIngestLock(vault.info.dir);
    await again();
    await expect(fs.stat(path.join(vault.info.dir, 'ingest.lock'))).rejects.toThrow();
  });

  it('verifies a clip only when the object read back gives the checksum taken while sealing', async () => {
    const catalog = await vault.catalog();
    const cardId = await findOrCreateCard(vault, catalog, 'recovery-test-card', 'test card');
    const cardFile = path.join(base, 'C0001.MP4');
    await fs.writeFile(cardFile, 'the card file');
    const sourceXxh64 = await xxh64Of(Buffer.from('the card file'));
    const verifyWith = async (stored: Partial<SourceHashes>) => {
      const master = await vault.writeObject('master', Buffer.from('sanitized master bytes'));
      const hashes = { xxh64: sourceXxh64, blake2b256: 'b'.repeat(64), ...stored };
      const { id } = await insertClip(vault, catalog, {
        cardId, kind: 'video', status: 'pending', reason: null, originalName: 'C0001.MP4', fileFingerprint: `fp-${master.id}`,
        contentKey: null, hashes, sizeBytes: 13, durationSeconds: null, streams: [], summary: {},
        objects: [{ id: master.id, cls: 'master', plainSize: master.plainSize, role: 'master' }],
      });
      return { master, result: await verifyClip({ vault, catalog, advance: () => undefined }, id, cardFile) };
    };

    const legacy = await verifyWith({});
    expect(legacy.result.status).toBe('failed'); // no checksum recorded: nothing to compare with
    expect(legacy.result.reason).toMatch(/earlier version of Safehouse; offload the card again/);

    const right = await verifyWith({ storedXxh64: await xxh64Of(Buffer.from('sanitized master bytes')) });
    expect(right.result).toEqual({ status: 'verified', reason: null });

    const wrong = await verifyWith({ storedXxh64: '0'.repeat(16) });
    expect(wrong.result).toEqual({ status: 'failed', reason: 'verification failed: the vault copy does not match what was written', failureKind: 'verify-mismatch' });
    // Recorded as a passing failure: the next run redoes the clip.
    const catalog2 = await vault.catalog();
    expect(await catalog2.get('SELECT status, failure_kind, verified_at FROM clips WHERE master_object_id = ?', [wrong.master.id])).toEqual({ status: 'failed', failure_kind: 'verify-mismatch', verified_at: null });
  });
});
