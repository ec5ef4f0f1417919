/**
 * Scans a camera card (a folder or mounted volume) without changing it: lstat/readdir only, plus a
 * read-only, no-follow open to prove each ingestible file can be read. Symlinks are never followed (a card
 * is untrusted input: a link to /etc/passwd or to a folder elsewhere must not pull outside files into the
 * vault, nor let a later wipe delete them). Names are never passed to a shell.
 */
import { constants as fsConstants, promises as fsp, type Stats } from 'node:fs';
import path from 'node:path';
import { SafehouseError } from '../../../shared/errors';
import { classifyCardPath, type FileClass, type MediaKind, type SidecarKind } from './camera-layouts';
import { litterReason } from './os-litter';
import { displayName } from '../../../shared/display-text';
import type { CardNoteCode } from '../../../shared/model';

export interface CardFile {
  /** '/'-separated path relative to the card root, exactly as on the card. */
  relPath: string;
  absPath: string;
  size: number;
  mtimeMs: number;
  /** 'unknown' only in `CardScan.unknown`. */
  role: 'primary' | 'sidecar' | 'unknown';
  sidecarKind?: SidecarKind;
  /** Location/identity-bearing sidecar (SRT, camera XML, AAE, LRV…): must NOT go into the vault. */
  carriesLocation: boolean;
}

export interface CardClip {
  /** Stable: the relative path of the primary. */
  id: string;
  primary: CardFile;
  sidecars: CardFile[];
  kind: MediaKind;
  layout: string;
}

/** A path we report but do not ingest. `display` is safe to print (control and bidi characters escaped). */
export interface CardNote {
  relPath: string;
  display: string;
  reason: string;
  /** What kind of note, for the safe-to-wipe verdict (wipe-verdict.ts). */
  code: CardNoteCode;
}


export interface CardScan {
  /** The card folder, resolved to its real path once, at the start of the scan. */
  root: string;
  layouts: string[];
  clips: CardClip[];
  skipped: CardNote[];
  unknown: CardFile[];
  unsafe: CardNote[];
  problems: CardNote[];
  /** Bytes of every clip's primary and sidecars: what the ingest will read. */
  totalBytes: number;
  /** Every regular file on the card that is not OS litter, whatever became of it: what an ASC MHL must list. */
  files: { relPath: string; absPath: string; size: number; mtimeMs: number }[];
}

type StatLike = Pick<Stats, 'size' | 'mtimeMs' | 'dev' | 'isFile' | 'isDirectory' | 'isSymbolicLink'>;

/** The only file-system calls a scan makes; injectable so error paths (EACCES as root, EIO) can be tested. */
export interface CardFs {
  lstat(p: string): Promise<StatLike>;
  readdir(p: string): Promise<string[]>;
  realpath(p: string): Promise<string>;
  readlink(p: string): Promise<string>;
  /** Opens read-only without following a link (closing the swap-after-lstat race) and closes again. */
  probeRead(p: string): Promise<void>;
}

/** Read-only, never follows a final symlink, never blocks on a FIFO swapped in after lstat. */
export const cardOpenFlags = fsConstants.O_RDONLY | (fsConstants.O_NOFOLLOW ?? 0) | (fsConstants.O_NONBLOCK ?? 0);

export const nodeCardFs: CardFs = {
  lstat: (p) => fsp.lstat(p),
  readdir: (p) => fsp.readdir(p),
  realpath: (p) => fsp.realpath(p),
  readlink: (p) => fsp.readlink(p),
  probeRead: async (p) => {
    const handle = await fsp.open(p, cardOpenFlags);
    await handle.close();
  },
};

// Newlines and other controls in a name can forge lines in logs, reports and the CLI; such files are reported, not ingested.
const controlChars = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
/** A printable, unambiguous form of a card path (shared/display-text.ts): `\n`, `\t`, `\u{202e}`, `\\`. */
export const displayPath = displayName;

