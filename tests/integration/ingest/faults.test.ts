import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findMediaTools, type MediaTools } from '../../../src/main/core/media/media-tools';
import { offloadCard } from '../../../src/main/core/ingest/offload';
import { listCards } from '../../../src/main/core/ingest/clip-queries';
import { openCardFile, type OpenCardFile } from '../../../src/main/core/ingest/source-read';
import { createVault, type UnlockedVault } from '../../../src/main/core/vault/vault';
import { writeStubTool, expectConsistentVault, survivors, corruptMdat } from './fault-helpers';

/**
 * Faults a crew meets in the field, each ending the same way: a consistent vault, a safe-to-wipe verdict that
 * tells the truth (NOT safe while a clip is failed), and a re-run that completes the card. Real ffmpeg, real
 * SQLite, real libsodium; the faults come from a file layer that fails like a dying card, stub tools that
 * crash or hang, and a genuinely full disk (a small tmpfs).
 */
describe('offload under faults', () => {
  let base: string;
  let card: string;
  let tools: MediaTools;
  const clips = ['DCIM/100CANON/MVI_0001.MP4', 'DCIM/100CANON/MVI_0002.MP4'];

  beforeAll(async () => {
    base = await fs.mkdtemp(path.join(os.tmpdir(), 'sh-faults-'));
    tools = await findMediaTools();
    card = path.join(base, 'CARD');
    await fs.mkdir(path.join(card, 'DCIM/100CANON'), { recursive: true });
    for (const [i, clip] of clips.entries()) {
      execFileSync(tools.ffmpeg, ['-v', 'error', '-f', 'lavfi', '-i', `testsrc2=size=640x360:rate=25:duration=2,noise=alls=${20 + i}:allf=t`, '-f', 'lavfi', '-i', 'sine=duration=2',
        '-c:v', 'libx264', '-preset', 'ultrafast', '-b:v', '12M', '-c:a', 'aac', '-shortest', path.join(card, clip)]);
    }
  }, 60_000);
  afterAll(async () => {
    await fs.rm(base, { recursive: true, force: true });
  });

  async function freshVault(name: string): Promise<UnlockedVault> {
    return createVault(path.join(base, name), 'correct horse battery staple');
  }

  async function expectRerunCompletes(vault: UnlockedVault): Promise<void> {
    const again = await offloadCard(vault, tools, card);
    expect(again.counts.failed).toBe(0);
    expect(again.safeToWipe).toBe(true);
    expect(again.wipeBlockers).toEqual([]);
    const [summary] = await listCards(vault);
    expect(summary).toMatchObject({ safeToWipe: true, wipeBlockers: [] });
    await expectConsistentVault(vault);
  }

  it('a read error mid-file leaves that clip failed ("the card may be damaged"), not quarantined; a re-run completes', async () => {
    const vault = await freshVault('vault-eio');
    // The second clip's card reads fail after 256 KiB, the way a failing card does.
    const failing: OpenCardFile = async (absPath) => {
      const handle = await openCardFile(absPath);
      if (!absPath.endsWith('MVI_0002.MP4')) return handle;
      let served = 0;
      return {
        close: () => handle.close(),
        async read(buffer, offset, length, position) {
          if (served >= 256 * 1024) throw Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO', errno: -5 });
          const result = await handle.read(buffer, offset, length, position);
          served += result.bytesRead;
          return result;
        },
      };
    };
    const first = await offloadCard(vault, tools, card, { openCardFile: failing });
    const bad = first.results.find((entry) => entry.file === clips[1])!;
    expect(bad).toMatchObject({ status: 'failed', failureKind: 'read-error' });
    expect(bad.reason).toMatch(/the card may be damaged/);
    expect(first.results.find((entry) => entry.file === clips[0])!.status).toBe('verified');
    expect(first.safeToWipe).toBe(false);
    expect(first.wipeBlockers).toEqual([{ file: clips[1], state: 'failed', reason: 'read-error' }]);
    expect((await listCards(vault))[0]).toMatchObject({ safeToWipe: false, wipeBlockers: first.wipeBlockers });
    await expectConsistentVault(vault);
    await expectRerunCompletes(vault);
    vault.lock();
  }, 120_000);

  it('a crashing ffmpeg leaves the clip failed, never quarantined; a re-run with a working ffmpeg completes', async () => {
    const vault = await freshVault('vault-crash');
    const crashing = await writeStubTool(base, 'ffmpeg-crash', tools.ffmpeg, 'crash');
    const first = await offloadCard(vault, { ...tools, ffmpeg: crashing.path }, card);
    expect(first.results.map((entry) => [entry.status, entry.failureKind])).toEqual([['failed', 'tool-crashed'], ['failed', 'tool-crashed']]);
    expect(first.counts.quarantined).toBe(0);
    expect(first.safeToWipe).toBe(false);
    expect(first.wipeBlockers.map((blocker) => blocker.reason)).toEqual(['tool-crashed', 'tool-crashed']);
    await expectConsistentVault(vault);
    await expectRerunCompletes(vault);
    vault.lock();
  }, 120_000);

  it('a hung ffmpeg is stopped by its stall timeout, its whole process group killed; the clip is failed and retried', async () => {
    const vault = await freshVault('vault-hang');
    const hanging = await writeStubTool(base, 'ffmpeg-hang', tools.ffmpeg, 'hang');
    const started = Date.now();
    const first = await offloadCard(vault, { ...tools, ffmpeg: hanging.path, limits: { stallMs: 1500, baseMs: 60_000, minBytesPerSecond: 1 } }, card, { concurrency: 1 });
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(first.results.map((entry) => [entry.status, entry.failureKind])).toEqual([['failed', 'tool-timed-out'], ['failed', 'tool-timed-out']]);
    const pids = await hanging.pids();
    expect(pids.length).toBe(4); // each hung run: the shell and its own child
    expect(await survivors(pids)).toEqual([]);
    expect(first.safeToWipe).toBe(false);
    await expectConsistentVault(vault);
    await expectRerunCompletes(vault);
    vault.lock();
  }, 120_000);

  it('a header-valid file whose picture and sound do not decode is quarantined with its original, and says so', async () => {
    const vault = await freshVault('vault-undecodable');
    const odd = path.join(base, 'CARD-ODD');
    await fs.mkdir(path.join(odd, 'DCIM/100CANON'), { recursive: true });
    const target = path.join(odd, 'DCIM/100CANON/MVI_0009.MP4');
    execFileSync(tools.ffmpeg, ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=25:duration=3', '-f', 'lavfi', '-i', 'sine=duration=3',
      '-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', '-movflags', '+faststart', target]);
    await corruptMdat(target);
    const result = await offloadCard(vault, tools, odd);
    expect(result.results[0]).toMatchObject({ status: 'quarantined', quarantineReason: 'does-not-decode' });
    expect(result.results[0]!.reason).not.toMatch(/ffmpeg|ffprobe|NAL|Invalid data/);
    // Kept, sealed, read back: nothing is lost by formatting this card.
    expect(result.safeToWipe).toBe(true);
    const catalog = await vault.catalog();
    expect(await catalog.get('SELECT status, quarantine_reason FROM clips')).toEqual({ status: 'quarantined', quarantine_reason: 'does-not-decode' });
    await expectConsistentVault(vault);
    vault.lock();
  }, 120_000);

  it('a full vault disk leaves the clip failed; after space is freed the re-run completes', async () => {
    const mountPoint = path.join(base, 'small-disk');
    await fs.mkdir(mountPoint);
    // A genuinely full disk: a 3 MiB tmpfs for the vault (the test runs as root, as CI does).
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=3m', 'tmpfs', mountPoint]);
    try {
      const vault = await createVault(path.join(mountPoint, 'vault'), 'correct horse battery staple');
      const first = await offloadCard(vault, tools, card, { concurrency: 1 });
      const kinds = first.results.map((entry) => entry.failureKind);
      expect(kinds).toContain('disk-full');
      expect(first.results.every((entry) => entry.status === 'failed')).toBe(true);
      expect(first.counts.quarantined).toBe(0);
      expect(first.safeToWipe).toBe(false);
      await expectConsistentVault(vault);
      execFileSync('mount', ['-o', 'remount,size=128m', mountPoint]);
      await expectRerunCompletes(vault);
      vault.lock();
    } finally {
      execFileSync('umount', ['-l', mountPoint]);
    }
  }, 120_000);
});
