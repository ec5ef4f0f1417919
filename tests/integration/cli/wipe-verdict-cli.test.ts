import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findMediaTools } from '../../../src/main/core/media/media-tools';
import { cli } from './cli-harness';

/**
 * One verdict, in the same words, from `ingest`, `cards`, `report` and `wipe-card`: a card holding a clip
 * whose name has a newline and one whose name ends in a space (media that was never copied) is NOT safe to
 * wipe, and each says which file and why; names are printed escaped; `wipe-card` deletes nothing.
 */
describe('safe to wipe, said the same everywhere', () => {
  const env = { SH_PASS: 'correct horse battery staple' };
  let base: string;
  let card: string;
  const auth = () => ['--vault', path.join(base, 'vault'), '--passphrase-env', 'SH_PASS'];
  const expectedLines = [
    'NOT safe to wipe: 2 files are not safely in the vault:',
    '  DCIM/100CANON/MVI\\n0002.MP4: not copied: its name holds control characters (such as a newline); rename it on a computer and run the offload again',
    '  DCIM/100CANON/MVI_0003.MP4 : not copied: it looks like media but its name is not one Safehouse recognises (a trailing space or dot?); rename it and run the offload again',
  ];

  beforeAll(async () => {
    base = await fs.mkdtemp(path.join(os.tmpdir(), 'sh-cli-verdict-'));
    card = path.join(base, 'CARD');
    await fs.mkdir(path.join(card, 'DCIM/100CANON'), { recursive: true });
    const clip = path.join(card, 'DCIM/100CANON/MVI_0001.MP4');
    execFileSync((await findMediaTools()).ffmpeg, ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=25:duration=1', '-c:v', 'libx264', '-preset', 'ultrafast', clip]);
    await fs.copyFile(clip, path.join(card, 'DCIM/100CANON/MVI\n0002.MP4'));
    await fs.copyFile(clip, path.join(card, 'DCIM/100CANON/MVI_0003.MP4 '));
    expect((await cli(['init', ...auth()], env)).code).toBe(0);
  }, 60_000);
  afterAll(async () => {
    await fs.rm(base, { recursive: true, force: true });
  });

  it('ingest: exits non-zero and lists each file that keeps the card from being safe', async () => {
    const result = await cli(['ingest', card, ...auth(), '--no-proxies'], env);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`1 verified, 0 quarantined, 0 failed, 0 already in the vault.\n${expectedLines.join('\n')}\n`);
    const json = await cli(['ingest', card, ...auth(), '--no-proxies', '--json'], env);
    const summary = JSON.parse(json.stdout.trim().split('\n').at(-1)!) as { safeToWipe: boolean; wipeBlockers: unknown[] };
    expect(summary.safeToWipe).toBe(false);
    expect(summary.wipeBlockers).toEqual([
      { file: 'DCIM/100CANON/MVI\n0002.MP4', state: 'not-copied', reason: 'name-has-control-characters' },
      { file: 'DCIM/100CANON/MVI_0003.MP4 ', state: 'not-copied', reason: 'unrecognised-media-name' },
    ]);
  }, 120_000);

  it('cards and report: the same verdict and the same words', async () => {
    const cards = await cli(['cards', ...auth()], env);
    expect(cards.stdout).toContain('1/1 read back  NOT safe to wipe\n');
    expect(cards.stdout).toContain(expectedLines.slice(1).map((line) => `  ${line}`).join('\n'));
    const report = await cli(['report', ...auth()], env);
    expect(report.stdout).toContain(expectedLines.join('\n'));
  });

  it('wipe-card: deletes nothing and says why, per file', async () => {
    const before = (await fs.readdir(path.join(card, 'DCIM/100CANON'))).sort();
    const wiped = await cli(['wipe-card', card, ...auth(), '--yes'], env);
    expect(wiped.code).toBe(1);
    expect(wiped.stderr).toBe(`Nothing was deleted. ${expectedLines.join('\n')}\n`);
    expect((await fs.readdir(path.join(card, 'DCIM/100CANON'))).sort()).toEqual(before);
  });

  it('once the odd names are fixed and the card offloaded again, all four say safe', async () => {
    await fs.rename(path.join(card, 'DCIM/100CANON/MVI\n0002.MP4'), path.join(card, 'DCIM/100CANON/MVI_0002.MP4'));
    await fs.rename(path.join(card, 'DCIM/100CANON/MVI_0003.MP4 '), path.join(card, 'DCIM/100CANON/MVI_0003.MP4'));
    const again = await cli(['ingest', card, ...auth(), '--no-proxies'], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('SAFE TO WIPE: every file on this card is in the vault and was read back.');
    expect((await cli(['report', ...auth()], env)).stdout).toContain('SAFE TO WIPE');
    const cards = JSON.parse((await cli(['cards', ...auth(), '--json'], env)).stdout) as { safeToWipe: boolean }[];
    expect(cards.at(-1)!.safeToWipe).toBe(true);
    const wiped = await cli(['wipe-card', card, ...auth(), '--yes'], env);
    expect(wiped.code).toBe(0);
    expect(wiped.stdout).toBe('Deleted 3 files from the card.\n');
  }, 120_000);
});
