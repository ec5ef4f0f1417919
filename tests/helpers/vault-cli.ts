import { runCli } from '../../src/main/cli/run';
import { PASS } from '../unit/vault/helpers';

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/**
 * Runs `safehouse …` in-process against one vault, with the test passphrase from the environment variable
 * the CLI is told to read (never as a flag), and collects what it printed.
 */
export async function runVaultCli(vaultDir: string, ...argv: string[]): Promise<CliRun> {
  let out = '';
  let err = '';
  const io = { stdout: (t: string) => void (out += t), stderr: (t: string) => void (err += t), env: { SH_PASS: PASS } };
  const code = await runCli([...argv, '--vault', vaultDir, '--passphrase-env', 'SH_PASS'], io, { version: 'test' });
  return { code, out, err };
}
