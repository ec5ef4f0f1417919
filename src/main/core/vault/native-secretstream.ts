import nodeCrypto from 'node:crypto';
import { sodiumSync } from './sodium';

/** The parts of libsodium-wrappers-sumo this module uses (its typings lack the WebAssembly heap). */
export interface SecretstreamSodium {
  crypto_secretstream_xchacha20poly1305_init_push(key: Uint8Array): { state: unknown; header: Uint8Array };
  crypto_secretstream_xchacha20poly1305_init_pull(header: Uint8Array, key: Uint8Array): unknown;
  crypto_secretstream_xchacha20poly1305_push(state: unknown, message: Uint8Array, ad: Uint8Array | null, tag: number): Uint8Array;
  crypto_secretstream_xchacha20poly1305_pull(state: unknown, frame: Uint8Array, ad: Uint8Array | null): { message: Uint8Array; tag: number } | false;
  libsodium: { HEAPU8: Uint8Array; _free(address: number): void };
}

/**
 * libsodium's crypto_secretstream_xchacha20poly1305 with the frames computed by Node's OpenSSL
 * ChaCha20-Poly1305 wherever the result is the same: the bytes are libsodium's (docs/vault-format.md is
 * unchanged; tests/unit/vault/native-secretstream.test.ts checks both directions and every path), at
 * native speed. libsodium's WebAssembly build encrypts about 350 MB/s on one core, OpenSSL several times
 * that, and the stream cipher was most of the CPU an ingest or a proxy spent in Node.
 *
 * Why it is the same construction: a secretstream frame is RFC 8439 ChaCha20-Poly1305 under the state key
 * and the 12-byte state nonce (u32 counter ‖ 8-byte inonce), AD = ad, plaintext = a 64-byte block
 * [tag, 0 × 63] ‖ message. The frame keeps only the block's first ciphertext byte (the encrypted tag), the
 * message ciphertext and the 16-byte MAC; the other 63 block bytes are keystream block 1 (the plaintext
 * there is zero), so a reader recomputes them to check the MAC. After each frame the MAC's first 8 bytes
 * are XORed into the inonce and the counter goes up; a REKEY tag or a counter wrap re-encrypts
 * key ‖ inonce with keystream block 0 and restarts the counter at 1.
 *
 * Where the runtime lacks these ciphers (Electron's BoringSSL), everything goes through libsodium; see
 * selfTest below.
 *
 * One difference: libsodium pads the ciphertext for Poly1305 with (mlen mod 16) zero bytes instead of
 * RFC 8439's (−(64 + mlen) mod 16). The two agree when mlen is a multiple of 8 — every full 64 KiB chunk —
 * and Node exposes no bare Poly1305, so other frames (an object's last chunk, metadata) go to libsodium.
 * Both paths share libsodium's state: it stays in the WebAssembly heap, where the native path reads the
 * key and nonce and writes them back after a frame, so libsodium still owns (and wipes) the key.
 *
 * Self-contained on purpose: the crypto worker evaluates this function's source text (see
 * crypto-worker-source.ts), so it may use nothing but its arguments and globals.
 */
