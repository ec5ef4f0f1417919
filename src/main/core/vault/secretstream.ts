import { nativeSodium, type NativeSodium } from './native-sodium';
import { sodiumSync, type Sodium } from './sodium';

/**
 * libsodium's crypto_secretstream_xchacha20poly1305, the cipher of every vault object (object-format.ts,
 * docs/vault-format.md), from one of two engines that compute the same bytes:
 * - sodium-native (native libsodium, in Node and Electron alike), wherever it loads;
 * - libsodium-wrappers-sumo (the same C compiled to WebAssembly), where it does not.
 * tests/unit/vault/secretstream.test.ts checks that each opens the other's frames and that both push the
 * same frame from the same state, for every tag and length.
 *
 * The *Into calls write into memory the caller owns (a ring slot's scratch, the reader's batch buffer), so
 * the bulk path allocates nothing per frame. A state holds the stream key: wipe() it when the object ends.
 */

export const TAG_MESSAGE = 0;
export const TAG_FINAL = 3;
export const SECRETSTREAM_ABYTES = 17;
const HEADER_BYTES = 24;

/** A native state (bytes this thread owns) or a WebAssembly heap address (libsodium-wrappers). */
export type StreamState = Uint8Array | number;

export interface Secretstream {
  readonly engine: 'sodium-native' | 'libsodium-wasm';
  initPush(key: Uint8Array): { state: StreamState; header: Uint8Array };
  initPull(header: Uint8Array, key: Uint8Array): StreamState;
  /** Writes one frame, message.length + ABYTES bytes, at the start of `out`. */
  pushInto(state: StreamState, out: Uint8Array, message: Uint8Array, ad: Uint8Array, tag: number): void;
  push(state: StreamState, message: Uint8Array, ad: Uint8Array, tag: number): Uint8Array;
  /**
   * Authenticates and decrypts one frame into the start of `out` (frame.length − ABYTES bytes) and returns
   * its tag, or −1 when the frame fails: then neither the state nor `out` changed (as in libsodium).
   */
  pullInto(state: StreamState, out: Uint8Array, frame: Uint8Array, ad: Uint8Array): number;
  pull(state: StreamState, frame: Uint8Array, ad: Uint8Array): { message: Uint8Array; tag: number } | null;
  /** Zeroes the state (the stream key) and, for the WebAssembly engine, frees it. */
  wipe(state: StreamState): void;
}

/** push/pull over pushInto/pullInto, shared by both engines. */
function withCopies(engine: Omit<Secretstream, 'push' | 'pull'>): Secretstream {
  return {
    ...engine,
    push(state, message, ad, tag) {
      const frame = new Uint8Array(message.length + SECRETSTREAM_ABYTES);
      engine.pushInto(state, frame, message, ad, tag);
      return frame;
    },
    pull(state, frame, ad) {
      if (frame.length < SECRETSTREAM_ABYTES) return null;
      const message = Buffer.alloc(frame.length - SECRETSTREAM_ABYTES);
      const tag = engine.pullInto(state, message, frame, ad);
      return tag < 0 ? null : { message, tag };
    },
  };
}

export function nativeSecretstream(sodium: NativeSodium): Secretstream {
  const tagByte = new Uint8Array(1);
  const native = (state: StreamState): Uint8Array => {
    if (typeof state === 'number') throw new TypeError('a WebAssembly secretstream state given to the native engine');
    return state;
  };
  return withCopies({
    engine: 'sodium-native',
    initPush(key) {
      const state = new Uint8Array(sodium.crypto_secretstream_xchacha20poly1305_STATEBYTES);
      const header = new Uint8Array(HEADER_BYTES);
      sodium.crypto_secretstream_xchacha20poly1305_init_push(state, header, key);
      return { state, header };
    },
    initPull(header, key) {
      const state = new Uint8Array(sodium.crypto_secretstream_xchacha20poly1305_STATEBYTES);
      sodium.crypto_secretstream_xchacha20poly1305_init_pull(state, header, key);
      return state;
    },
    pushInto(state, out, message, ad, tag) {
      sodium.crypto_secretstream_xchacha20poly1305_push(native(state), out.subarray(0, message.length + SECRETSTREAM_ABYTES), message, ad, tag);
    },
    pullInto(state, out, frame, ad) {
      if (frame.length < SECRETSTREAM_ABYTES) return -1;
      try {
        sodium.crypto_secretstream_xchacha20poly1305_pull(native(state), out.subarray(0, frame.length - SECRETSTREAM_ABYTES), tagByte, frame, ad);
      } catch {
        return -1; // sodium-native throws on a frame that fails authentication
      }
      return tagByte[0]!;
    },
    wipe(state) {
      sodium.sodium_memzero(native(state));
    },
  });
}

/** libsodium-wrappers' states live in its WebAssembly heap (typings lack the heap: see `heap`). */
type WasmSodium = Sodium & { libsodium: { HEAPU8: Uint8Array; _free(address: number): void } };
const STATE_BYTES = 52; // key (32) ‖ nonce (12) ‖ padding (8), as in libsodium's state struct

export function wasmSecretstream(sodium: Sodium): Secretstream {
  const heap = (sodium as WasmSodium).libsodium;
  const address = (state: StreamState): number => {
    if (typeof state !== 'number') throw new TypeError('a native secretstream state given to the WebAssembly engine');
    return state;
  };
  return withCopies({
    engine: 'libsodium-wasm',
    initPush(key) {
      const { state, header } = sodium.crypto_secretstream_xchacha20poly1305_init_push(key);
      return { state: state as unknown as number, header };
    },
    initPull(header, key) {
      return sodium.crypto_secretstream_xchacha20poly1305_init_pull(header, key) as unknown as number;
    },
    pushInto(state, out, message, ad, tag) {
      const frame = sodium.crypto_secretstream_xchacha20poly1305_push(address(state) as never, message, ad, tag);
      out.set(frame);
    },
    pullInto(state, out, frame, ad) {
      if (frame.length < SECRETSTREAM_ABYTES) return -1;
      const opened = sodium.crypto_secretstream_xchacha20poly1305_pull(address(state) as never, frame, ad);
      if (!opened) return -1;
      out.set(opened.message);
      opened.message.fill(0); // the wrappers' copy of the plaintext
      return opened.tag;
    },
    wipe(state) {
      heap.HEAPU8.fill(0, address(state), address(state) + STATE_BYTES);
      heap._free(address(state));
    },
  });
}

let thisThread: Secretstream | undefined;
/** This thread's engine: native where sodium-native loads, else WebAssembly (after loadSodium() resolved). */
export function secretstreamSync(): Secretstream {
  if (thisThread) return thisThread;
  const native = nativeSodium();
  thisThread = native ? nativeSecretstream(native) : wasmSecretstream(sodiumSync());
  return thisThread;
}
