import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { runCli } from '../../../src/main/cli/run';

export const repoRoot = path.resolve(__dirname, '../../..');
export const builtCli = path.join(repoRoot, 'bin/safehouse.mjs');

/** Runs the CLI in this process, capturing output; the passphrase comes from the named env variable. */
export async function cli(argv: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text), env }, { version: '9.9.9-test' });
  return { code, stdout, stderr };
}

/** The real `safehouse` command as a user runs it (needs `npm run build`, which `npm test` does first). */
export function spawnCli(argv: string[], env: Record<string, string> = {}) {
  if (!existsSync(path.join(repoRoot, 'out/main/cli.js'))) throw new Error('out/main/cli.js is missing: run `npm run build` first');
  return spawn(process.execPath, [builtCli, ...argv], { env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

export async function runBuiltCli(argv: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawnCli(argv, env);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, stdout, stderr };
}
