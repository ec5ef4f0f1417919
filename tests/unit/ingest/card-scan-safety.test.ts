import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { displayPath, nodeCardFs, scanCard, type CardFs } from '../../../src/main/core/ingest/card-scan';
import { diffSnapshots, snapshotTree } from '../../../src/main/core/ingest/card-snapshot';
import { describeCardFiles } from '../../../src/main/core/ingest/card-files';
import { decideWipe } from '../../../src/main/core/ingest/wipe-verdict';
import { blockerText } from '../../../src/main/cli/wipe-words';
import { files, makeCard, removeTempCards, tempDir } from './temp-card';

afterAll(removeTempCards);

/** Wraps the real fs seam and records every path each call touched. */
function recordingFs(): { fs: CardFs; calls: { op: string; p: string }[] } {
  const calls: { op: string; p: string }[] = [];
  const wrap = <K extends keyof CardFs>(op: K): CardFs[K] =>
    ((p: string) => {
      calls.push({ op, p });
      return (nodeCardFs[op] as (p: string) => Promise<unknown>)(p);
    }) as CardFs[K];
  return { fs: { lstat: wrap('lstat'), readdir: wrap('readdir'), realpath: wrap('realpath'), readlink: wrap('readlink'), probeRead: wrap('probeRead') }, calls };
}

function errno(code: string): Error {
  return Object.assign(new Error(code), { code });
}

