import { nativeSodium } from './native-sodium';
import { sodiumSync } from './sodium';

/** A BLAKE2b-256 hash in progress (a source's record), from sodium-native where it loads, else libsodium's WebAssembly. */
export interface Blake2b256 {
  /** `bytes` must not live in a SharedArrayBuffer: N-API cannot take one (copy a ring slot out first). */
  update(bytes: Uint8Array): void;
  /** 64 lower-case hex digits; the hash is finished. */
  hex(): string;
  /** Frees a WebAssembly state (a hash abandoned on an error path). No key is in it. */
  drop(): void;
}

const OUT_BYTES = 32;

export function createBlake2b256(): Blake2b256 {
  const native = nativeSodium();
  if (native) {
    const state = new Uint8Array(native.crypto_generichash_STATEBYTES);
    native.crypto_generichash_init(state, null, OUT_BYTES);
    return {
      update: (bytes) => native.crypto_generichash_update(state, bytes),
      hex() {
        const out = Buffer.alloc(OUT_BYTES);
        native.crypto_generichash_final(state, out);
        return out.toString('hex');
      },
      drop: () => undefined, // plain memory this thread owns, collected with the object
    };
  }
  const sodium = sodiumSync();
  let state: ReturnType<typeof sodium.crypto_generichash_init> | null = sodium.crypto_generichash_init(null, OUT_BYTES);
  const live = (): NonNullable<typeof state> => {
    if (state === null) throw new Error('BLAKE2b used after it was finished');
    return state;
  };
  return {
    update: (bytes) => sodium.crypto_generichash_update(live(), bytes),
    hex() {
      const digest = sodium.crypto_generichash_final(live(), OUT_BYTES, 'hex');
      state = null; // final released it
      return digest;
    },
    drop() {
      if (state === null) return;
      sodium.crypto_generichash_final(state, OUT_BYTES); // the wrappers free the state only here
      state = null;
    },
  };
}
