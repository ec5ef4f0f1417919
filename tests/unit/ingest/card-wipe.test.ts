import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SafehouseError } from '../../../src/shared/errors';
import { scanCard } from '../../../src/main/core/ingest/card-scan';
import { diffSnapshots, snapshotTree } from '../../../src/main/core/ingest/card-snapshot';
import { wipeCardMedia } from '../../../src/main/core/ingest/card-wipe';
import { files, makeCard, removeTempCards, tempDir } from './temp-card';

afterAll(removeTempCards);

const media = ['DCIM/100GOPRO/GX010001.MP4', 'DCIM/100GOPRO/GX010001.THM', 'DCIM/100GOPRO/GL010001.LRV', 'DCIM/100MEDIA/DJI_0001.MP4', 'DCIM/100MEDIA/DJI_0001.SRT', 'PRIVATE/M4ROOT/CLIP/C0001.MP4'];
const keep = ['PRIVATE/M4ROOT/MEDIAPRO.XML', 'notes.txt', '.DS_Store', 'DCIM/100GOPRO/._GX010001.MP4'];

function card(): { root: string; outside: string } {
  const outside = path.join(tempDir(), 'precious.MP4');
  writeFileSync(outside, 'not on the card');
  const root = makeCard({ ...files(...media, ...keep), 'DCIM/100CANON/MVI_0001.MOV': '' });
  symlinkSync(outside, path.join(root, 'DCIM/100MEDIA/DJI_0002.MP4'));
  return { root, outside };
}

describe('card wipe', () => {
  it('refuses, naming how many clips are unverified, and touches nothing', async () => {
    const { root } = card();
    const scan = await scanCard(root);
    const before = await snapshotTree(root);
    const error = await wipeCardMedia(scan, (id) => id.startsWith('DCIM/100GOPRO')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SafehouseError);
    expect(error).toMatchObject({ code: 'NOT_SAFE', message: expect.stringMatching(/^2 of 3 clips on this card are not verified/) });
    expect(diffSnapshots(before, await snapshotTree(root))).toEqual([]);
  });

  it('deletes exactly the clips and their sidecars once every clip is safe', async () => {
    const { root, outside } = card();
    const scan = await scanCard(root);
    const result = await wipeCardMedia(scan, async () => true);
    expect(result.kept).toEqual([]);
    expect([...result.deleted].sort()).toEqual([...media].sort());
    for (const rel of media) expect(existsSync(path.join(root, rel))).toBe(false);
    // unknown files, litter, problem files, the symlink and what it points at all stay
    for (const rel of [...keep, 'DCIM/100CANON/MVI_0001.MOV', 'DCIM/100MEDIA/DJI_0002.MP4']) expect(existsSync(path.join(root, rel))).toBe(true);
    expect(readFileSync(outside, 'utf8')).toBe('not on the card');
  });

  it('keeps a clip whose file changed since the scan, and one whose folder became a link out of the card', async () => {
    const { root } = card();
    const scan = await scanCard(root);
    writeFileSync(path.join(root, 'PRIVATE/M4ROOT/CLIP/C0001.MP4'), 'new footage shot after the offload');
    const elsewhere = path.join(tempDir(), '100GOPRO');
    renameSync(path.join(root, 'DCIM/100GOPRO'), elsewhere);
    symlinkSync(elsewhere, path.join(root, 'DCIM/100GOPRO'));
    const result = await wipeCardMedia(scan, () => true);
    expect(result.deleted.sort()).toEqual(['DCIM/100MEDIA/DJI_0001.MP4', 'DCIM/100MEDIA/DJI_0001.SRT']);
    expect(result.kept.map((k) => [k.clipId, k.reason])).toEqual([
      ['DCIM/100GOPRO/GX010001.MP4', expect.stringContaining('resolves outside the card')],
      ['PRIVATE/M4ROOT/CLIP/C0001.MP4', expect.stringContaining('changed since it was offloaded')],
    ]);
    expect(existsSync(path.join(elsewhere, 'GX010001.MP4'))).toBe(true);
    expect(existsSync(path.join(root, 'PRIVATE/M4ROOT/CLIP/C0001.MP4'))).toBe(true);
  });

  it('never leaves the root for a tampered scan, and reports a write-protected card', async () => {
    const { root } = card();
    const scan = await scanCard(root);
    const victim = path.join(root, '..', 'victim.MP4');
    writeFileSync(victim, 'x');
    const first = scan.clips[0]!;
    first.primary = { ...first.primary, relPath: '../victim.MP4', absPath: victim };
    const result = await wipeCardMedia(scan, () => true, {
      fs: { unlink: (p) => (p.includes('DJI') ? Promise.reject(Object.assign(new Error(), { code: 'EROFS' })) : import('node:fs/promises').then((f) => f.unlink(p))) },
    });
    expect(existsSync(victim)).toBe(true);
    expect(result.kept.map((k) => k.reason)).toEqual(['path is not inside the card', expect.stringContaining('write-protected')]);
    expect(result.deleted).toEqual(['PRIVATE/M4ROOT/CLIP/C0001.MP4']);
  });

  it('refuses when the card is no longer where it was scanned', async () => {
    const { root } = card();
    const scan = await scanCard(root);
    const moved = `${root}-moved`;
    renameSync(root, moved);
    mkdirSync(root);
    symlinkSync(moved, path.join(root, 'x'));
    await expect(wipeCardMedia({ ...scan, root: path.join(root, 'x') }, () => true)).rejects.toMatchObject({ code: 'NOT_SAFE' });
    rmSync(moved, { recursive: true, force: true });
  });
});
