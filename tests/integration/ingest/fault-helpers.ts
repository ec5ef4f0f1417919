import { randomBytes } from 'node:crypto';
import { promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import type { UnlockedVault } from '../../../src/main/core/vault/vault';

/**
 * A stand-in ffmpeg: runs the real one for everything but the sanitize run (the one that writes progress
 * to pipe:3), which it crashes (SIGSEGV), hangs in (a shell with a child of its own: both must die with
 * the process group), or refuses as an ffmpeg without support for the file would. Hung runs write their pids to a file next to the script.
 */
export async function writeStubTool(dir: string, name: string, real: string, mode: 'crash' | 'hang' | 'refuse'): Promise<{ path: string; pids(): Promise<number[]> }> {
  const script = path.join(dir, name);
  const pidFile = `${script}.pids`;
  const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;
  const actions = {
    crash: 'kill -SEGV $$',
    hang: `sleep 600 & echo $! >> ${quote(pidFile)}; echo $$ >> ${quote(pidFile)}; wait`,
    // An ffmpeg that cannot handle the file (an older build, a codec it lacks): its verdict, not a crash.
    refuse: 'echo "Invalid data found when processing input" >&2; exit 1',
  };
  const action = actions[mode];
  await fs.writeFile(script, ['#!/bin/sh', `case " $* " in *" pipe:3 "*) ;; *) exec ${quote(real)} "$@" ;; esac`, action, ''].join('\n'), { mode: 0o755 });
  return {
    path: script,
    async pids() {
      const text = await fs.readFile(pidFile, 'utf8').catch(() => '');
      return text.split('\n').filter(Boolean).map(Number);
    },
  };
}

/** Whether a process still runs (a zombie waiting to be reaped by init does not). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = readFileSyncOrEmpty(`/proc/${pid}/stat`);
  return !/^\d+ \(.*\) Z/.test(stat);
}

/** Waits (up to `ms`) for every pid to be gone; returns those still running. */
export async function survivors(pids: number[], ms = 3000): Promise<number[]> {
  const until = Date.now() + ms;
  let alive = pids.filter(pidAlive);
  while (alive.length > 0 && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    alive = alive.filter(pidAlive);
  }
  return alive;
}

function readFileSyncOrEmpty(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** Every object in objects/ opens, and every catalog row's object is there. */
export async function expectConsistentVault(vault: UnlockedVault): Promise<void> {
  const catalog = await vault.catalog();
  const objectIds = new Set(await vault.listObjectIds());
  for (const id of objectIds) await expect(vault.readObject(id)).resolves.toBeDefined();
  const referenced = await catalog.all<{ id: string }>(
    'SELECT master_object_id AS id FROM clips WHERE master_object_id IS NOT NULL UNION SELECT report_object_id FROM clips WHERE report_object_id IS NOT NULL UNION SELECT id FROM objects',
  );
  for (const row of referenced) expect(objectIds.has(row.id), `row points at missing object ${row.id}`).toBe(true);
}

/** Overwrites the payload of every mdat box with random bytes: the header (moov) stays valid. */
export async function corruptMdat(file: string): Promise<void> {
  const bytes = await fs.readFile(file);
  for (let pos = 0; pos + 8 <= bytes.length; ) {
    const size = bytes.readUInt32BE(pos);
    const type = bytes.toString('latin1', pos + 4, pos + 8);
    if (size < 8) break;
    if (type === 'mdat') randomBytes(size - 8).copy(bytes, pos + 8);
    pos += size;
  }
  await fs.writeFile(file, bytes);
}
