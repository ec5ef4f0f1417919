import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHUNK_SIZE } from '../../../src/main/core/vault/object-format';
import { FRAMES_PER_SLOT } from '../../../src/main/core/vault/crypto-worker';
import { nativeSodium } from '../../../src/main/core/vault/native-sodium';
import { secretstreamSync } from '../../../src/main/core/vault/secretstream';
import { createVault, type UnlockedVault } from '../../../src/main/core/vault/vault';
import { PASS, patternBytes, tempDir, xxh64Of } from './helpers';

// Where sodium-native cannot load, every thread falls back to libsodium-wrappers-sumo (WebAssembly). This
// file runs in its own process (vitest forks), so switching the native module off here reaches the crypto
// workers too: they start after this line and inherit the environment.
process.env['SAFEHOUSE_NATIVE_SODIUM'] = '0';

let vault: UnlockedVault;
beforeAll(async () => {
  vault = await createVault(path.join(await tempDir(), 'vault'), PASS);
});
afterAll(() => vault.lock());

describe('without sodium-native', () => {
  it('uses the WebAssembly engine on this thread', () => {
    expect(nativeSodium()).toBeNull();
    expect(secretstreamSync().engine).toBe('libsodium-wasm');
  });

  it('seals, verifies and streams objects through the workers as with the native engine', async () => {
    for (const size of [0, 1, CHUNK_SIZE, CHUNK_SIZE * FRAMES_PER_SLOT * 2 + 9]) {
      const data = patternBytes(size, size + 5);
      const { id, xxh64 } = await vault.writeObject('master', data, { size });
      expect(xxh64).toBe(await xxh64Of(data));
      expect(await vault.digestObject(id)).toBe(xxh64);
      const streamed: Buffer[] = [];
      for await (const chunk of vault.streamObject(id)) streamed.push(chunk);
      expect(Buffer.concat(streamed).equals(Buffer.from(data)), `size ${size}`).toBe(true);
      const { meta, data: read } = await vault.readObject(id);
      expect(meta).toEqual({ size });
      expect(read.equals(Buffer.from(data))).toBe(true);
    }
  });
});
