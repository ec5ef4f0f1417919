import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { createXxh64Hasher, initHashing } from '../../../src/main/core/ingest/hashing';
import { SafehouseError, type ErrorCode } from '../../../src/shared/errors';

export const PASS = 'correct horse battery staple';

export async function tempDir(prefix = 'sh-vault-'): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), prefix));
}

export async function expectCode(promise: Promise<unknown> | (() => unknown), code: ErrorCode): Promise<void> {
  try {
    if (typeof promise === 'function') await promise();
    else await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(SafehouseError);
    expect((error as SafehouseError).code).toBe(code);
    return;
  }
  throw new Error(`expected ${code}, nothing was thrown`);
}

/** Deterministic pseudo-random bytes (fast, no crypto needed for test data). */
export function patternBytes(size: number, seed = 1): Uint8Array {
  const out = new Uint8Array(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

export function objectPath(dir: string, id: string): string {
  return path.join(dir, 'objects', id.slice(0, 2), id);
}

/** xxh64 (16 hex digits) computed on this thread: the reference for what the crypto worker reports. */
export async function xxh64Of(data: Uint8Array): Promise<string> {
  await initHashing();
  const hasher = createXxh64Hasher();
  hasher.update(data);
  return hasher.digest();
}
