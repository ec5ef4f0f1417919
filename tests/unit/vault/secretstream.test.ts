import sodium from 'libsodium-wrappers-sumo';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { nativeSodium } from '../../../src/main/core/vault/native-sodium';
import {
  SECRETSTREAM_ABYTES, TAG_FINAL, TAG_MESSAGE, nativeSecretstream, secretstreamSync, wasmSecretstream, type Secretstream,
} from '../../../src/main/core/vault/secretstream';
import { loadSodium } from '../../../src/main/core/vault/sodium';

// Both engines must be libsodium's secretstream byte for byte (docs/vault-format.md): objects written by
// either open with the other, and with libsodium-wrappers used directly.
let native: Secretstream;
let wasm: Secretstream;
beforeAll(async () => {
  await loadSodium();
  const module = nativeSodium();
  if (!module) throw new Error('sodium-native must load under Node on this platform');
  native = nativeSecretstream(module);
  wasm = wasmSecretstream(sodium);
});

const TAG_PUSH = 1;
const TAG_REKEY = 2;
const bytes = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed * 7) & 0xff);
const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

describe('secretstream engines against libsodium-wrappers', () => {
  it('this thread uses the native engine under Node', () => {
    expect(secretstreamSync().engine).toBe('sodium-native');
  });

  it('push the same frames as libsodium-wrappers from the same state, and open them, for every tag and length', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 70_000 }), fc.constantFrom(TAG_MESSAGE, TAG_PUSH, TAG_REKEY, TAG_FINAL)), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 0, max: 64 }),
        (plan, adLength) => {
          const key = sodium.crypto_secretstream_xchacha20poly1305_keygen();
          const ad = bytes(adLength, plan.length);
          const reference = sodium.crypto_secretstream_xchacha20poly1305_init_push(key);
          // A pull state set up from the reference header is the same state as the pusher's: each engine
          // pushes from one and must produce the reference bytes exactly.
          const mirrors = [native, wasm].map((engine) => ({ engine, push: engine.initPull(reference.header, key), pull: engine.initPull(reference.header, key) }));
          plan.forEach(([size, tag], i) => {
            const message = bytes(size, i + 3);
            const frame = sodium.crypto_secretstream_xchacha20poly1305_push(reference.state, message, ad, tag);
            for (const { engine, push, pull } of mirrors) {
              expect(same(engine.push(push, message, ad, tag), frame)).toBe(true);
              const out = new Uint8Array(size + 5);
              expect(engine.pullInto(pull, out, frame, ad)).toBe(tag);
              expect(same(out.subarray(0, size), message)).toBe(true);
            }
          });
        },
      ),
      { numRuns: 25 },
    );
  });

  it('frames pushed by either engine open with the other and with libsodium-wrappers', () => {
    for (const [writer, reader] of [[native, wasm], [wasm, native]] as const) {
      const key = sodium.crypto_secretstream_xchacha20poly1305_keygen();
      const ad = bytes(32, 1);
      const { state, header } = writer.initPush(key);
      const theirs = reader.initPull(header, key);
      const wrappers = sodium.crypto_secretstream_xchacha20poly1305_init_pull(header, key);
      for (const [size, tag] of [[0, TAG_MESSAGE], [65_536, TAG_MESSAGE], [100, TAG_REKEY], [65_536, TAG_MESSAGE], [3, TAG_FINAL]] as const) {
        const message = bytes(size, size);
        const frame = writer.push(state, message, ad, tag);
        expect(frame.length).toBe(size + SECRETSTREAM_ABYTES);
        const opened = reader.pull(theirs, frame, ad);
        expect(opened?.tag).toBe(tag);
        expect(same(opened!.message, message)).toBe(true);
        const direct = sodium.crypto_secretstream_xchacha20poly1305_pull(wrappers, frame, ad);
        expect(direct && direct.tag).toBe(tag);
      }
    }
  });

  it.each(['native', 'wasm'] as const)('%s: rejects a flipped byte, a wrong AD, a replayed or reordered frame, leaving the state and the output untouched', (which) => {
    const engine = which === 'native' ? native : wasm;
    const key = sodium.crypto_secretstream_xchacha20poly1305_keygen();
    const ad = bytes(32, 9);
    const { state, header } = engine.initPush(key);
    const frames = [0, 1, 2].map((i) => engine.push(state, bytes(1000, i), ad, TAG_MESSAGE));
    const pull = engine.initPull(header, key);
    const out = new Uint8Array(1000).fill(0xee);
    for (const position of [0, 1, 500, 1000, 1016]) {
      const bad = Buffer.from(frames[0]!);
      bad[position]! ^= 0x01;
      expect(engine.pullInto(pull, out, bad, ad)).toBe(-1);
    }
    expect(engine.pullInto(pull, out, frames[0]!, bytes(32, 10))).toBe(-1);
    expect(engine.pullInto(pull, out, frames[1]!, ad)).toBe(-1); // out of order
    expect(engine.pullInto(pull, out, frames[0]!.subarray(0, 16), ad)).toBe(-1); // shorter than ABYTES
    expect(out.every((b) => b === 0xee)).toBe(true);
    expect(engine.pullInto(pull, out, frames[0]!, ad)).toBe(TAG_MESSAGE);
    expect(same(out, bytes(1000, 0))).toBe(true);
    expect(engine.pull(pull, frames[0]!, ad)).toBeNull(); // replayed
    expect(engine.pull(pull, frames[1]!, ad)).not.toBeNull();
  });

  it('wipe zeroes a native state (it holds the stream key)', () => {
    const { state } = native.initPush(sodium.crypto_secretstream_xchacha20poly1305_keygen());
    expect(state instanceof Uint8Array && state.some((b) => b !== 0)).toBe(true);
    native.wipe(state);
    expect(state instanceof Uint8Array && state.every((b) => b === 0)).toBe(true);
  });

  it('wipe zeroes a WebAssembly state before freeing it', () => {
    const { state } = wasm.initPush(sodium.crypto_secretstream_xchacha20poly1305_keygen());
    const heap = () => (sodium as unknown as { libsodium: { HEAPU8: Uint8Array } }).libsodium.HEAPU8;
    const at = state as number;
    expect(heap().subarray(at + 16, at + 44).some((b) => b !== 0)).toBe(true);
    wasm.wipe(state);
    // the allocator may reuse the first words of a freed block for its lists; the rest must be zero
    expect(heap().subarray(at + 16, at + 52).every((b) => b === 0)).toBe(true);
  });

  it('an engine refuses the other engine\'s state instead of reading the wrong memory', () => {
    const key = sodium.crypto_secretstream_xchacha20poly1305_keygen();
    const { state: wasmState } = wasm.initPush(key);
    const { state: nativeState } = native.initPush(key);
    expect(() => native.push(wasmState, bytes(4, 1), bytes(32, 1), TAG_MESSAGE)).toThrow(TypeError);
    expect(() => wasm.push(nativeState, bytes(4, 1), bytes(32, 1), TAG_MESSAGE)).toThrow(TypeError);
    wasm.wipe(wasmState);
  });
});