describe('card scan safety', () => {
  it('skips OS litter (listed with a reason, never ingested or descended into)', async () => {
    const scan = await scanCard(makeCard(files(
      '.DS_Store', 'DCIM/.DS_Store', 'DCIM/100GOPRO/._GX010001.MP4', 'DCIM/100GOPRO/GX010001.MP4', '.Spotlight-V100/Store-V2/x.MP4',
      '.Trashes/501/DJI_0001.MP4', '.fseventsd/0001', '.TemporaryItems/folders.501/x', 'Thumbs.db', 'DCIM/desktop.ini',
      'System Volume Information/IndexerVolumeGuid', '$RECYCLE.BIN/S-1-5/clip.MP4',
    )));
    expect(scan.skipped.map((s) => s.relPath)).toEqual([
      '$RECYCLE.BIN', '.DS_Store', '.Spotlight-V100', '.TemporaryItems', '.Trashes', '.fseventsd', 'DCIM/.DS_Store',
      'DCIM/100GOPRO/._GX010001.MP4', 'DCIM/desktop.ini', 'System Volume Information', 'Thumbs.db',
    ]);
    expect(scan.skipped.every((s) => s.reason.length > 0)).toBe(true);
    expect(scan.clips.map((c) => c.id)).toEqual(['DCIM/100GOPRO/GX010001.MP4']);
    expect(scan.unknown).toEqual([]);
  });

  it('reports symlinks (to /etc/passwd, to a folder outside the card) as unsafe and never follows them', async () => {
    const outside = tempDir();
    mkdirSync(path.join(outside, 'M4ROOT/CLIP'), { recursive: true });
    writeFileSync(path.join(outside, 'M4ROOT/CLIP/C0001.MP4'), 'secret');
    const root = makeCard(files('DCIM/100MEDIA/DJI_0001.MP4'));
    symlinkSync('/etc/passwd', path.join(root, 'DCIM/100MEDIA/DJI_0002.MP4'));
    symlinkSync(outside, path.join(root, 'PRIVATE'));
    symlinkSync(root, path.join(root, 'DCIM/loop')); // would recurse forever if followed
    const { fs, calls } = recordingFs();
    const scan = await scanCard(root, { fs });
    expect(scan.unsafe.map((u) => u.relPath)).toEqual(['DCIM/100MEDIA/DJI_0002.MP4', 'DCIM/loop', 'PRIVATE']);
    expect(scan.unsafe[0]?.reason).toContain('/etc/passwd');
    expect(scan.clips.map((c) => c.id)).toEqual(['DCIM/100MEDIA/DJI_0001.MP4']);
    const listed = [...scan.unknown.map((f) => f.relPath), ...scan.problems.map((p) => p.relPath)];
    expect(listed.filter((p) => p.startsWith('PRIVATE/'))).toEqual([]);
    // Only lstat/readlink ever touch a link; nothing is opened or listed through one.
    const links = ['DCIM/100MEDIA/DJI_0002.MP4', 'PRIVATE', 'DCIM/loop'].map((r) => path.join(scan.root, r));
    const viaLink = calls.filter((c) => links.some((l) => c.p === l || c.p.startsWith(l + path.sep)) && !['lstat', 'readlink'].includes(c.op));
    expect(viaLink).toEqual([]);
    expect(calls.some((c) => c.p.startsWith(outside))).toBe(false);
  });

  it.runIf(process.platform !== 'win32')('reports a FIFO as unsafe without opening it (opening would block)', async () => {
    const root = makeCard(files('DCIM/100CANON/MVI_0001.MOV'));
    execFileSync('mkfifo', [path.join(root, 'DCIM/100CANON/MVI_0002.MOV')]);
    const scan = await scanCard(root);
    expect(scan.unsafe).toEqual([expect.objectContaining({ relPath: 'DCIM/100CANON/MVI_0002.MOV' })]);
    expect(scan.clips).toHaveLength(1);
  });

  it('handles newline, unicode and leading-dash names; empty files are problems', async () => {
    const root = makeCard({
      'DCIM/100GOPRO/GX01\n0001.MP4': 'x',
      'Интервью/日本 Straße.MOV': 'x',
      '-rf.MP4': 'x',
      '--help/clip.MP4': 'x',
      'DCIM/100CANON/MVI_0009.MOV': '',
      'DCIM/100CANON/MVI_0009.THM': 'x',
      'DCIM/100CANON/MVI_0001.MOV': 'x',
      'readme\u202etxt.MP4': 'x',
    });
    const scan = await scanCard(root);
    expect(scan.clips.map((c) => c.id)).toEqual([
      '--help/clip.MP4', '-rf.MP4', 'DCIM/100CANON/MVI_0001.MOV', 'readme\u202etxt.MP4', 'Интервью/日本 Straße.MOV',
    ]);
    expect(scan.problems).toEqual([
      { relPath: 'DCIM/100CANON/MVI_0009.MOV', display: 'DCIM/100CANON/MVI_0009.MOV', reason: expect.stringContaining('empty'), code: 'empty' },
      { relPath: 'DCIM/100CANON/MVI_0009.THM', display: 'DCIM/100CANON/MVI_0009.THM', reason: expect.stringContaining('sidecar of DCIM/100CANON/MVI_0009.MOV'), code: 'sidecar-of-unreadable' },
      { relPath: 'DCIM/100GOPRO/GX01\n0001.MP4', display: 'DCIM/100GOPRO/GX01\\n0001.MP4', reason: expect.stringContaining('control characters'), code: 'name-has-control-characters' },
    ]);
    expect(displayPath('readme\u202etxt.MP4')).toBe('readme\\u{202e}txt.MP4');
    expect(displayPath('a\\b\t\u0007')).toBe('a\\\\b\\t\\u{7}');
    expect(scan.totalBytes).toBe(5);
  });

  it('reports unreadable files and folders (EACCES through the fs seam, since tests run as root)', async () => {
    const root = makeCard(files('DCIM/100GOPRO/GX010001.MP4', 'DCIM/100GOPRO/GX010001.THM', 'DCIM/100GOPRO/GX010002.MP4', 'PRIVATE/M4ROOT/CLIP/C0001.MP4'));
    const scan = await scanCard(root, {
      fs: {
        probeRead: async (p) => (p.endsWith('GX010001.MP4') ? Promise.reject(errno('EACCES')) : nodeCardFs.probeRead(p)),
        readdir: async (p) => (p.endsWith('M4ROOT') ? Promise.reject(errno('EACCES')) : nodeCardFs.readdir(p)),
      },
    });
    expect(scan.problems.map((p) => [p.relPath, p.reason])).toEqual([
      ['DCIM/100GOPRO/GX010001.MP4', 'file cannot be read: permission denied'],
      ['DCIM/100GOPRO/GX010001.THM', 'sidecar of DCIM/100GOPRO/GX010001.MP4, which cannot be ingested'],
      ['PRIVATE/M4ROOT', 'folder cannot be read: permission denied'],
    ]);
    expect(scan.clips.map((c) => c.id)).toEqual(['DCIM/100GOPRO/GX010002.MP4']);
    expect(scan.problems.map((p) => p.code)).toEqual(['permission-denied', 'sidecar-of-unreadable', 'permission-denied']);
  });

  it('a file the card fails to read (EIO) keeps the card from being safe to wipe, and says the card may be damaged', async () => {
    const root = makeCard(files('DCIM/100GOPRO/GX010001.MP4', 'DCIM/100GOPRO/GX010002.MP4', 'notes.txt'));
    const scan = await scanCard(root, { fs: { probeRead: async (p) => (p.endsWith('GX010002.MP4') ? Promise.reject(errno('EIO')) : nodeCardFs.probeRead(p)) } });
    expect(scan.problems).toEqual([expect.objectContaining({ relPath: 'DCIM/100GOPRO/GX010002.MP4', code: 'card-read-error', reason: expect.stringContaining('may be failing') })]);
    const records = await describeCardFiles(scan, { fileFingerprint: (relPath) => `fp:${relPath}` });
    expect(records).toEqual([
      { file: 'DCIM/100GOPRO/GX010001.MP4', fingerprint: 'fp:DCIM/100GOPRO/GX010001.MP4' },
      { file: 'DCIM/100GOPRO/GX010002.MP4', fixed: { state: 'unreadable', reason: 'card-read-error' } },
      { file: 'notes.txt', fixed: { state: 'not-needed' } },
    ]);
    // Even with the readable clip verified, the card is not safe, and the CLI says why in words.
    const verdict = decideWipe(records.map((record) => ({ file: record.file, status: record.fixed ?? { state: 'verified' } })));
    expect(verdict).toEqual({ safeToWipe: false, wipeBlockers: [{ file: 'DCIM/100GOPRO/GX010002.MP4', state: 'unreadable', reason: 'card-read-error' }] });
    expect(blockerText(verdict.wipeBlockers[0]!)).toBe('cannot be read: the card may be damaged; try another card reader');
  });

  it('a missing card, a file instead of a folder, or an unreadable root are SOURCE_NOT_FOUND', async () => {
    const root = makeCard(files('a.MP4'));
    await expect(scanCard(path.join(root, 'nope'))).rejects.toMatchObject({ code: 'SOURCE_NOT_FOUND' });
    await expect(scanCard(path.join(root, 'a.MP4'))).rejects.toMatchObject({ code: 'SOURCE_NOT_FOUND' });
    await expect(scanCard(root, { fs: { readdir: () => Promise.reject(errno('EACCES')) } })).rejects.toMatchObject({ code: 'SOURCE_NOT_FOUND' });
  });

  it('is deterministic and leaves the card byte-for-byte and mtime-for-mtime unchanged', async () => {
    const root = makeCard({
      ...files('PRIVATE/M4ROOT/CLIP/C0001.MP4', 'PRIVATE/M4ROOT/CLIP/C0001M01.XML', 'DCIM/100MEDIA/DJI_0001.MP4', 'DCIM/100MEDIA/DJI_0001.SRT', '.DS_Store', 'x.txt'),
      'empty.MP4': '',
    });
    symlinkSync('/etc/passwd', path.join(root, 'passwd.MP4'));
    const before = await snapshotTree(root);
    const first = await scanCard(root);
    const second = await scanCard(root);
    expect(second).toEqual(first);
    expect(diffSnapshots(before, await snapshotTree(root))).toEqual([]);
  });
});
