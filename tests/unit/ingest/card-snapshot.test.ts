import { readFileSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { diffSnapshots, snapshotTree } from '../../../src/main/core/ingest/card-snapshot';
import { makeCard, removeTempCards } from './temp-card';

afterAll(removeTempCards);

function card(): string {
  const root = makeCard({ 'DCIM/100MEDIA/DJI_0001.MP4': 'abcdef', 'DCIM/100MEDIA/DJI_0001.SRT': 'GPS 1,2', 'x.txt': '' });
  symlinkSync('/etc/passwd', path.join(root, 'link'));
  return root;
}

describe('card snapshot', () => {
  it('is sorted, covers files, folders and links (not followed), and is stable', async () => {
    const root = card();
    const snap = await snapshotTree(root);
    expect(snap.map((e) => [e.relPath, e.type])).toEqual([
      ['', 'dir'], ['DCIM', 'dir'], ['DCIM/100MEDIA', 'dir'], ['DCIM/100MEDIA/DJI_0001.MP4', 'file'],
      ['DCIM/100MEDIA/DJI_0001.SRT', 'file'], ['link', 'symlink'], ['x.txt', 'file'],
    ]);
    expect(snap.find((e) => e.relPath === 'link')?.size).toBe('/etc/passwd'.length);
    expect(diffSnapshots(snap, await snapshotTree(root))).toEqual([]);
  });

  it('detects a changed byte even when size and mtime are restored', async () => {
    const root = card();
    const file = path.join(root, 'DCIM/100MEDIA/DJI_0001.MP4');
    // A whole-second mtime, so restoring it through utimes is exact.
    const fixed = new Date('2024-01-01T00:00:00Z');
    utimesSync(file, fixed, fixed);
    const before = await snapshotTree(root);
    writeFileSync(file, readFileSync(file, 'utf8').replace('c', 'C'));
    utimesSync(file, fixed, fixed);
    expect(statSync(file).mtimeMs).toBe(fixed.getTime());
    expect(diffSnapshots(before, await snapshotTree(root))).toEqual(['bytes changed: "DCIM/100MEDIA/DJI_0001.MP4"']);
  });

  it('detects a touched mtime and an added file', async () => {
    const root = card();
    const before = await snapshotTree(root);
    utimesSync(path.join(root, 'x.txt'), new Date(), new Date(Date.now() + 5000));
    writeFileSync(path.join(root, 'DCIM/new.txt'), '');
    const diffs = diffSnapshots(before, await snapshotTree(root));
    expect(diffs).toContain('mtime changed: "x.txt"');
    expect(diffs).toContain('added: "DCIM/new.txt"');
  });
});