function fsReason(error: unknown, what: 'file' | 'folder'): { reason: string; code: CardNoteCode } {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'EACCES' || code === 'EPERM') return { reason: `${what} cannot be read: permission denied`, code: 'permission-denied' };
  if (code === 'EIO') return { reason: `${what} cannot be read: the card reported a read error (it may be failing; try another reader)`, code: 'card-read-error' };
  if (code === 'ENOENT') return { reason: `${what} vanished during the scan, or its name is not valid text`, code: 'vanished' };
  if (code === 'ELOOP') return { reason: `${what} became a symbolic link during the scan; not followed`, code: 'symbolic-link' };
  return { reason: `${what} cannot be read (${typeof code === 'string' ? code : 'unknown error'})`, code: 'unreadable' };
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const MAX_DEPTH = 32; // Real cards are < 8 deep; a deeper tree is a crafted or broken one.

interface Found {
  relPath: string;
  absPath: string;
  st: StatLike;
}

export async function scanCard(root: string, options: { fs?: Partial<CardFs> } = {}): Promise<CardScan> {
  const fs: CardFs = { ...nodeCardFs, ...options.fs };
  let realRoot: string;
  let rootStat: StatLike;
  try {
    // The user chose this folder, so resolving links *in its own path* is fine; nothing below it is resolved.
    realRoot = await fs.realpath(path.resolve(root));
    rootStat = await fs.lstat(realRoot);
  } catch (cause) {
    throw new SafehouseError('SOURCE_NOT_FOUND', undefined, { cause });
  }
  if (!rootStat.isDirectory()) throw new SafehouseError('SOURCE_NOT_FOUND', 'The card path is not a folder. Choose the card (or its folder) itself.');

  const scan: CardScan = { root: realRoot, layouts: [], clips: [], skipped: [], unknown: [], unsafe: [], problems: [], totalBytes: 0, files: [] };
  const note = (list: CardNote[], relPath: string, reason: string, code: CardNoteCode): void => {
    list.push({ relPath, display: displayPath(relPath), reason, code });
  };
  const files: Found[] = [];

  const walk = async (dirAbs: string, dirRel: string, depth: number): Promise<void> => {
    let names: string[];
    try {
      names = await fs.readdir(dirAbs);
    } catch (cause) {
      if (depth === 0) throw new SafehouseError('SOURCE_NOT_FOUND', undefined, { cause });
      const why = fsReason(cause, 'folder');
      return note(scan.problems, dirRel, why.reason, why.code);
    }
    for (const name of names.sort(compare)) {
      const relPath = dirRel ? `${dirRel}/${name}` : name;
      const absPath = path.join(dirAbs, name);
      let st: StatLike;
      try {
        st = await fs.lstat(absPath);
      } catch (cause) {
        const why = fsReason(cause, 'file');
        note(scan.problems, relPath, why.reason, why.code);
        continue;
      }
      if (st.isSymbolicLink()) {
        const target = await fs.readlink(absPath).catch(() => '?');
        note(scan.unsafe, relPath, `symbolic link (to ${displayPath(target)}): never followed, not ingested`, 'symbolic-link');
      } else if (st.isDirectory()) {
        const litter = litterReason(name, true);
        if (litter) note(scan.skipped, relPath, litter, 'os-litter');
        else if (st.dev !== rootStat.dev) note(scan.unsafe, relPath, 'another volume is mounted here: not scanned', 'other-volume');
        else if (depth + 1 >= MAX_DEPTH) note(scan.problems, relPath, 'folders nested too deep: not scanned', 'nested-too-deep');
        else await walk(absPath, relPath, depth + 1);
      } else if (!st.isFile()) {
        note(scan.unsafe, relPath, 'not a regular file (device, pipe or socket): never opened', 'not-a-regular-file');
      } else {
        const litter = litterReason(name, false);
        if (litter) note(scan.skipped, relPath, litter, 'os-litter');
        else files.push({ relPath, absPath, st });
      }
    }
  };
  await walk(realRoot, '', 0);
  scan.files = files.map((f) => ({ relPath: f.relPath, absPath: f.absPath, size: f.st.size, mtimeMs: f.st.mtimeMs }));

  await assemble(scan, files, fs, note);
  scan.skipped.sort((a, b) => compare(a.relPath, b.relPath));
  scan.unsafe.sort((a, b) => compare(a.relPath, b.relPath));
  scan.problems.sort((a, b) => compare(a.relPath, b.relPath));
  return scan;
}

