import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createVault, type UnlockedVault } from '../../../src/main/core/vault/vault';
import { PASS, tempDir } from './helpers';

let vault: UnlockedVault;
beforeAll(async () => {
  vault = await createVault(path.join(await tempDir(), 'vault'), PASS);
});
afterAll(() => vault.lock());

const TOTAL = 200 * 1024 * 1024;
const PIECE = 1024 * 1024 + 13; // deliberately not chunk-aligned

/** Generates data on the fly: the whole object never exists in memory. */
async function* generate(): AsyncGenerator<Uint8Array> {
  const piece = new Uint8Array(PIECE);
  for (let sent = 0; sent < TOTAL; sent += PIECE) {
    const n = Math.min(PIECE, TOTAL - sent);
    piece.fill(sent & 0xff);
    yield piece.subarray(0, n);
  }
}

it('streams a 200 MB object in and out in constant memory', async () => {
  // Warm-up: the crypto workers (each with its own libsodium heap), their rings and the aligned I/O buffers
  // are a fixed cost paid once; what must not happen is memory that grows with the object's size.
  const warm = await vault.writeObject('master', new Uint8Array(3 * 1024 * 1024 + 7));
  for await (const chunk of vault.streamObject(warm.id)) expect(chunk.length).toBeGreaterThan(0);
  await vault.deleteObject(warm.id);
  global.gc?.();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sample = () => { peak = Math.max(peak, process.memoryUsage().rss); };
  const timer = setInterval(sample, 20);
  try {
    const { id, plainSize } = await vault.writeObject('master', generate(), { test: 'stream' });
    expect(plainSize).toBe(TOTAL);
    sample();
    let read = 0;
    let ok = true;
    for await (const chunk of vault.streamObject(id)) {
      // spot-check content: every byte of a piece equals the low byte of the piece's start offset
      const expected = (Math.floor(read / PIECE) * PIECE) & 0xff;
      if (chunk[0] !== expected) ok = false;
      read += chunk.length;
    }
    sample();
    expect(read).toBe(TOTAL);
    expect(ok).toBe(true);
    await vault.deleteObject(id);
  } finally {
    clearInterval(timer);
  }
  const growthMb = (peak - baseline) / 1024 / 1024;
  console.log(`streaming 200 MB: RSS growth ${growthMb.toFixed(1)} MB`);
  expect(growthMb).toBeLessThan(100);
}, 120_000);
