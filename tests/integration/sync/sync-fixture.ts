import { lstatSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { getCard } from '../media/card-fixture';
import { cli } from '../cli/cli-harness';

/** Shared setup of the sync tests: an HQ vault, field vaults made from HQ's card, small camera cards. */

export const env = { HQ_PASS: 'headquarters passphrase long enough', CREW_PASS: 'crew passphrase in the field', OTHER_PASS: 'second crew passphrase in the field' };

/** A copy of the generated card holding only the named media files (plus the card's litter and other files). */
export async function cardWith(dest: string, keep: RegExp): Promise<string> {
  await fs.cp(getCard().root, dest, {
    recursive: true,
    preserveTimestamps: true,
    // Symbolic links stay behind (the card's hostile link blocks "safe to wipe", which is not this test's subject).
    filter: (file) => !lstatSync(file).isSymbolicLink() && (!/\.(MP4|MOV|MTS|WAV|JPG|PNG|SRT|XML)$/i.test(file) || keep.test(file)),
  });
  return dest;
}

export async function initHq(base: string): Promise<{ hq: string; hqCard: string }> {
  const hq = path.join(base, 'hq');
  const hqCard = path.join(base, 'hq-card.json');
  expect((await cli(['init', '--vault', hq, '--passphrase-env', 'HQ_PASS'], env)).code).toBe(0);
  const exported = await cli(['recipients', 'export', '--vault', hq, '--passphrase-env', 'HQ_PASS', '--out', hqCard], env);
  expect(exported.code, exported.stderr).toBe(0);
  return { hq, hqCard };
}

/** A field vault from HQ's card, with one card offloaded into it; returns the vault and its exported card. */
export async function initField(base: string, name: string, hqCard: string, passEnv: string, card: { dir: string; label: string }): Promise<{ vault: string; card: string; fingerprint: string }> {
  const vault = path.join(base, name);
  const created = await cli(['init', '--vault', vault, '--field', '--hq-card', hqCard, '--passphrase-env', passEnv], env);
  expect(created.code, created.stderr).toBe(0);
  const ingest = await cli(['ingest', card.dir, '--vault', vault, '--label', card.label, '--passphrase-env', passEnv], env);
  expect(ingest.code, ingest.stdout + ingest.stderr).toBe(0);
  const cardFile = path.join(base, `${name}-card.json`);
  const exported = await cli(['recipients', 'export', '--vault', vault, '--passphrase-env', passEnv, '--out', cardFile, '--json'], env);
  expect(exported.code, exported.stderr).toBe(0);
  return { vault, card: cardFile, fingerprint: (JSON.parse(exported.stdout) as { fingerprintWords: string }).fingerprintWords };
}

/** The summary line of a push/pull run with --json (progress lines come before it). */
export function summaryOf(stdout: string): Record<string, unknown> {
  const lines = stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
  return lines.at(-1)!;
}

export function progressOf(stdout: string): Record<string, unknown>[] {
  return stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line['event'] === 'progress');
}

/** Sizes of every object file in a vault (what a push has to move). */
export async function objectBytes(vault: string): Promise<number> {
  let total = 0;
  for (const shard of await fs.readdir(path.join(vault, 'objects'))) {
    for (const name of await fs.readdir(path.join(vault, 'objects', shard))) total += (await fs.stat(path.join(vault, 'objects', shard, name))).size;
  }
  return total;
}
