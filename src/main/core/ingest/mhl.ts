/**
 * ASC MHL v2.0 manifest of a card's source hashes (schema: github.com/ascmitc/mhl, xsd/ASCMHL.xsd), so a
 * post house can check its own copies with standard DIT tools.
 *
 * Privacy: creator fields are neutral. The schema requires <hostname>, so it says "redacted"; no <author>,
 * <location> or <comment>; times are UTC ("Z") so the local time zone, a hint of where the crew is, does not
 * show. File paths and mtimes are the card's own and are what the manifest exists to carry.
 */
import { SafehouseError } from '../../../shared/errors';
import { MHL_IGNORE_PATTERNS } from './os-litter';

export interface MhlFile {
  /** '/'-separated path relative to the card root. */
  relPath: string;
  size: number;
  /** Last modification time (Date or epoch milliseconds). */
  mtime: Date | number;
  /** 16 hex digits. */
  xxh64: string;
}

export interface MhlInput {
  files: MhlFile[];
  createdAt: Date;
  toolVersion?: string;
  /** Ignore patterns (gitwildmatch) of the files deliberately not listed; the OS litter patterns by default. */
  ignore?: readonly string[];
}

// XML 1.0 cannot carry these at all, not even as character references.
const notXmlChar = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udfff]/u;

/** Whether a path can appear in an MHL file; callers can leave such files out and say so in the report. */
export function mhlCanRepresent(relPath: string): boolean {
  return !notXmlChar.test(relPath);
}

/** Escapes for text and attribute values alike; \t \n \r become references so parsers keep them exactly. */
export function xmlEscape(value: string): string {
  if (notXmlChar.test(value)) {
    throw new SafehouseError('INVALID_INPUT', 'A file name contains characters an MHL (XML) file cannot hold. Leave that file out of the MHL export.');
  }
  return value.replace(/[&<>"'\t\n\r]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function isoSeconds(t: Date | number): string {
  const d = typeof t === 'number' ? new Date(t) : t;
  if (Number.isNaN(d.getTime())) throw new SafehouseError('INVALID_INPUT', 'An MHL entry has an invalid date.');
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function buildAscMhl(input: MhlInput): string {
  const created = isoSeconds(input.createdAt);
  const files = [...input.files].sort((a, b) => (a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : 0));
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<hashlist version="2.0" xmlns="urn:ASC:MHL:v2.0">',
    '  <creatorinfo>',
    `    <creationdate>${created}</creationdate>`,
    '    <hostname>redacted</hostname>',
    `    <tool version="${xmlEscape(input.toolVersion ?? 'dev')}">Safehouse</tool>`,
    '  </creatorinfo>',
    // "in-place": these are hashes of the card's files where they are. Not "transfer": the vault holds
    // sanitized (different) bytes, so claiming a verified copy with these hashes would be false.
    '  <processinfo>',
    '    <process>in-place</process>',
    // What a full-card verify must skip: the OS litter the scan skips, so the manifest covers the rest.
    '    <ignore>',
    ...(input.ignore ?? MHL_IGNORE_PATTERNS).map((pattern) => `      <pattern>${xmlEscape(pattern)}</pattern>`),
    '    </ignore>',
    '  </processinfo>',
    '  <hashes>',
  ];
  for (const f of files) {
    if (!/^[0-9a-f]{16}$/.test(f.xxh64)) throw new SafehouseError('INVALID_INPUT', 'An MHL entry has a malformed xxh64 hash.');
    if (!Number.isSafeInteger(f.size) || f.size < 0) throw new SafehouseError('INVALID_INPUT', 'An MHL entry has an invalid size.');
    if (f.relPath === '' || f.relPath.startsWith('/') || f.relPath.split('/').includes('..')) {
      throw new SafehouseError('INVALID_INPUT', 'An MHL entry path must be relative to the card root.');
    }
    lines.push(
      '    <hash>',
      `      <path size="${f.size}" lastmodificationdate="${isoSeconds(f.mtime)}">${xmlEscape(f.relPath)}</path>`,
      `      <xxh64 action="original" hashdate="${created}">${f.xxh64}</xxh64>`,
      '    </hash>',
    );
  }
  lines.push('  </hashes>', '</hashlist>', '');
  return lines.join('\n');
}
