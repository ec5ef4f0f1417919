/**
 * Hashes a source once while it is read: xxh64 for ASC MHL interchange (what DIT tools compare) and
 * BLAKE2b-256 as Safehouse's own record (xxh64 is not collision-resistant, so it never proves integrity alone).
 */
import { promises as fsp } from 'node:fs';
import sodium from 'libsodium-wrappers-sumo';
import xxhash, { type XXHashAPI } from 'xxhash-wasm';
import { SafehouseError } from '../../../shared/errors';
import { cardOpenFlags } from './card-scan';

export interface SourceDigest {
  /** 16 lower-case hex digits, big-endian, as ASC MHL writes it. */
  xxh64: string;
  /** 64 lower-case hex digits. */
  blake2b256: string;
}

export interface SourceHasher {
  update(chunk: Uint8Array): void;
  digest(): SourceDigest;
}

/** 1 MiB reads: large enough for card-reader throughput, small enough that memory stays flat per file. */
export const HASH_READ_BYTES = 1024 * 1024;
const BLAKE2B_256_BYTES = 32;

let xx: XXHashAPI | null = null;
let ready: Promise<void> | null = null;

/** Loads both WebAssembly modules once; call (await) before createSourceHasher. */
export function initHashing(): Promise<void> {
  ready ??= (async () => {
    const [api] = await Promise.all([xxhash(), sodium.ready]);
    xx = api;
  })();
  return ready;
}

export function createSourceHasher(): SourceHasher {
  if (!xx) throw new SafehouseError('INTERNAL', 'Hashing was used before initHashing() finished.');
  const x = xx.create64();
  // The libsodium state lives in WebAssembly memory and is released by crypto_generichash_final.
  const b = sodium.crypto_generichash_init(null, BLAKE2B_256_BYTES);
  let done = false;
  return {
    update(chunk) {
      if (done) throw new SafehouseError('INTERNAL', 'A source hasher was updated after its digest was taken.');
      if (chunk.length === 0) return;
      x.update(chunk);
      sodium.crypto_generichash_update(b, chunk);
    },
    digest() {
      if (done) throw new SafehouseError('INTERNAL', 'A source hasher digest was taken twice.');
      done = true;
      return {
        xxh64: x.digest().toString(16).padStart(16, '0'),
        blake2b256: sodium.crypto_generichash_final(b, BLAKE2B_256_BYTES, 'hex'),
      };
    },
  };
}

/** xxh64 alone (native-speed WebAssembly, ~9 GB/s): see rereadSourceXxh64 for when that is enough. */
export function createXxh64Hasher(): { update(chunk: Uint8Array): void; digest(): string } {
  if (!xx) throw new SafehouseError('INTERNAL', 'Hashing was used before initHashing() finished.');
  const x = xx.create64();
  return {
    update: (chunk) => void (chunk.length > 0 && x.update(chunk)),
    digest: () => x.digest().toString(16).padStart(16, '0'),
  };
}

/**
 * Streams a file through both hashes in constant memory. The file is opened read-only and without following
 * a symlink, because the path usually points into an untrusted card. `onBytes` gets each chunk's length and
 * the running total, for progress.
 */
export async function hashFile(
  filePath: string,
  onBytes?: (chunkBytes: number, totalBytes: number) => void,
): Promise<SourceDigest & { size: number }> {
  await initHashing();
  const hasher = createSourceHasher();
  let size = 0;
  const handle = await fsp.open(filePath, cardOpenFlags);
  try {
    const stream = handle.createReadStream({ highWaterMark: HASH_READ_BYTES, autoClose: false });
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      hasher.update(chunk);
      size += chunk.length;
      onBytes?.(chunk.length, size);
    }
  } finally {
    await handle.close();
  }
  return { ...hasher.digest(), size };
}
