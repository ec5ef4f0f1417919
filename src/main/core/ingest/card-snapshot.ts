/**
 * A byte-exact picture of a folder tree, used to prove that an ingest wrote nothing to the card: same
 * entries, same bytes, same mtimes and modes before and after. Uses lstat and never follows links.
 * atime is deliberately left out: reading a file may update it, and that is not a write.
 */
import { createHash } from 'node:crypto';
import { createReadStream, promises as fsp } from 'node:fs';
import path from 'node:path';

export interface SnapshotEntry {
  /** '' is the root itself (its mtime changes when an entry is added or removed). */
  relPath: string;
  type: 'file' | 'dir' | 'symlink' | 'other';
  size: number;
  mtimeMs: number;
  mode: number;
  /** sha256 of the contents for files, of the link text for symlinks; '' otherwise. */
  sha256: string;
}

async function sha256File(p: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(p, { highWaterMark: 1024 * 1024 }) as AsyncIterable<Buffer>) h.update(chunk);
  return h.digest('hex');
}

export async function snapshotTree(root: string): Promise<SnapshotEntry[]> {
  const out: SnapshotEntry[] = [];
  const visit = async (abs: string, rel: string): Promise<void> => {
    const st = await fsp.lstat(abs);
    const base = { relPath: rel, size: st.size, mtimeMs: st.mtimeMs, mode: st.mode };
    if (st.isSymbolicLink()) {
      out.push({ ...base, type: 'symlink', sha256: createHash('sha256').update(await fsp.readlink(abs)).digest('hex') });
    } else if (st.isFile()) {
      out.push({ ...base, type: 'file', sha256: await sha256File(abs) });
    } else if (st.isDirectory()) {
      out.push({ ...base, type: 'dir', sha256: '' });
      for (const name of await fsp.readdir(abs)) await visit(path.join(abs, name), rel ? `${rel}/${name}` : name);
    } else {
      out.push({ ...base, type: 'other', sha256: '' });
    }
  };
  await visit(root, '');
  return out.sort((a, b) => (a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : 0));
}

/** Human-readable differences ("changed bytes: DCIM/…"); empty when the trees are identical. */
export function diffSnapshots(before: SnapshotEntry[], after: SnapshotEntry[]): string[] {
  const a = new Map(before.map((e) => [e.relPath, e]));
  const b = new Map(after.map((e) => [e.relPath, e]));
  const diffs: string[] = [];
  for (const [rel, x] of a) {
    const y = b.get(rel);
    const name = JSON.stringify(rel);
    if (!y) diffs.push(`removed: ${name}`);
    else {
      if (x.type !== y.type) diffs.push(`type changed: ${name}`);
      if (x.sha256 !== y.sha256 || x.size !== y.size) diffs.push(`bytes changed: ${name}`);
      if (x.mtimeMs !== y.mtimeMs) diffs.push(`mtime changed: ${name}`);
      if (x.mode !== y.mode) diffs.push(`mode changed: ${name}`);
    }
  }
  for (const rel of b.keys()) if (!a.has(rel)) diffs.push(`added: ${JSON.stringify(rel)}`);
  return diffs.sort();
}
