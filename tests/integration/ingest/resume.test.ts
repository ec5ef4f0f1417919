import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVault, unlockVault } from '../../../src/main/core/vault/vault';
import { runBuiltCli, spawnCli } from '../cli/cli-harness';
import { getCard } from '../media/card-fixture';
import { survivors } from './fault-helpers';

/**
 * Power loss mid-offload: the real `safehouse ingest` is SIGKILLed at several points, chosen from its
 * own progress output. After every kill the vault must be consistent (every object in objects/ complete,
 * every catalog row's object present), and a final run must finish the card without redoing verified work.
 */
const PASS = 'correct horse battery staple';
const env = { SH_PASS: PASS };

async function killWhen(args: string[], shouldKill: (event: { event: string; step?: string; filesDone?: number }) => boolean): Promise<boolean> {
  const child = spawnCli(args, env);
  let buffer = '';
  let killed = false;
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    let newline;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      if (!killed && line.startsWith('{') && shouldKill(JSON.parse(line))) {
        killed = true;
        child.kill('SIGKILL');
      }
    }
  });
  await new Promise((resolve) => child.on('close', resolve));
  return killed;
}

describe('interrupted offload', () => {
  let base: string;
  let vaultDir: string;
  let cardRoot: string;

  beforeAll(async () => {
    base = await fs.mkdtemp(path.join(os.tmpdir(), 'sh-resume-'));
    vaultDir = path.join(base, 'vault');
    (await createVault(vaultDir, PASS)).lock();
    // A card without the deliberately bad files, so the final run can be judged as a whole.
    cardRoot = path.join(base, 'card');
    const source = getCard().root;
    await fs.cp(source, cardRoot, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true, filter: (file) => !/MVI_01|MVI\n01|passwd|outside|-rf|ñø|MISC/.test(file) });
  });
  afterAll(async () => {
    await fs.rm(base, { recursive: true, force: true });
  });

  /** No ffmpeg or ffprobe of the killed run lives on (they name the card's files in their arguments). */
  async function expectNoOrphans(): Promise<void> {
    const tools = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' })
      .split('\n')
      .filter((line) => line.includes(cardRoot) && /ffmpeg|ffprobe/.test(line))
      .map((line) => Number(line.trim().split(/\s+/)[0]));
    expect(await survivors(tools)).toEqual([]);
  }

  /** `cards` tells the truth after a kill: a card with a clip not yet in the vault is NOT safe to wipe. */
  async function expectCardsNotSafe(): Promise<void> {
    const listed = await runBuiltCli(['cards', '--vault', vaultDir, '--passphrase-env', 'SH_PASS', '--json'], env);
    const cards = JSON.parse(listed.stdout) as { safeToWipe: boolean; wipeBlockers: { state: string }[] }[];
    expect(cards.length).toBeGreaterThan(0);
    for (const card of cards) {
      expect(card.safeToWipe).toBe(false);
      expect(card.wipeBlockers.length).toBeGreaterThan(0);
      expect(card.wipeBlockers.every((blocker) => ['pending', 'failed'].includes(blocker.state)), JSON.stringify(card.wipeBlockers)).toBe(true);
    }
  }

  async function expectConsistent(): Promise<void> {
    await expectNoOrphans();
    const vault = await unlockVault(vaultDir, PASS);
    try {
      const catalog = await vault.catalog();
      const objectIds = new Set(await vault.listObjectIds());
      for (const id of objectIds) await expect(vault.readObject(id)).resolves.toBeDefined();
      const referenced = await catalog.all<{ id: string }>(
        'SELECT master_object_id AS id FROM clips WHERE master_object_id IS NOT NULL UNION SELECT report_object_id FROM clips WHERE report_object_id IS NOT NULL',
      );
      for (const row of referenced) expect(objectIds.has(row.id), `row points at missing object ${row.id}`).toBe(true);
    } finally {
      vault.lock();
    }
  }

  const ingestArgs = () => ['ingest', cardRoot, '--vault', vaultDir, '--passphrase-env', 'SH_PASS', '--json', '--no-proxies'];

  it('survives SIGKILL while hashing the first file', async () => {
    expect(await killWhen(ingestArgs(), (event) => event.event === 'progress' && event.step === 'hash')).toBe(true);
    await expectConsistent();
    await expectCardsNotSafe();
  });

  it('survives SIGKILL while sanitizing and encrypting', async () => {
    expect(await killWhen(ingestArgs(), (event) => event.event === 'progress' && event.step === 'sanitize')).toBe(true);
    await expectConsistent();
    await expectCardsNotSafe();
  });

  it('survives SIGKILL during verification, after some files are done', async () => {
    expect(await killWhen(ingestArgs(), (event) => event.event === 'progress' && event.step === 'verify' && (event.filesDone ?? 0) >= 2)).toBe(true);
    await expectConsistent();
    await expectCardsNotSafe();
  });

  it('a final run completes the card, skipping what was verified, and a further run adds nothing', async () => {
    const final = await runBuiltCli(ingestArgs(), env);
    expect(final.code, final.stdout.split('\n').filter((line) => line.includes('"event":"file"')).join('\n')).toBe(0);
    const summary = JSON.parse(final.stdout.trim().split('\n').at(-1)!) as { counts: Record<string, number>; safeToWipe: boolean };
    expect(summary.counts['failed']).toBe(0);
    expect(summary.counts['skipped']).toBeGreaterThan(0);
    expect(summary.safeToWipe).toBe(true);
    await expectConsistent();

    const again = await runBuiltCli(ingestArgs(), env);
    const repeat = JSON.parse(again.stdout.trim().split('\n').at(-1)!) as { counts: Record<string, number> };
    expect(repeat.counts).toMatchObject({ verified: 0, quarantined: 0, failed: 0 });
    const vault = await unlockVault(vaultDir, PASS);
    const clips = await (await vault.catalog()).all<{ status: string }>('SELECT status FROM clips');
    vault.lock();
    expect(clips.length).toBeGreaterThanOrEqual(10);
    expect(clips.every((clip) => clip.status === 'verified')).toBe(true);
    // The three killed runs' ingests were closed by the next run, not left open forever.
    const vaultAgain = await unlockVault(vaultDir, PASS);
    const ingests = await (await vaultAgain.catalog()).all<{ finished_at: string | null; counts_json: string | null }>('SELECT finished_at, counts_json FROM ingests');
    vaultAgain.lock();
    expect(ingests.filter((row) => row.finished_at === null)).toEqual([]);
    expect(ingests.filter((row) => row.counts_json === JSON.stringify({ interrupted: true })).length).toBe(3);
    const cards = JSON.parse((await runBuiltCli(['cards', '--vault', vaultDir, '--passphrase-env', 'SH_PASS', '--json'], env)).stdout) as { safeToWipe: boolean }[];
    expect(cards.map((card) => card.safeToWipe)).toEqual([true]);
  });
});
