import { promises as fsp } from 'node:fs';
import type { CoordinateHit } from '../media/coords-text';
import { createCoordinateByteScanner } from '../media/byte-scan';
import { cardOpenFlags } from './card-scan';
import { asCardReadError } from './clip-failures';
import { createOffThreadBlake2b } from '../vault/crypto-worker';
import { createXxh64Hasher, HASH_READ_BYTES, initHashing, type SourceDigest } from './hashing';

/**
 * Opens a card file for reading. The offload's file layer: the real one opens read-only without following
 * links; the fault tests wrap it to fail mid-read the way a dying card does (EIO).
 */
export type OpenCardFile = (absPath: string) => Promise<{ read(buffer: Buffer, offset: number, length: number, position: null): Promise<{ bytesRead: number }>; close(): Promise<void> }>;

export const openCardFile: OpenCardFile = (absPath) => fsp.open(absPath, cardOpenFlags);

interface SourceReadOptions {
  scanBytes: boolean;
  open?: OpenCardFile;
  onBytes?: (bytes: number) => void;
  /** Gets every chunk in order. The chunk's memory is reused for the next read: copy what you keep. */
  sink?: (chunk: Buffer) => Promise<void>;
}

/**
 * One streaming read of a source file on the card that feeds everything that needs its raw bytes: the
 * two hashes (xxh64 for ASC MHL, BLAKE2b-256 as the record) and the coordinate byte scan (GPS hidden in
 * SEI user data, iXML, private boxes). Opened read-only without following links; constant memory.
 * xxh64 runs here; BLAKE2b-256 on a crypto worker thread (vault/crypto-worker.ts), in parallel with the scan.
 */
export async function readSource(
  absPath: string,
  options: SourceReadOptions,
): Promise<SourceDigest & { size: number; coordinateHits: CoordinateHit[] }> {
  await initHashing();
  const xxh = createXxh64Hasher();
  const blake = createOffThreadBlake2b();
  let read;
  try {
    read = await streamSource(absPath, options, {
      update(chunk) {
        xxh.update(chunk);
        blake.update(chunk);
      },
      flowing: () => blake.flowing(),
    });
  } catch (error) {
    blake.discard();
    throw error;
  }
  return { xxh64: xxh.digest(), blake2b256: await blake.digest(), ...read };
}

/**
 * The verification re-read of a source (step 7): xxh64 only. That re-read guards against read errors (a
 * flaky card or reader returning different bytes the second time), not against an adversary: the bytes
 * that matter were already hashed with BLAKE2b-256 on the first read, and what went into the vault is
 * verified on its own (decrypted, every frame authenticated, its xxh64 compared). A read error that keeps
 * the 64-bit xxh64 is not a realistic event, and skipping BLAKE2b here saves a third of the verification's
 * CPU.
 */
export async function rereadSourceXxh64(absPath: string, onBytes?: (bytes: number) => void, open?: OpenCardFile): Promise<{ xxh64: string; size: number }> {
  await initHashing();
  const hasher = createXxh64Hasher();
  const { size } = await streamSource(absPath, { scanBytes: false, ...(onBytes ? { onBytes } : {}), ...(open ? { open } : {}) }, hasher);
  return { xxh64: hasher.digest(), size };
}

async function streamSource(
  absPath: string,
  options: SourceReadOptions,
  hasher: { update(chunk: Uint8Array): void; flowing?: () => Promise<void> },
): Promise<{ size: number; coordinateHits: CoordinateHit[] }> {
  const scanner = options.scanBytes ? createCoordinateByteScanner() : null;
  let size = 0;
  const handle = await (options.open ?? openCardFile)(absPath);
  try {
    // One buffer for the whole file: nothing keeps a chunk once its turn is over (the hashers and the sink
    // copy it, the scanner keeps strings), and a fresh 1 MiB per read cost page faults and GC work.
    const buffer = Buffer.allocUnsafe(HASH_READ_BYTES);
    for (;;) {
      // EIO here comes from the card, not the vault: said as such ("the card may be damaged").
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null).catch((error: unknown) => {
        throw asCardReadError(error);
      });
      if (bytesRead === 0) break;
      const chunk = buffer.subarray(0, bytesRead);
      hasher.update(chunk);
      scanner?.push(chunk);
      if (options.sink) await options.sink(chunk);
      size += bytesRead;
      options.onBytes?.(bytesRead);
      if (hasher.flowing) await hasher.flowing();
    }
  } finally {
    await handle.close();
  }
  return { size, coordinateHits: scanner?.finish() ?? [] };
}
