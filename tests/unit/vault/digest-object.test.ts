import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHUNK_SIZE, FRAME_SIZE } from '../../../src/main/core/vault/object-format';
import { createVault, type UnlockedVault } from '../../../src/main/core/vault/vault';
import { expectCode, objectPath, PASS, patternBytes, tempDir, xxh64Of } from './helpers';

// vault.digestObject decrypts and hashes on the crypto worker; it must accept exactly what readObject
// accepts and fail the same ways.
let dir: string;
let vault: UnlockedVault;
beforeAll(async () => {
  dir = path.join(await tempDir(), 'vault');
  vault = await createVault(dir, PASS);
});
afterAll(() => vault.lock());

describe('digestObject (off-thread verification read)', () => {
  it('gives the xxh64 of the plaintext for empty, exact-chunk and multi-batch objects', async () => {
    for (const size of [0, 1, CHUNK_SIZE, CHUNK_SIZE * 16, CHUNK_SIZE * 16 + 1, 3 * 1024 * 1024 + 77]) {
      const data = patternBytes(size, size + 1);
      const { id } = await vault.writeObject('master', data);
      expect(await vault.digestObject(id), `size ${size}`).toBe(await xxh64Of(data));
    }
  });

  it('fails INTEGRITY on a flipped byte, a truncation, a dropped frame and trailing bytes', async () => {
    const data = patternBytes(CHUNK_SIZE * 20 + 5, 9);
    const damage: Array<(bytes: Buffer) => Buffer> = [
      (b) => { const c = Buffer.from(b); const at = c.length - FRAME_SIZE * 3; c.writeUInt8(c.readUInt8(at) ^ 1, at); return c; },
      (b) => b.subarray(0, b.length - 10),
      (b) => b.subarray(0, b.length - 5 - 17), // cut exactly at the last full frame: TAG_FINAL missing
      (b) => Buffer.concat([b.subarray(0, b.length - 5 - 17 - FRAME_SIZE), b.subarray(b.length - 5 - 17)]),
      (b) => Buffer.concat([b, Buffer.from([0])]),
    ];
    for (const [i, hurt] of damage.entries()) {
      const { id } = await vault.writeObject('master', data);
      const file = objectPath(dir, id);
      await fs.writeFile(file, hurt(await fs.readFile(file)));
      await expectCode(vault.digestObject(id), 'INTEGRITY').catch((error: unknown) => {
        throw new Error(`damage #${i}: ${String(error)}`);
      });
    }
  });
});