type Classified = Found & { cls: FileClass };

function toCardFile(f: Found, role: CardFile['role'], cls?: FileClass): CardFile {
  const file: CardFile = { relPath: f.relPath, absPath: f.absPath, size: f.st.size, mtimeMs: f.st.mtimeMs, role, carriesLocation: true };
  if (cls?.role === 'sidecar') {
    file.sidecarKind = cls.sidecarKind;
    file.carriesLocation = cls.carriesLocation;
  } else if (cls?.role === 'primary') file.carriesLocation = false; // its embedded metadata is the sanitizer's job
  // Unknown files: we cannot tell what they hold, so the flag fails closed (they are never ingested anyway).
  return file;
}

/** Checks ingestible files, then groups sidecars with their primaries. */
async function assemble(
  scan: CardScan,
  files: Found[],
  fs: CardFs,
  note: (list: CardNote[], relPath: string, reason: string, code: CardNoteCode) => void,
): Promise<void> {
  const groups = new Map<string, Classified[]>();
  const sidecars: Classified[] = [];
  const problemKeys = new Map<string, string>();
  for (const f of files) {
    const cls = classifyCardPath(f.relPath);
    if (!cls) {
      scan.unknown.push(toCardFile(f, 'unknown'));
      continue;
    }
    let reason: { reason: string; code: CardNoteCode } | null = null;
    if (controlChars.test(f.relPath)) reason = { reason: 'name contains control characters (such as a newline): not ingested; rename it on a computer', code: 'name-has-control-characters' };
    else if (f.st.size === 0) reason = { reason: 'empty (0 bytes): the camera may not have finished writing it', code: 'empty' };
    else reason = await fs.probeRead(f.absPath).then(() => null, (e: unknown) => fsReason(e, 'file'));
    if (reason) {
      note(scan.problems, f.relPath, reason.reason, reason.code);
      if (cls.role === 'primary') problemKeys.set(cls.groupKey, f.relPath);
      continue;
    }
    if (cls.role === 'sidecar') sidecars.push({ ...f, cls });
    else groups.set(cls.groupKey, [...(groups.get(cls.groupKey) ?? []), { ...f, cls }]);
  }

  const clips = new Map<string, CardClip>();
  for (const members of groups.values()) {
    for (const m of members) {
      if (m.cls.role !== 'primary') continue;
      clips.set(m.relPath, { id: m.relPath, primary: toCardFile(m, 'primary', m.cls), sidecars: [], kind: m.cls.kind, layout: m.cls.layout });
    }
  }
  for (const s of sidecars) {
    if (s.cls.role !== 'sidecar') continue;
    const members = (groups.get(s.cls.groupKey) ?? []).slice().sort((a, b) => compare(a.relPath, b.relPath));
    const want = s.cls.belongsTo;
    const owner = members.find((m) => m.cls.role === 'primary' && (want === 'any' || m.cls.kind === want)) ?? members[0];
    const clip = owner && clips.get(owner.relPath);
    if (clip) clip.sidecars.push(toCardFile(s, 'sidecar', s.cls));
    else {
      const brokenPrimary = problemKeys.get(s.cls.groupKey);
      if (brokenPrimary) note(scan.problems, s.relPath, `sidecar of ${displayPath(brokenPrimary)}, which cannot be ingested`, 'sidecar-of-unreadable');
      else scan.unknown.push(toCardFile(s, 'unknown'));
    }
  }

  scan.clips = [...clips.values()].sort((a, b) => compare(a.id, b.id));
  for (const clip of scan.clips) {
    clip.sidecars.sort((a, b) => compare(a.relPath, b.relPath));
    scan.totalBytes += clip.primary.size + clip.sidecars.reduce((n, s) => n + s.size, 0);
  }
  scan.layouts = [...new Set(scan.clips.map((c) => c.layout))].sort(compare);
  scan.unknown.sort((a, b) => compare(a.relPath, b.relPath));
}
