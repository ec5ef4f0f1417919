/**
 * Files and folders that operating systems drop on removable media. They are never footage, so a scan
 * lists them as skipped (so the crew can see why) and never reads, ingests or wipes them.
 */

/** Folders skipped whole: their contents are indexes, trash or journals written by a computer. */
const litterDirs = new Map<string, string>([
  ['.spotlight-v100', 'macOS Spotlight index'],
  ['.trashes', 'macOS trash folder'],
  ['.fseventsd', 'macOS file-system event log'],
  ['.temporaryitems', 'macOS temporary items'],
  ['.documentrevisions-v100', 'macOS document versions'],
  ['system volume information', 'Windows system folder'],
  ['$recycle.bin', 'Windows recycle bin'],
]);

const litterFiles = new Map<string, string>([
  ['.ds_store', 'macOS folder settings (.DS_Store)'],
  ['thumbs.db', 'Windows thumbnail cache'],
  ['desktop.ini', 'Windows folder settings'],
  ['.volumeicon.icns', 'macOS volume icon'],
]);

/** A gitwildmatch pattern matching `name` in any letter case: each letter becomes a class, [Tt]. */
function anyCase(name: string): string {
  return [...name].map((c) => (c.toLowerCase() === c.toUpperCase() ? c : `[${c.toUpperCase()}${c.toLowerCase()}]`)).join('');
}

/**
 * The same litter as ASC MHL ignore patterns (gitwildmatch, as the reference `ascmhl` tool reads them),
 * after the standard's own defaults (.DS_Store and the ascmhl history folder). A manifest carries them so
 * that a full-card verify skips what a computer wrote onto the card, exactly as the scan does: in any
 * letter case, since the scan compares names case-insensitively and gitwildmatch does not (a THUMBS.DB the
 * scan skipped must not turn up as a new file). A trailing '/' matches folders only.
 */
export const MHL_IGNORE_PATTERNS: readonly string[] = [
  '.DS_Store',
  'ascmhl',
  'ascmhl/',
  '._*',
  ...[...litterDirs.keys()].map((name) => `${anyCase(name)}/`),
  ...[...litterFiles.keys()].map(anyCase),
];

/**
 * Why `name` is OS litter, or null when it is not. Names are compared case-insensitively because FAT and
 * exFAT cards are case-insensitive and Windows writes these names in varying case.
 */
export function litterReason(name: string, isDirectory: boolean): string | null {
  const lower = name.toLowerCase();
  if (isDirectory) return litterDirs.get(lower) ?? null;
  // AppleDouble files hold a Mac's resource fork / extended attributes for the file they shadow.
  if (name.startsWith('._')) return 'macOS AppleDouble resource file (._*)';
  return litterFiles.get(lower) ?? null;
}
