import { promises as fsp } from 'node:fs';
import type { CoordinateHit } from '../media/coords-text';
import { createCoordinateByteScanner } from '../media/byte-scan';
import { cardOpenFlags } from './card-scan';
import { createOffThreadBlake2b } from '../vault/crypto-worker';
import { createXxh64Hasher, HASH_READ_BYTES, initHashing, type SourceDigest } from './hashing';

/**
 * One streaming read of a source file on the card that feeds everything that needs its raw bytes: the
 * two hashes (xxh64 for ASC MHL, BLAKE2b-256 as the record) and the coordinate byte scan (GPS hidden in
 * SEI user data, iXML, private boxes). Opened read-only without following links; constant memory.
 * xxh64 runs here; BLAKE2b-256 on a crypto worker thread (vault/crypto-worker.ts), in parallel with the scan.
 */
export async function readSource(
  absPath: string,
  options: { scanBytes: boolean; onBytes?: (bytes: number) => void; sink?: (chunk: Buffer) => Promise<void> },
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
 * verified by its own BLAKE2b-256. A read error that keeps the 64-bit xxh64 is not a realistic event, and
 * skipping BLAKE2b here saves a third of the verification's CPU.
 */
export async function rereadSourceXxh64(absPath: string, onBytes?: (bytes: number) => void): Promise<{ xxh64: string; size: number }> {
  await initHashing();
  const hasher = createXxh64Hasher();
  const { size } = await streamSource(absPath, { scanBytes: false, ...(onBytes ? { onBytes } : {}) }, hasher);
  return { xxh64: hasher.digest(), size };
}

async function streamSource(
  absPath: string,
  options: { scanBytes: boolean; onBytes?: (bytes: number) => void; sink?: (chunk: Buffer) => Promise<void> },
  hasher: { update(chunk: Uint8Array): void; flowing?: () => Promise<void> },
): Promise<{ size: number; coordinateHits: CoordinateHit[] }> {
  const scanner = options.scanBytes ? createCoordinateByteScanner() : null;
  let size = 0;
  const handle = await fsp.open(absPath, cardOpenFlags);
  try {
    if (!scanner && !options.sink) {
      // Nothing keeps a chunk after update() (the hashers copy or consume it at once), so one buffer is
      // reused: a verification re-read no longer allocates (and leaves to the GC) a buffer per read.
      const buffer = Buffer.allocUnsafe(HASH_READ_BYTES);
      for (;;) {
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
        if (bytesRead === 0) break;
        hasher.update(buffer.subarray(0, bytesRead));
        size += bytesRead;
        options.onBytes?.(bytesRead);
        if (hasher.flowing) await hasher.flowing();
      }
      return { size, coordinateHits: [] };
    }
    const stream = handle.createReadStream({ highWaterMark: HASH_READ_BYTES, autoClose: false });
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      hasher.update(chunk);
      scanner?.push(chunk);
      if (options.sink) await options.sink(chunk);
      size += chunk.length;
      options.onBytes?.(chunk.length);
      if (hasher.flowing) await hasher.flowing();
    }
  } finally {
    await handle.close();
  }
  return { size, coordinateHits: scanner?.finish() ?? [] };
}
