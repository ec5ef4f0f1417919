import os from 'node:os';

/** Set by tests/setup/private-tmpdir.ts: the system temp folder, before TMPDIR pointed at a test file's own. */
export const SYSTEM_TMPDIR_VARIABLE = 'SAFEHOUSE_SYSTEM_TMPDIR';

/** The system temp folder (shared caches, marker scans), not the test file's private one. */
export function systemTmpdir(): string {
  return process.env[SYSTEM_TMPDIR_VARIABLE] ?? os.tmpdir();
}
