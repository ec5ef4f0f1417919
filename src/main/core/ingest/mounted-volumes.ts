import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { MountedVolume } from '../../../shared/model';

/**
 * Where desktops mount removable media: udisks on Linux (/media/USER/NAME, /run/media/USER/NAME, or
 * /media/NAME on older setups) and macOS (/Volumes/NAME). Windows drive letters are not listed; there the
 * crew uses the folder picker or drops the card.
 */
export const DEFAULT_VOLUME_ROOTS = ['/media', '/run/media', '/Volumes'];

/** macOS lists the system disk under /Volumes too; it is never a camera card. */
const NEVER_A_CARD = new Set(['Macintosh HD', 'Recovery', 'Preboot', 'VM', 'Data']);

/**
 * The mounted volumes under `roots`, found by looking (one or two levels down) for folders that are mount
 * points: a folder on a different device from its parent. A plain folder under /media is not a card, and
 * nothing is read from inside a volume here.
 */
export async function listMountedVolumes(roots: readonly string[] = DEFAULT_VOLUME_ROOTS): Promise<MountedVolume[]> {
  const found: MountedVolume[] = [];
  for (const root of roots) {
    for (const child of await subfolders(root)) {
      if (NEVER_A_CARD.has(path.basename(child))) continue;
      if (await isMountPoint(child)) {
        found.push({ path: child, name: path.basename(child) });
        continue;
      }
      // /media/USER/NAME: the per-user folder itself is not a mount point, its children are.
      for (const grandchild of await subfolders(child)) {
        if (await isMountPoint(grandchild)) found.push({ path: grandchild, name: path.basename(grandchild) });
      }
    }
  }
  return found.sort((a, b) => a.name.localeCompare(b.name));
}

async function subfolders(folder: string): Promise<string[]> {
  try {
    const entries = await readdir(folder, { withFileTypes: true });
    // Symlinks are not followed: a link under /media is not a mounted card.
    return entries.filter((entry) => entry.isDirectory()).map((entry) => path.join(folder, entry.name));
  } catch {
    return []; // the root does not exist on this system, or is not readable: nothing mounted there
  }
}

async function isMountPoint(folder: string): Promise<boolean> {
  try {
    const [own, parent] = await Promise.all([stat(folder), stat(path.dirname(folder))]);
    return own.dev !== parent.dev;
  } catch {
    return false;
  }
}
