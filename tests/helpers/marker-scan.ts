import { promises as fs, type Dirent } from 'node:fs';
import path from 'node:path';
import { systemTmpdir } from './system-tmpdir';

/**
 * The "plaintext never reaches disk" check shared by the marker tests: walk folders (no symlinks
 * followed, unreadable entries skipped) and stream each file looking for any needle.
 */
export async function* walkFiles(root: string): AsyncGenerator<string> {
  let entries: Dirent[];
  try {
    entries = await fs.readdir(root, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const full = path.join(root, entry.name);
    if (entry.isDirectory()) yield* walkFiles(full);
    else if (entry.isFile()) yield full;
  }
}

/** Streams a file looking for any needle; chunks overlap so a match across a boundary is not missed. */
export async function fileContains(file: string, needles: Buffer[]): Promise<boolean> {
  const handle = await fs.open(file, 'r').catch(() => null);
  if (!handle) return false;
  try {
    const overlap = Math.max(...needles.map((needle) => needle.length));
    const buffer = Buffer.alloc(4 * 1024 * 1024 + overlap);
    let carry = 0;
    let position = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, carry, buffer.length - carry, position).catch(() => ({ bytesRead: 0 }));
      if (bytesRead === 0) return false;
      position += bytesRead;
      const view = buffer.subarray(0, carry + bytesRead);
      if (needles.some((needle) => view.includes(needle))) return true;
      carry = Math.min(overlap, view.length);
      view.copy(buffer, 0, view.length - carry);
    }
  } finally {
    await handle.close();
  }
}

/** A marker in the encodings a leak could take: UTF-8 and UTF-16LE (SQLite, some OS APIs). */
export function markerNeedles(marker: string): Buffer[] {
  return [Buffer.from(marker, 'utf8'), Buffer.from(marker, 'utf16le')];
}

/**
 * Looks for a marker everywhere a leak could land: every file under `folders` (the vault), and every
 * file in the system temp folder written since `since` (ms). The temp folder is filtered by time
 * because it can hold anything (in CI, the whole checkout with node_modules): a leak during the test
 * necessarily has a newer mtime or ctime, and what was there before cannot hold this test's marker.
 */
export async function findMarkerOnDisk(marker: string, folders: string[], since: number): Promise<{ hits: string[]; scanned: number }> {
  const needles = markerNeedles(marker);
  const hits: string[] = [];
  let scanned = 0;
  const check = async (file: string): Promise<void> => {
    scanned++;
    if (await fileContains(file, needles)) hits.push(file);
  };
  for (const folder of folders) for await (const file of walkFiles(folder)) await check(file);
  const systemTmp = systemTmpdir();
  const inFolders = (file: string) => folders.some((folder) => file.startsWith(folder + path.sep));
  for await (const file of walkFiles(systemTmp)) {
    if (inFolders(file)) continue;
    const stat = await fs.lstat(file).catch(() => null);
    if (stat && Math.max(stat.mtimeMs, stat.ctimeMs) >= since) await check(file);
  }
  return { hits, scanned };
}
