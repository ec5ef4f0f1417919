import { createReadStream, createWriteStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { SafehouseError } from '../../../shared/errors';
import { fsyncDir } from '../vault/durable-fs';
import type { Carrier, PutFileOptions } from './carrier';
import { blake2bFile } from './file-hash';

/**
 * The sync layout in a folder, usually on a removable drive carried home. Writes go to `<key>.part`, are
 * fsynced, checked (read back and hashed) and renamed into place, so a pulled drive never shows a half
 * object under a final name; a `.part` left by a pulled cable is continued from its length next time.
 */

function remoteFailed(detail: string, cause?: unknown): SafehouseError {
  const errno = (cause as NodeJS.ErrnoException | undefined)?.code;
  const reason = errno === 'ENOENT' || errno === 'ENOTDIR' ? 'remote-folder-missing' : errno === 'EACCES' || errno === 'EPERM' || errno === 'EROFS' ? 'remote-denied' : undefined;
  return new SafehouseError('REMOTE_FAILED', `The sync folder could not be used: ${detail}. Check that the drive is mounted and writable, then run the same command again.`, { cause, ...(reason ? { reason } : {}) });
}

export function createFileCarrier(dir: string, label: string): Carrier {
  const full = (key: string): string => {
    const resolved = path.resolve(dir, key);
    // Keys are built by layout.ts, but a listed key is still checked: nothing may escape the folder.
    if (!resolved.startsWith(`${path.resolve(dir)}${path.sep}`)) throw remoteFailed(`the key ${key} points outside it`);
    return resolved;
  };
  const fsError = (error: unknown, what: string): never => {
    if ((error as NodeJS.ErrnoException).code === 'ENOSPC') throw new SafehouseError('DISK_FULL', 'The sync drive is full. Use a larger drive or free space on it, then run the same command again: what was sent is kept.');
    throw remoteFailed(`${what} (${(error as NodeJS.ErrnoException).code ?? 'error'})`, error);
  };

  const writeDurably = async (target: string, write: (part: string) => Promise<void>): Promise<void> => {
    await fs.mkdir(path.dirname(target), { recursive: true });
    const part = `${target}.part`;
    await write(part);
    const handle = await fs.open(part, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(part, target);
    await fsyncDir(path.dirname(target));
  };

  return {
    label,
    async stat(key) {
      try {
        const info = await fs.stat(full(key));
        return info.isFile() ? { size: info.size } : null;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        return fsError(error, `cannot read ${key}`);
      }
    },
    async list(prefix) {
      const out: { key: string; size: number }[] = [];
      const walk = async (rel: string): Promise<void> => {
        const entries = await fs.readdir(path.join(dir, rel), { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
          if (error.code === 'ENOENT') return [];
          return fsError(error, `cannot list ${rel}`);
        });
        for (const entry of entries) {
          const key = rel === '' ? entry.name : `${rel}/${entry.name}`;
          if (entry.isDirectory()) await walk(key);
          else if (entry.isFile() && !entry.name.endsWith('.part')) out.push({ key, size: (await fs.stat(path.join(dir, key))).size });
        }
      };
      await walk(prefix.replace(/\/$/, ''));
      return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    },
    async putBytes(key, bytes) {
      await writeDurably(full(key), (part) => fs.writeFile(part, bytes)).catch((error: unknown) => fsError(error, `cannot write ${key}`));
    },
    async putFile(key, file, options: PutFileOptions) {
      const target = full(key);
      try {
        await writeDurably(target, async (part) => {
          const have = await fs.stat(part).then((info) => info.size, () => 0);
          const start = have <= options.size ? have : 0;
          if (start > 0) options.onBytes(start); // continued from what a pulled cable left
          const source = createReadStream(file, { start, highWaterMark: 1024 * 1024 });
          source.on('data', (chunk) => options.onBytes(chunk.length));
          await pipeline(source, createWriteStream(part, { flags: start > 0 ? 'r+' : 'w', start }));
          // Verify what was sent: the folder must now hold exactly the bytes whose hash names the object.
          const written = await blake2bFile(part);
          if (written.size !== options.size || written.blake2b !== options.blake2b) {
            await fs.rm(part, { force: true });
            throw remoteFailed(`${key} did not read back as written (the drive may be failing)`);
          }
        });
      } catch (error) {
        if (error instanceof SafehouseError) throw error;
        fsError(error, `cannot write ${key}`);
      }
    },
    async getBytes(key, maxBytes) {
      const info = await fs.stat(full(key)).catch((error: unknown) => fsError(error, `cannot read ${key}`));
      if (info.size > maxBytes) throw new SafehouseError('SYNC_REFUSED', `${key} is larger than any Safehouse record can be. Nothing from this pull was imported.`);
      return fs.readFile(full(key));
    },
    readFrom(key, start) {
      return createReadStream(full(key), { start, highWaterMark: 1024 * 1024 });
    },
    close() {},
  };
}
