import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findMediaTools } from '../../../src/main/core/media/media-tools';
import { createVault } from '../../../src/main/core/vault/vault';
import { runBuiltCli, spawnCli } from '../cli/cli-harness';
import { survivors, writeStubTool } from './fault-helpers';

/**
 * SIGKILL of the real `safehouse` while its ffmpeg hangs: nothing may live on (no handler of ours runs on
 * SIGKILL; the watchdog of tool-process.ts kills the tool's process group), the open ingest is closed by the
 * next run, and `cards` says NOT safe to wipe until that run has put the clip in.
 */
describe('no orphans after SIGKILL of the CLI', () => {
  const PASS = 'correct horse battery staple';
  const env = { SH_PASS: PASS };
  let base: string;
  let vaultDir: string;
  let card: string;

  beforeAll(async () => {
    base = await fs.mkdtemp(path.join(os.tmpdir(), 'sh-orphans-'));
    vaultDir = path.join(base, 'vault');
    (await createVault(vaultDir, PASS)).lock();
    card = path.join(base, 'CARD');
    await fs.mkdir(path.join(card, 'DCIM/100CANON'), { recursive: true });
    const tools = await findMediaTools();
    execFileSync(tools.ffmpeg, ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=25:duration=2', '-f', 'lavfi', '-i', 'sine=duration=2',
      '-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', path.join(card, 'DCIM/100CANON/MVI_0001.MP4')]);
  }, 60_000);
  afterAll(async () => {
    await fs.rm(base, { recursive: true, force: true });
  });

  const auth = ['--vault', () => vaultDir, '--passphrase-env', 'SH_PASS'] as const;
  const args = (...words: string[]) => [...words, ...auth.map((part) => (typeof part === 'function' ? part() : part))];

  it('kills a hung ffmpeg (and its children) when the CLI is SIGKILLed, and the next run finishes the card', async () => {
    const real = (await findMediaTools()).ffmpeg;
    const hanging = await writeStubTool(base, 'ffmpeg-hang', real, 'hang');
    const child = spawnCli(args('ingest', card, '--json', '--no-proxies'), { ...env, SAFEHOUSE_FFMPEG: hanging.path });
    // Killed once the stub reports it is hanging (it wrote its pids), i.e. mid-sanitize.
    for (let waited = 0; (await hanging.pids()).length < 2 && waited < 60_000; waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
    const pids = await hanging.pids();
    expect(pids.length).toBe(2);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.on('close', resolve));
    expect(await survivors(pids)).toEqual([]);

    const cards = JSON.parse((await runBuiltCli(args('cards', '--json'), env)).stdout) as { safeToWipe: boolean; wipeBlockers: unknown[] }[];
    expect(cards).toEqual([expect.objectContaining({ safeToWipe: false, wipeBlockers: [{ file: 'DCIM/100CANON/MVI_0001.MP4', state: 'pending', reason: 'not-yet-copied' }] })]);
    const text = await runBuiltCli(args('cards'), env);
    expect(text.stdout).toContain('NOT safe to wipe');
    expect(text.stdout).toContain('DCIM/100CANON/MVI_0001.MP4: not copied into the vault yet; run the offload again');

    const rerun = await runBuiltCli(args('ingest', card, '--json', '--no-proxies'), env);
    expect(rerun.code).toBe(0);
    expect(JSON.parse(rerun.stdout.trim().split('\n').at(-1)!)).toMatchObject({ safeToWipe: true, wipeBlockers: [] });
    const after = JSON.parse((await runBuiltCli(args('cards', '--json'), env)).stdout) as { safeToWipe: boolean }[];
    expect(after.map((entry) => entry.safeToWipe)).toEqual([true]);
  }, 120_000);
});
