import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { SafehouseError } from '../../../shared/errors';
import { loadSodium } from './sodium';

/**
 * Passphrase → key-encryption key (KEK) with Argon2id (libsodium `crypto_pwhash`, ALG_ARGON2ID13).
 *
 * The parameters live in vault.json, which an attacker can edit. Two ways that hurts if obeyed blindly:
 * - parameters lowered → a vault re-saved by us would be cheaper to brute-force;
 * - parameters raised absurdly (64 GiB, 1e9 passes) → unlock hangs or the process dies (denial of service).
 * So every parameter set is checked against fixed bounds BEFORE the KDF runs, on create and on unlock.
 */

export const KDF_ALG = 'argon2id13' as const;
/** libsodium constants, fixed here so the bounds do not depend on the library being loaded. */
export const OPSLIMIT_MODERATE = 3;
export const MEMLIMIT_MODERATE = 256 * 1024 * 1024;
/** Ceilings: generous for future hardening, low enough that a hostile header cannot exhaust a laptop. */
export const OPSLIMIT_MAX = 16;
export const MEMLIMIT_MAX = 1024 * 1024 * 1024;
export const SALT_BYTES = 16; // crypto_pwhash_SALTBYTES
export const KEK_BYTES = 32;
export const MIN_PASSPHRASE_CHARS = 12;

export interface KdfParams {
  opsLimit: number;
  memLimit: number;
}

export const DEFAULT_KDF: KdfParams = { opsLimit: OPSLIMIT_MODERATE, memLimit: MEMLIMIT_MODERATE };

/** Throws VAULT_UNSAFE_PARAMETERS unless MODERATE ≤ params ≤ ceiling. Cheap: never runs the KDF. */
export function assertSafeKdfParams(params: { alg?: string; opsLimit: number; memLimit: number; saltLength?: number }): void {
  const { opsLimit, memLimit } = params;
  const ok =
    (params.alg === undefined || params.alg === KDF_ALG) &&
    Number.isSafeInteger(opsLimit) &&
    Number.isSafeInteger(memLimit) &&
    opsLimit >= OPSLIMIT_MODERATE &&
    opsLimit <= OPSLIMIT_MAX &&
    memLimit >= MEMLIMIT_MODERATE &&
    memLimit <= MEMLIMIT_MAX &&
    (params.saltLength === undefined || params.saltLength === SALT_BYTES);
  if (!ok) {
    throw new SafehouseError(
      'VAULT_UNSAFE_PARAMETERS',
      `The vault asks for key-derivation settings outside the safe range (algorithm ${String(params.alg ?? KDF_ALG)}, ` +
        `${String(opsLimit)} passes, ${String(memLimit)} bytes; allowed ${OPSLIMIT_MODERATE}–${OPSLIMIT_MAX} passes, ` +
        `${MEMLIMIT_MODERATE}–${MEMLIMIT_MAX} bytes). It may have been tampered with; it was not opened.`,
    );
  }
}

/** Rejects passphrases a person could guess offline in reasonable time even with Argon2id. */
export function assertStrongPassphrase(passphrase: string): void {
  if ([...passphrase.normalize('NFC')].length < MIN_PASSPHRASE_CHARS) throw new SafehouseError('WEAK_PASSPHRASE');
}

/**
 * The Argon2id derivation runs in a worker thread with its own libsodium instance, terminated right after:
 * - the ~256 MiB WebAssembly heap Argon2id needs at MODERATE is released with the worker (a WebAssembly
 *   memory never shrinks, so in the shared instance it stayed in the process for good);
 * - the ~1 s of hashing no longer blocks the thread that runs the Electron main process / the CLI.
 * Plain CommonJS evaluated as a string, so it runs the same under vitest, the electron-vite build and
 * Electron; the library is required by the absolute path resolved here. The passphrase bytes and salt are
 * copied in with workerData (then wiped on this side by the caller and in the worker after use); the key
 * comes back by postMessage and the worker wipes its own copy before exiting.
 */
const KDF_WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const sodium = require(workerData.sodiumPath);
sodium.ready.then(() => {
  const { password, salt, opsLimit, memLimit, keyBytes } = workerData;
  let key = null;
  try {
    key = sodium.crypto_pwhash(keyBytes, password, salt, opsLimit, memLimit, sodium.crypto_pwhash_ALG_ARGON2ID13);
    parentPort.postMessage({ key });
  } catch (error) {
    parentPort.postMessage({ error: String((error && error.message) || error) });
  } finally {
    sodium.memzero(password);
    if (key) sodium.memzero(key);
  }
}, (error) => parentPort.postMessage({ error: String((error && error.message) || error) }));
`;

let sodiumPath: string | undefined;

function pwhashInWorker(password: Uint8Array, salt: Uint8Array, params: KdfParams): Promise<Uint8Array> {
  sodiumPath ??= createRequire(import.meta.url).resolve('libsodium-wrappers-sumo');
  const worker = new Worker(KDF_WORKER_SOURCE, {
    eval: true,
    workerData: { sodiumPath, password, salt, opsLimit: params.opsLimit, memLimit: params.memLimit, keyBytes: KEK_BYTES },
  });
  return new Promise<Uint8Array>((resolve, reject) => {
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
      void worker.terminate();
    };
    worker.once('message', (message: { key?: Uint8Array; error?: string }) =>
      settle(() => (message.key?.length === KEK_BYTES ? resolve(message.key) : reject(new Error(`Argon2id failed: ${message.error ?? 'no key'}`)))),
    );
    worker.once('error', (error) => settle(() => reject(error)));
    worker.once('exit', (code) => settle(() => reject(new Error(`the key-derivation worker exited (${code}) without a key`))));
  });
}

/**
 * Derives the 32-byte KEK. The passphrase is NFC-normalised then UTF-8 encoded, so the same words typed
 * on two keyboards (composed vs decomposed accents) open the vault. The caller must memzero the result.
 * The parameters are checked before anything runs; the hashing itself runs in a worker (see above).
 *
 * Note: JavaScript strings cannot be wiped, so the passphrase string itself lingers until
 * garbage-collected — a known limit of doing this in JS.
 */
export async function deriveKek(passphrase: string, salt: Uint8Array, params: KdfParams): Promise<Uint8Array> {
  assertSafeKdfParams({ ...params, saltLength: salt.length });
  const sodium = await loadSodium();
  const pw = sodium.from_string(passphrase.normalize('NFC'));
  try {
    return await pwhashInWorker(pw, salt, params);
  } finally {
    sodium.memzero(pw); // the worker got its own copy (workerData is cloned when the worker is created)
  }
}
