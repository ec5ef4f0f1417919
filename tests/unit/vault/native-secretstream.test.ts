import sodium from 'libsodium-wrappers-sumo';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import nodeCrypto from 'node:crypto';
import { defineSecretstream, secretstreamSync, type Secretstream, type SecretstreamSodium } from '../../../src/main/core/vault/native-secretstream';
import { loadSodium } from '../../../src/main/core/vault/sodium';

// The native secretstream must be libsodium's, byte for byte: objects written by either open with the other.
let secretstream: Secretstream;
beforeAll(async () => {
  await loadSodium();
  secretstream = secretstreamSync();
});

const TAG_PUSH = 1;
const TAG_REKEY = 2;
const bytes = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed * 7) & 0xff);

describe('native secretstream against libsodium', () => {
  it('frames pushed natively open with libsodium, with every tag, including REKEY and empty messages', () => {
    const key = sodium.crypto_secretstream_xchacha20poly1305_keygen();
    const ad = bytes(32, 1);
    const { state, header } = secretstream.initPush(key);
    const pull = sodium.crypto_secretstream_xchacha20poly1305_init_pull(header, key);
    const plan = [
      [0, secretstream.TAG_MESSAGE], [65_536, secretstream.TAG_MESSAGE], [100, TAG_REKEY], [1, TAG_PUSH],
      [65_536, secretstream.TAG_MESSAGE], [3, secretstream.TAG_FINAL],
    ] as const;
    plan.forEach(([size, tag], i) => {
      const message = bytes(size, i);
      const frame = secretstream.push(state, message, ad, tag);
      expect(frame.length).toBe(size + secretstream.ABYTES);
      const opened = sodium.crypto_secretstream_xchacha20poly1305_pull(pull, frame, ad);
      expect(opened).not.toBe(false);
      if (!opened) return;
      expect(opened.tag).toBe(tag);
      expect(Buffer.from(opened.message).equals(Buffer.from(message))).toBe(true);
    });
  });

  it('frames pushed by libsodium open natively, and a push (whole or in parts) with the same state gives identical bytes', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 70_000 }), fc.constantFrom(0, 1, 2, 3)), { minLength: 1, maxLength: 6 }), (plan) => {
        const key = sodium.crypto_secretstream_xchacha20poly1305_keygen();
        const ad = bytes(32, plan.length);
        const push = sodium.crypto_secretstream_xchacha20poly1305_init_push(key);
        const pull = secretstream.initPull(push.header, key);
        const mirror = secretstream.initPull(push.header, key); // a pushing state with libsodium's header
        const inParts = secretstream.initPull(push.header, key); // the same, through pushParts
        plan.forEach(([size, tag], i) => {
          const message = bytes(size, i + 3);
          const frame = sodium.crypto_secretstream_xchacha20poly1305_push(push.state, message, ad, tag);
          expect(Buffer.from(secretstream.push(mirror, message, ad, tag)).equals(Buffer.from(frame))).toBe(true);
          expect(Buffer.concat(secretstream.pushParts(inParts, message, ad, tag)).equals(Buffer.from(frame))).toBe(true);
          const opened = secretstream.pull(pull, frame, ad);
          expect(opened?.tag).toBe(tag);
          expect(opened?.message.equals(Buffer.from(message))).toBe(true);
        });
      }),
      { numRuns: 25 },
    );
  });

  it('rejects a flipped byte anywhere in a frame, a wrong AD, a replayed or reordered frame, and leaves the state usable', () => {
    const key = sodium.crypto_secretstream_xchacha20poly1305_keygen();
    const ad = bytes(32, 9);
    const { state, header } = secretstream.initPush(key);
    const frames = [0, 1, 2].map((i) => secretstream.push(state, bytes(1000, i), ad, secretstream.TAG_MESSAGE));
    const pull = secretstream.initPull(header, key);
    for (const position of [0, 1, 500, 1000, 1016]) {
      const bad = Buffer.from(frames[0]!);
      bad[position]! ^= 0x01;
      expect(secretstream.pull(pull, bad, ad)).toBeNull();
    }
    expect(secretstream.pull(pull, frames[0]!, bytes(32, 10))).toBeNull();
    expect(secretstream.pull(pull, frames[1]!, ad)).toBeNull(); // out of order
    expect(secretstream.pull(pull, frames[0]!.subarray(0, 16), ad)).toBeNull(); // shorter than ABYTES
    expect(secretstream.pull(pull, frames[0]!, ad)?.message.equals(Buffer.from(bytes(1000, 0)))).toBe(true);
    expect(secretstream.pull(pull, frames[0]!, ad)).toBeNull(); // replayed
    expect(secretstream.pull(pull, frames[1]!, ad)).not.toBeNull();
  });

  it('takes the native path under Node, and falls back to libsodium where the runtime lacks ChaCha20 (Electron)', () => {
    expect(secretstream.native).toBe(true);
    const refuse = (name: string) => {
      if (name.startsWith('chacha20')) throw new Error('Unknown cipher');
    };
    const boringLike = {
      ...nodeCrypto,
      createCipheriv: ((name: string, ...rest: unknown[]) => (refuse(name), (nodeCrypto.createCipheriv as (...a: unknown[]) => unknown)(name, ...rest))),
      createDecipheriv: ((name: string, ...rest: unknown[]) => (refuse(name), (nodeCrypto.createDecipheriv as (...a: unknown[]) => unknown)(name, ...rest))),
    } as unknown as typeof nodeCrypto;
    const fallback = defineSecretstream(boringLike, sodium as unknown as SecretstreamSodium);
    expect(fallback.native).toBe(false);
    const key = sodium.crypto_secretstream_xchacha20poly1305_keygen();
    const ad = bytes(32, 4);
    const push = sodium.crypto_secretstream_xchacha20poly1305_init_push(key);
    const mirror = fallback.initPull(push.header, key);
    const pull = fallback.initPull(push.header, key);
    for (const size of [65_536, 65_536, 5]) {
      const message = bytes(size, size);
      const frame = sodium.crypto_secretstream_xchacha20poly1305_push(push.state, message, ad, 0);
      expect(fallback.push(mirror, message, ad, 0).equals(Buffer.from(frame))).toBe(true);
      expect(fallback.pull(pull, frame, ad)?.message.equals(Buffer.from(message))).toBe(true);
    }
  });

  it('wipe zeroes the state it held (the stream key) before freeing it', () => {
    const { state } = secretstream.initPush(sodium.crypto_secretstream_xchacha20poly1305_keygen());
    const heap = () => (sodium as unknown as { libsodium: { HEAPU8: Uint8Array } }).libsodium.HEAPU8;
    expect(heap().subarray(state + 16, state + 44).some((b) => b !== 0)).toBe(true);
    secretstream.wipe(state);
    // the allocator may reuse the first words of a freed block for its lists; the rest must be zero
    expect(heap().subarray(state + 16, state + 52).every((b) => b === 0)).toBe(true);
  });
});
