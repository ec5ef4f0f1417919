import { createRequire } from 'node:module';

/**
 * libsodium itself, through sodium-native's N-API binding (prebuilt binaries inside the npm package: nothing
 * is compiled or downloaded at install). N-API is the same ABI in Node and Electron, so the CLI and the app
 * get the same native code: ~1.2–1.6 GB/s for secretstream on one core here, against ~0.35 GB/s for
 * libsodium's WebAssembly build, and Electron's BoringSSL offers no ChaCha20 to fall back on.
 *
 * Optional by design: where the binary cannot load (a platform without a prebuild, a packaging mistake),
 * or SAFEHOUSE_NATIVE_SODIUM=0 is set (tests and the benchmark measure that path), the callers use
 * libsodium-wrappers-sumo instead, which computes the same bytes.
 */

/** The functions Safehouse uses. sodium-native checks lengths itself and throws on a failed operation. */
export interface NativeSodium {
  crypto_secretstream_xchacha20poly1305_STATEBYTES: number;
  crypto_secretstream_xchacha20poly1305_init_push(state: Uint8Array, header: Uint8Array, key: Uint8Array): void;
  crypto_secretstream_xchacha20poly1305_init_pull(state: Uint8Array, header: Uint8Array, key: Uint8Array): void;
  crypto_secretstream_xchacha20poly1305_push(state: Uint8Array, frame: Uint8Array, message: Uint8Array, ad: Uint8Array | null, tag: number): number;
  crypto_secretstream_xchacha20poly1305_pull(state: Uint8Array, message: Uint8Array, tag: Uint8Array, frame: Uint8Array, ad: Uint8Array | null): number;
  crypto_generichash_STATEBYTES: number;
  crypto_generichash_init(state: Uint8Array, key: Uint8Array | null, outputLength: number): void;
  crypto_generichash_update(state: Uint8Array, input: Uint8Array): void;
  crypto_generichash_final(state: Uint8Array, output: Uint8Array): void;
  sodium_memzero(bytes: Uint8Array): void;
}

let loaded: NativeSodium | null | undefined;

/** sodium-native, or null where it cannot load (or is switched off); decided once per thread. */
export function nativeSodium(): NativeSodium | null {
  if (loaded !== undefined) return loaded;
  if (process.env['SAFEHOUSE_NATIVE_SODIUM'] === '0') return (loaded = null);
  try {
    loaded = createRequire(import.meta.url)('sodium-native') as NativeSodium;
  } catch {
    loaded = null; // libsodium-wrappers-sumo takes over: slower, same bytes
  }
  return loaded;
}
