import { open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { SafehouseError } from '../../../shared/errors';

/**
 * One writer at a time per vault. Crash recovery (discarding staging files and unrecorded objects) is only
 * safe when no other process is half-way through writing, so an ingest holds this lock. A lock left by a
 * process that no longer exists (SIGKILL, power loss) is taken over.
 */
export async function acquireIngestLock(vaultDir: string): Promise<() => Promise<void>> {
  const lockFile = path.join(vaultDir, 'ingest.lock');
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const handle = await open(lockFile, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return async () => {
        await rm(lockFile, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number((await readFile(lockFile, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(holder) && holder > 0 && isAlive(holder)) {
        throw new SafehouseError('VAULT_BUSY', `Another Safehouse process (pid ${holder}) is writing to this vault. Wait for it to finish, then try again.`);
      }
      await rm(lockFile, { force: true });
    }
  }
  throw new SafehouseError('VAULT_BUSY');
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