export function defineSecretstream(crypto: typeof nodeCrypto, sodium: SecretstreamSodium) {
  const TAG_MESSAGE = 0;
  const TAG_REKEY = 2;
  const TAG_FINAL = 3;
  const ABYTES = 17;
  const MAC_BYTES = 16;
  const STATE_BYTES = 52; // key (32) ‖ nonce (12) ‖ padding (8), as in libsodium's state struct
  const ZERO_BLOCK = Buffer.alloc(64);

  /** A copy of the state's key and nonce out of the WebAssembly heap (re-read: the heap can grow). */
  const load = (address: number): { key: Buffer; nonce: Buffer } => {
    const heap = sodium.libsodium.HEAPU8;
    return { key: Buffer.from(heap.subarray(address, address + 32)), nonce: Buffer.from(heap.subarray(address + 32, address + 44)) };
  };
  const storeAndWipe = (address: number, state: { key: Buffer; nonce: Buffer }): void => {
    const heap = sodium.libsodium.HEAPU8;
    heap.set(state.key, address);
    heap.set(state.nonce, address + 32);
    state.key.fill(0);
    state.nonce.fill(0);
  };
  const wipeCopy = (state: { key: Buffer; nonce: Buffer }): void => {
    state.key.fill(0);
    state.nonce.fill(0);
  };
  const keystreamXor = (key: Buffer, counter: number, nonce: Buffer, data: Uint8Array): Buffer => {
    const iv = Buffer.allocUnsafe(16);
    iv.writeUInt32LE(counter, 0);
    nonce.copy(iv, 4);
    return crypto.createCipheriv('chacha20', key, iv).update(data);
  };
  const advance = (state: { key: Buffer; nonce: Buffer }, mac: Uint8Array, tag: number): void => {
    for (let i = 0; i < 8; i++) state.nonce[4 + i] = state.nonce[4 + i]! ^ mac[i]!;
    const counter = (state.nonce.readUInt32LE(0) + 1) >>> 0;
    state.nonce.writeUInt32LE(counter, 0);
    if ((tag & TAG_REKEY) !== 0 || counter === 0) {
      const material = Buffer.concat([state.key, state.nonce.subarray(4)]);
      const next = keystreamXor(state.key, 0, state.nonce, material);
      next.copy(state.key, 0, 0, 32);
      next.copy(state.nonce, 4, 32, 40);
      state.nonce.writeUInt32LE(1, 0);
      material.fill(0);
      next.fill(0);
    }
  };
  /** One frame's three parts: the encrypted tag byte, the ciphertext and the MAC. */
  const nativeParts = (address: number, message: Uint8Array, ad: Uint8Array, tag: number): [Uint8Array, Buffer, Buffer] => {
    const state = load(address);
    const cipher = crypto.createCipheriv('chacha20-poly1305', state.key, state.nonce, { authTagLength: MAC_BYTES });
    cipher.setAAD(ad, { plaintextLength: 64 + message.length });
    const block = Buffer.alloc(64);
    block[0] = tag;
    const encryptedTag = cipher.update(block)[0]!;
    const ciphertext = cipher.update(message);
    cipher.final();
    const mac = cipher.getAuthTag();
    advance(state, mac, tag);
    storeAndWipe(address, state);
    return [Uint8Array.of(encryptedTag), ciphertext, mac];
  };
  const nativePush = (address: number, message: Uint8Array, ad: Uint8Array, tag: number): Buffer => Buffer.concat(nativeParts(address, message, ad, tag));

  const nativePull = (address: number, frame: Uint8Array, ad: Uint8Array): { message: Buffer; tag: number } | null => {
    const length = frame.length - ABYTES;
    const state = load(address);
    const mac = frame.subarray(1 + length);
    const block = keystreamXor(state.key, 1, state.nonce, ZERO_BLOCK);
    block[0] = frame[0]!;
    const decipher = crypto.createDecipheriv('chacha20-poly1305', state.key, state.nonce, { authTagLength: MAC_BYTES });
    decipher.setAAD(ad, { plaintextLength: 64 + length });
    decipher.setAuthTag(mac);
    const tag = decipher.update(block)[0]!;
    const message = decipher.update(frame.subarray(1, 1 + length));
    try {
      decipher.final(); // checks the MAC: nothing is returned before this
    } catch {
      message.fill(0);
      wipeCopy(state);
      return null;
    }
    advance(state, mac, tag);
    storeAndWipe(address, state);
    return { message, tag };
  };

  const wipe = (address: number): void => {
    sodium.libsodium.HEAPU8.fill(0, address, address + STATE_BYTES);
    sodium.libsodium._free(address);
  };

  /**
   * Whether this runtime's crypto can take the native path: Electron's BoringSSL has neither 'chacha20'
   * nor 'chacha20-poly1305' behind createCipheriv, so the desktop app uses libsodium throughout, and the
   * CLI (Node's OpenSSL) the fast path. Decided once, by a known-answer check against libsodium (two
   * frames, one with REKEY) rather than by a cipher list, which some runtimes report wrongly.
   */
  const selfTest = (): boolean => {
    const key = crypto.randomBytes(32);
    const header = crypto.randomBytes(24);
    const ad = crypto.randomBytes(32);
    const message = crypto.randomBytes(64 * 1024);
    const reference = sodium.crypto_secretstream_xchacha20poly1305_init_pull(header, key) as number;
    const candidate = sodium.crypto_secretstream_xchacha20poly1305_init_pull(header, key) as number;
    try {
      return [TAG_REKEY, TAG_MESSAGE].every((tag) => {
        const expected = Buffer.from(sodium.crypto_secretstream_xchacha20poly1305_push(reference, message, ad, tag));
        return nativePush(candidate, message, ad, tag).equals(expected);
      });
    } catch {
      return false; // Unknown cipher
    } finally {
      for (const address of [reference, candidate]) wipe(address);
      key.fill(0);
    }
  };
  let nativeWorks: boolean | undefined;
  /** Frames whose length libsodium pads like RFC 8439 go native, where the runtime supports it. */
  const goesNative = (messageLength: number): boolean => messageLength % 8 === 0 && (nativeWorks ??= selfTest());

  return {
    TAG_MESSAGE,
    TAG_FINAL,
    ABYTES,

    /** True when full chunks are computed by node:crypto (decided on first use; false under Electron). */
    get native(): boolean {
      return goesNative(0);
    },

    initPush(key: Uint8Array): { state: number; header: Uint8Array } {
      const { state, header } = sodium.crypto_secretstream_xchacha20poly1305_init_push(key);
      return { state: state as number, header };
    },

    initPull(header: Uint8Array, key: Uint8Array): number {
      return sodium.crypto_secretstream_xchacha20poly1305_init_pull(header, key) as number;
    },

    /** One frame: encrypted tag ‖ ciphertext ‖ MAC (message.length + ABYTES bytes). */
    push(address: number, message: Uint8Array, ad: Uint8Array, tag: number): Buffer {
      if (goesNative(message.length)) return nativePush(address, message, ad, tag);
      return Buffer.from(sodium.crypto_secretstream_xchacha20poly1305_push(address, message, ad, tag));
    },

    /**
     * The same frame as push(), as pieces to be laid end to end (encrypted tag, ciphertext, MAC on the
     * native path): the caller copies them where the frame goes instead of through a frame-sized buffer.
     */
    pushParts(address: number, message: Uint8Array, ad: Uint8Array, tag: number): Uint8Array[] {
      if (goesNative(message.length)) return nativeParts(address, message, ad, tag);
      return [sodium.crypto_secretstream_xchacha20poly1305_push(address, message, ad, tag)];
    },

    /** Authenticates and decrypts one frame; null if it fails, with the state unchanged (as in libsodium). */
    pull(address: number, frame: Uint8Array, ad: Uint8Array): { message: Buffer; tag: number } | null {
      if (frame.length < ABYTES) return null;
      if (goesNative(frame.length - ABYTES)) return nativePull(address, frame, ad);
      const opened = sodium.crypto_secretstream_xchacha20poly1305_pull(address, frame, ad);
      if (!opened) return null;
      const message = Buffer.from(opened.message);
      opened.message.fill(0);
      return { message, tag: opened.tag };
    },

    /** Zeroes the state (it holds the stream key) and frees it. */
    wipe,
  };
}

export type Secretstream = ReturnType<typeof defineSecretstream>;

let mainThreadStream: Secretstream | undefined;
/** This thread's instance, over the process's libsodium (call after loadSodium() resolved). */
export function secretstreamSync(): Secretstream {
  mainThreadStream ??= defineSecretstream(nodeCrypto, sodiumSync() as unknown as SecretstreamSodium);
  return mainThreadStream;
}
