import { promises as fsp } from 'node:fs';
import type { CoordinateHit } from '../media/coords-text';
import { createCoordinateByteScanner } from '../media/byte-scan';
import { cardOpenFlags } from './card-scan';
import { createSourceHasher, HASH_READ_BYTES, initHashing, type SourceDigest } from './hashing';

/**
 * One streaming read of a source file on the card that feeds everything that needs its raw bytes: the
 * two hashes (xxh64 for ASC MHL, BLAKE2b-256 as the record) and the coordinate byte scan (GPS hidden in
 * SEI user data, iXML, private boxes). Opened read-only without following links; constant memory.
 */
export async function readSource(
  absPath: string,
  options: { scanBytes: boolean; onBytes?: (bytes: number) => void; sink?: (chunk: Buffer) => Promise<void> },
): Promise<SourceDigest & { size: number; coordinateHits: CoordinateHit[] }> {
  await initHashing();
  const hasher = createSourceHasher();
  const scanner = options.scanBytes ? createCoordinateByteScanner() : null;
  let size = 0;
  const handle = await fsp.open(absPath, cardOpenFlags);
  try {
    const stream = handle.createReadStream({ highWaterMark: HASH_READ_BYTES, autoClose: false });
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      hasher.update(chunk);
      scanner?.push(chunk);
      if (options.sink) await options.sink(chunk);
      size += chunk.length;
      options.onBytes?.(chunk.length);
    }
  } finally {
    await handle.close();
  }
  return { ...hasher.digest(), size, coordinateHits: scanner?.finish() ?? [] };
}

/** BLAKE2b-256 of a byte stream (what was stored in the vault), for verification. */
export async function createStoredHasher(): Promise<{ update(chunk: Uint8Array): void; digest(): string }> {
  await initHashing();
  const hasher = createSourceHasher();
  return { update: (chunk) => hasher.update(chunk), digest: () => hasher.digest().blake2b256 };
}
