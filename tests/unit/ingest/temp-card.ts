/** Tiny card trees for ingest unit tests: real files in a temp folder, created with plain fs calls. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const made: string[] = [];

/** Creates `files` (relative path → contents; a string of length n is written as is) under a fresh temp dir. */
export function makeCard(files: Record<string, string | Uint8Array>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'safehouse-card-'));
  made.push(root);
  for (const [rel, body] of Object.entries(files)) {
    const abs = path.join(root, ...rel.split('/'));
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, body);
  }
  return root;
}

export function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'safehouse-out-'));
  made.push(dir);
  return dir;
}

export function removeTempCards(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** `names` each with 'x' as contents, for layout tests where the bytes do not matter. */
export function files(...names: string[]): Record<string, string> {
  return Object.fromEntries(names.map((n) => [n, 'x']));
}
