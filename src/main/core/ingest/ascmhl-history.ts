/**
 * The ASC MHL history folder (`ascmhl/`) that the reference `ascmhl verify ROOT` reads from the root of the
 * tree it checks: numbered generation files (manifests, mhl.ts) plus `ascmhl_chain.xml`, the directory file
 * that lists each generation with the C4 id of its exact bytes, so a changed or swapped manifest shows.
 */
import { createHash } from 'node:crypto';
import { SafehouseError } from '../../../shared/errors';
import { xmlEscape } from './mhl';

export const ASCMHL_FOLDER_NAME = 'ascmhl';
export const ASCMHL_CHAIN_FILE_NAME = 'ascmhl_chain.xml';

// The C4 id alphabet: base58 without 0, O, I and l, so '1' is the zero digit.
const C4_ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const C4_ID_LENGTH = 90;

/** C4 id of some bytes: "c4" and the SHA-512 digest as a base58 number, left-padded with '1' to 90 characters. */
export function c4Id(bytes: Uint8Array): string {
  let value = BigInt(`0x${createHash('sha512').update(bytes).digest('hex')}`);
  let digits = '';
  while (value > 0n) {
    digits = C4_ALPHABET[Number(value % 58n)]! + digits;
    value /= 58n;
  }
  return `c4${digits.padStart(C4_ID_LENGTH - 2, '1')}`;
}

/**
 * A generation file's name as the reference tool numbers and reads them: `NNNN_<folder>_<date>_<time>Z.mhl`.
 * The folder part is reduced to ASCII letters, digits, '-' and '_' so that the name is valid on every file
 * system a card or a post house's drive uses; the time is UTC (the 'Z' says so) to hide the crew's zone.
 */
export function generationFileName(sequenceNumber: number, folderName: string, createdAt: Date): string {
  if (!Number.isSafeInteger(sequenceNumber) || sequenceNumber < 1) throw new SafehouseError('INVALID_INPUT', 'An ASC MHL generation number starts at 1.');
  // Accents are dropped rather than the letter (Día → Dia); other characters become '_'.
  const folder = folderName.normalize('NFD').replace(/\p{M}/gu, '').replace(/[^A-Za-z0-9_-]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 64) || 'card';
  const stamp = createdAt.toISOString().replace(/\.\d{3}Z$/, 'Z').replace('T', '_').replace(/:/g, '');
  return `${String(sequenceNumber).padStart(4, '0')}_${folder}_${stamp}.mhl`;
}

export interface ChainGeneration {
  sequenceNumber: number;
  /** The generation file's name inside the ascmhl folder. */
  fileName: string;
  /** The generation file's exact bytes, whose C4 id the chain records. */
  bytes: Uint8Array;
}

/** `ascmhl_chain.xml`: one <hashlist> per generation, in order. */
export function buildAscMhlChain(generations: readonly ChainGeneration[]): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<ascmhldirectory xmlns="urn:ASC:MHL:DIRECTORY:v2.0">'];
  for (const generation of generations) {
    if (generation.fileName.includes('/') || !generation.fileName.endsWith('.mhl')) {
      throw new SafehouseError('INVALID_INPUT', 'An ASC MHL chain lists generation files of its own folder only.');
    }
    lines.push(
      `  <hashlist sequencenr="${generation.sequenceNumber}">`,
      `    <path>${xmlEscape(generation.fileName)}</path>`,
      `    <c4>${c4Id(generation.bytes)}</c4>`,
      '  </hashlist>',
    );
  }
  lines.push('</ascmhldirectory>', '');
  return lines.join('\n');
}
