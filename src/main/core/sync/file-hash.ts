import { createReadStream } from 'node:fs';
import { loadSodium } from '../vault/sodium';

/** Streaming BLAKE2b-256 (hex), for object files and what a carrier holds. */
export interface Blake2bHasher {
  update(chunk: Uint8Array): void;
  digest(): string;
}

export async function createBlake2b(): Promise<Blake2bHasher> {
  const sodium = await loadSodium();
  const state = sodium.crypto_generichash_init(null, 32);
  return {
    update: (chunk) => void (chunk.length > 0 && sodium.crypto_generichash_update(state, chunk)),
    digest: () => sodium.crypto_generichash_final(state, 32, 'hex'),
  };
}

export async function blake2bFile(file: string, start = 0): Promise<{ blake2b: string; size: number }> {
  const hasher = await createBlake2b();
  let size = 0;
  for await (const chunk of createReadStream(file, { start, highWaterMark: 1024 * 1024 }) as AsyncIterable<Buffer>) {
    hasher.update(chunk);
    size += chunk.length;
  }
  return { blake2b: hasher.digest(), size };
}
