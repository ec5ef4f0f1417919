import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVault, unlockVault } from '../../../src/main/core/vault/vault';
import { runBuiltCli, spawnCli } from '../cli/cli-harness';
import { getCard } from '../media/card-fixture';

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
    await fs.cp(source, cardRoot, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true, filter: (file) => !/MVI_01|passwd|outside|-rf|ñø|MISC/.test(file) });
  });
  afterAll(async () => {
    await fs.rm(base, { recursive: true, force: true });
  });

  async function expectConsistent(): Promise<void> {
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
  });

  it('survives SIGKILL while sanitizing and encrypting', async () => {
    expect(await killWhen(ingestArgs(), (event) => event.event === 'progress' && event.step === 'sanitize')).toBe(true);
    await expectConsistent();
  });

  it('survives SIGKILL during verification, after some files are done', async () => {
    expect(await killWhen(ingestArgs(), (event) => event.event === 'progress' && event.step === 'verify' && (event.filesDone ?? 0) >= 2)).toBe(true);
    await expectConsistent();
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
  });
});
