import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHUNK_SIZE, FRAME_SIZE } from '../../../src/main/core/vault/object-format';
import { BATCH_FRAMES } from '../../../src/main/core/vault/object-read';
import { createVault, type UnlockedVault } from '../../../src/main/core/vault/vault';
import { expectCode, objectPath, PASS, patternBytes, tempDir } from './helpers';

// streamObject reads and decrypts on a crypto worker in batches of BATCH_FRAMES frames (object-read.ts):
// several batches in flight, in order, each released only once every frame in it authenticated.
let dir: string;
let vault: UnlockedVault;
beforeAll(async () => {
  dir = path.join(await tempDir(), 'vault');
  vault = await createVault(dir, PASS);
});
afterAll(() => vault.lock());

const BATCH = CHUNK_SIZE * BATCH_FRAMES; // plaintext bytes of one full batch
const read = async (id: string, borrow: boolean): Promise<Buffer[]> => {
  const seen: Buffer[] = [];
  for await (const chunk of vault.streamObject(id, { borrow })) seen.push(Buffer.from(chunk)); // a copy: borrowed views are reused
  return seen;
};

describe('streaming read on the crypto worker', () => {
  it.each([false, true])('round-trips objects of 0 … 4 batches in order (borrow: %s)', async (borrow) => {
    for (const size of [0, 5, BATCH - 1, BATCH, BATCH + 1, 4 * BATCH + CHUNK_SIZE + 3]) {
      const data = patternBytes(size, size % 251);
      const { id } = await vault.writeObject('master', data);
      const seen = await read(id, borrow);
      expect(Buffer.concat(seen).equals(Buffer.from(data)), `size ${size}`).toBe(true);
      expect(seen.every((chunk) => chunk.length <= BATCH)).toBe(true);
    }
  });

  it('a borrowed chunk is a view that the next batch overwrites; a default chunk is the caller\'s own', async () => {
    const data = patternBytes(5 * BATCH, 3);
    const { id } = await vault.writeObject('master', data);
    const kept: Buffer[] = [];
    for await (const chunk of vault.streamObject(id, { borrow: true })) kept.push(chunk);
    // three plaintext buffers for five batches: some kept views no longer show their own batch
    expect(kept.some((chunk, i) => !chunk.equals(Buffer.from(data.subarray(i * BATCH, (i + 1) * BATCH))))).toBe(true);
    const owned: Buffer[] = [];
    for await (const chunk of vault.streamObject(id)) owned.push(chunk);
    expect(Buffer.concat(owned).equals(Buffer.from(data))).toBe(true);
  });

  it.each([false, true])('damage in the third batch: at most the first two batches come out, intact, then INTEGRITY (borrow: %s)', async (borrow) => {
    const data = patternBytes(4 * BATCH, 7);
    const { id } = await vault.writeObject('master', data);
    const file = objectPath(dir, id);
    const bytes = await fs.readFile(file);
    const contentStart = bytes.length - 4 * BATCH_FRAMES * FRAME_SIZE - 17; // the last frame is empty (TAG_FINAL)
    const at = contentStart + 2 * BATCH_FRAMES * FRAME_SIZE + 5 * FRAME_SIZE + 100;
    bytes[at]! ^= 0x01;
    await fs.writeFile(file, bytes);
    const seen: Buffer[] = [];
    await expectCode((async () => {
      for await (const chunk of vault.streamObject(id, { borrow })) seen.push(Buffer.from(chunk));
    })(), 'INTEGRITY');
    // Batches that authenticated before the failure may or may not be handed out (the failure can arrive
    // first); the damaged one never is, and nothing handed out is anything but the object's own bytes.
    const out = Buffer.concat(seen);
    expect([0, BATCH, 2 * BATCH]).toContain(out.length);
    expect(out.equals(Buffer.from(data.subarray(0, out.length)))).toBe(true);
  });

  it('a consumer that stops early releases the worker job, and the next read works', async () => {
    const data = patternBytes(4 * BATCH, 11);
    const { id } = await vault.writeObject('master', data);
    const keepingAlive = () => process.getActiveResourcesInfo().filter((kind) => kind === 'MessagePort' || kind === 'Worker').length;
    for await (const chunk of vault.streamObject(id)) {
      expect(chunk.length).toBe(BATCH);
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(keepingAlive()).toBe(0);
    expect(Buffer.concat(await read(id, true)).equals(Buffer.from(data))).toBe(true);
  });
});
