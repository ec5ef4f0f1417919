import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listMountedVolumes } from '../../../src/main/core/ingest/mounted-volumes';

describe('mounted volumes', () => {
  const made: string[] = [];
  afterAll(async () => Promise.all(made.map((folder) => rm(folder, { recursive: true, force: true }))));

  it('ignores plain folders and symlinks under a media root (they are not mounted cards)', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'volumes-'));
    made.push(root);
    await mkdir(path.join(root, 'user', 'NOT_A_CARD'), { recursive: true });
    await mkdir(path.join(root, 'PLAIN'));
    await symlink('/proc', path.join(root, 'LINK'));
    expect(await listMountedVolumes([root])).toEqual([]);
  });

  it('finds real mount points one level down (the system root holds /proc and /sys)', async () => {
    const volumes = await listMountedVolumes(['/']);
    const names = volumes.map((volume) => volume.name);
    expect(names).toContain('proc');
    expect(volumes.find((volume) => volume.name === 'proc')!.path).toBe('/proc');
    expect(names).not.toContain('etc'); // an ordinary folder on the root file system
  });

  it('finds mount points two levels down, as udisks mounts them under /media/USER', async () => {
    // /sys/fs is an ordinary folder of /sys; /sys/fs/cgroup is a mount of its own (as in every container).
    const volumes = await listMountedVolumes(['/sys']);
    expect(volumes).toContainEqual({ path: '/sys/fs/cgroup', name: 'cgroup' });
    expect(volumes.map((volume) => volume.name)).not.toContain('fs');
  });

  it('a missing root lists nothing instead of failing', async () => {
    expect(await listMountedVolumes([path.join(os.tmpdir(), 'no-such-root-here')])).toEqual([]);
  });
});
