/**
 * Deletes a card's clips (primaries and their sidecars) once every clip is verified in the vault. This is
 * the only code that ever writes to a card, and it runs only on an explicit request. It fails closed:
 * unknown files, problem files and litter are never touched; each path is re-checked right before unlink
 * (still a regular file, not a link, same size and mtime as when scanned, real location inside the card), so
 * a card that changed since the scan, or a folder swapped for a symlink, cannot make it delete anything else.
 * Location-bearing sidecars are deleted too: they are exactly what must not stay on a card.
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { SafehouseError } from '../../../shared/errors';
import { displayPath, type CardClip, type CardFile, type CardScan } from './card-scan';

export interface WipeFs {
  lstat(p: string): Promise<{ size: number; mtimeMs: number; isFile(): boolean; isSymbolicLink(): boolean }>;
  realpath(p: string): Promise<string>;
  unlink(p: string): Promise<void>;
}

const nodeWipeFs: WipeFs = { lstat: (p) => fsp.lstat(p), realpath: (p) => fsp.realpath(p), unlink: (p) => fsp.unlink(p) };

export interface WipeResult {
  /** Relative paths deleted. */
  deleted: string[];
  /** Clips left on the card, with why (changed since the scan, outside the card, delete failed). */
  kept: { clipId: string; display: string; reason: string }[];
}

function isInside(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/** Why this file must not be deleted now, or null when it is exactly the file that was scanned and verified. */
async function refuseReason(fs: WipeFs, root: string, file: CardFile): Promise<string | null> {
  const segs = file.relPath.split('/');
  if (path.isAbsolute(file.relPath) || segs.some((s) => s === '' || s === '.' || s === '..')) return 'path is not inside the card';
  // Recomputed from root + relPath, not trusted from absPath.
  const abs = path.join(root, ...segs);
  let st;
  try {
    st = await fs.lstat(abs);
  } catch {
    return `${displayPath(file.relPath)} is no longer on the card`;
  }
  if (st.isSymbolicLink() || !st.isFile()) return `${displayPath(file.relPath)} is no longer a regular file`;
  if (st.size !== file.size || st.mtimeMs !== file.mtimeMs) return `${displayPath(file.relPath)} changed since it was offloaded`;
  // A parent folder replaced by a link since the scan would resolve elsewhere; realpath shows it.
  const real = await fs.realpath(abs).catch(() => '');
  if (real !== abs || !isInside(root, real)) return `${displayPath(file.relPath)} resolves outside the card`;
  return null;
}

function unlinkReason(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'EROFS') return 'the card is write-protected (check its lock switch)';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return `delete failed (${typeof code === 'string' ? code : 'unknown error'})`;
}

export async function wipeCardMedia(
  scan: CardScan,
  isSafe: (clipId: string) => boolean | Promise<boolean>,
  options: { fs?: Partial<WipeFs> } = {},
): Promise<WipeResult> {
  const fs: WipeFs = { ...nodeWipeFs, ...options.fs };
  const unverified: CardClip[] = [];
  for (const clip of scan.clips) if (!(await isSafe(clip.id))) unverified.push(clip);
  if (unverified.length > 0) {
    const n = unverified.length;
    throw new SafehouseError(
      'NOT_SAFE',
      `${n} of ${scan.clips.length} clip${scan.clips.length === 1 ? '' : 's'} on this card ${n === 1 ? 'is' : 'are'} not verified in the vault yet, so nothing was deleted. Finish or re-run the ingest, then wipe again.`,
    );
  }
  // The card must still be where it was scanned: if the mount point now resolves elsewhere, delete nothing.
  const root = await fs.realpath(scan.root).catch(() => '');
  if (root !== scan.root) {
    throw new SafehouseError('NOT_SAFE', 'The card is no longer at the place it was scanned, so nothing was deleted. Re-insert it and scan again.');
  }

  const result: WipeResult = { deleted: [], kept: [] };
  for (const clip of scan.clips) {
    const files = [clip.primary, ...clip.sidecars];
    // All of a clip's files are checked before any is deleted, so a clip is never left half-wiped by a check.
    let reason: string | null = null;
    for (const f of files) reason ??= await refuseReason(fs, root, f);
    for (const f of reason ? [] : files) {
      try {
        await fs.unlink(path.join(root, ...f.relPath.split('/')));
        result.deleted.push(f.relPath);
      } catch (error) {
        reason = `${displayPath(f.relPath)}: ${unlinkReason(error)}`;
        break;
      }
    }
    if (reason) result.kept.push({ clipId: clip.id, display: displayPath(clip.id), reason });
  }
  return result;
}
