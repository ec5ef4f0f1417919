import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeUnrecordedObjects } from '../../../src/main/core/ingest/clip-records';
import { acquireIngestLock } from '../../../src/main/core/ingest/ingest-lock';
import { createVault, type UnlockedVault } from '../../../src/main/core/vault/vault';

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
});
