import { promises as fs } from 'node:fs';

/**
 * Makes a rename durable: after writing a file and renaming it into place, the directory entry itself must
 * be fsynced or a power loss can forget the rename. POSIX only; Windows cannot open directories for this.
 */
export async function fsyncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
