import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHUNK_SIZE, FRAME_SIZE, headerLength } from '../../../src/main/core/vault/object-format';
import { createVault, type UnlockedVault } from '../../../src/main/core/vault/vault';
import { objectPath, PASS, patternBytes, tempDir, xxh64Of } from './helpers';

// Object writers encrypt on the crypto worker (object-seal.ts): 1 MiB batches of 64 KiB chunks in shared
// memory, the file key drawn in the worker. These pin the batch edges, concurrent writers sharing the
// worker and its pooled rings, and that an abort leaves nothing behind and corrupts no other object.
let dir: string;
let vault: UnlockedVault;
beforeAll(async () => {
  dir = path.join(await tempDir(), 'vault');
  vault = await createVault(dir, PASS);
});
afterAll(() => vault.lock());

const SLOT = CHUNK_SIZE * 16;

async function writeInPieces(data: Uint8Array, piece: number): Promise<string> {
  const writer = await vault.createObjectWriter('master', { role: 'test' });
  for (let at = 0; at < data.length; at += piece) await writer.write(data.subarray(at, at + piece));
  const written = await writer.commit();
  // the plaintext checksum taken on the worker while sealing is the xxh64 of exactly these bytes
  expect(written.xxh64).toBe(await xxh64Of(data));
  expect(written.plainSize).toBe(data.length);
  return written.id;
}

describe('sealing on the crypto worker', () => {
  it('round-trips sizes around the chunk and batch edges, with frames of the documented sizes', async () => {
    for (const size of [0, 1, CHUNK_SIZE - 1, CHUNK_SIZE, SLOT - 1, SLOT, SLOT + 1, 2 * SLOT, 2 * SLOT + CHUNK_SIZE + 3]) {
      const data = patternBytes(size, size + 7);
      const id = await writeInPieces(data, 50_000);
      const read = await vault.readObject(id);
      expect(Buffer.compare(read.data, Buffer.from(data)), `size ${size}`).toBe(0);
      expect(read.meta).toEqual({ role: 'test' });
      // Content length = whole frames plus one final frame of 17..FRAME_SIZE bytes (never an extra empty one).
      const file = await fs.readFile(objectPath(dir, id));
      const hlen = headerLength(file);
      const content = file.length - hlen - 4 - file.readUInt32LE(hlen);
      const frames = Math.max(1, Math.ceil(size / CHUNK_SIZE));
      expect(content, `size ${size}`).toBe(size + frames * (FRAME_SIZE - CHUNK_SIZE));
    }
  });

  it('keeps concurrent writers apart', async () => {
    const sizes = [3 * SLOT + 5, 2 * SLOT, SLOT + 9, 4 * SLOT - 1];
    const datas = sizes.map((size, i) => patternBytes(size, 100 + i));
    const ids = await Promise.all(datas.map((data, i) => writeInPieces(data, 30_000 + i * 7_919)));
    for (const [i, id] of ids.entries()) expect(Buffer.compare((await vault.readObject(id)).data, Buffer.from(datas[i]!))).toBe(0);
  });

  it('abort leaves no staging file or object, and later objects are intact', async () => {
    const before = await vault.listObjectIds();
    const writer = await vault.createObjectWriter('master', {});
    await writer.write(patternBytes(2 * SLOT + 123, 5));
    await writer.abort();
    expect(await fs.readdir(path.join(dir, 'staging'))).toEqual([]);
    expect(await vault.listObjectIds()).toEqual(before);
    const data = patternBytes(3 * SLOT + 1, 6);
    const id = await writeInPieces(data, 65_536);
    expect(Buffer.compare((await vault.readObject(id)).data, Buffer.from(data))).toBe(0);
  });
});
