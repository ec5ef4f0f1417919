import sodiumModule from 'libsodium-wrappers-sumo';

/**
 * One libsodium instance for the whole process. We use the `-sumo` build because only it ships
 * `crypto_pwhash` (Argon2id); the standard build would force a weaker or hand-rolled KDF.
 */
export type Sodium = typeof sodiumModule;

let readyPromise: Promise<Sodium> | undefined;
let loaded: Sodium | undefined;

/** Resolves once the WebAssembly module is initialised; safe to call any number of times. */
export function loadSodium(): Promise<Sodium> {
  readyPromise ??= sodiumModule.ready.then(() => {
    loaded = sodiumModule;
    return sodiumModule;
  });
  return readyPromise;
}

/**
 * Synchronous access for code paths that can only run after a vault was created or unlocked (which
 * awaited `loadSodium`). Throwing here means a programming error, not a user error.
 */
export function sodiumSync(): Sodium {
  if (!loaded) throw new Error('libsodium used before loadSodium() resolved');
  return loaded;
}
