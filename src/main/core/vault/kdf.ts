import { createRequire } from 'node:module';
import { spawn } from 'node:child_process';
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
 * The Argon2id derivation runs in a short-lived child process (plain Node; in Electron the Electron binary
 * with ELECTRON_RUN_AS_NODE=1), which exits right after:
 * - the ~256 MiB WebAssembly heap Argon2id needs at MODERATE never counts toward this process (a
 *   WebAssembly memory never shrinks; even in a worker thread it raised this process's peak RSS);
 * - the ~1 s of hashing does not block the thread that runs the Electron main process / the CLI.
 * Plain CommonJS given with -e, so it runs the same under vitest, the electron-vite build and Electron;
 * the library is required by the absolute path resolved here.
 * Key material moves through pipes only, never argv or the environment (both visible to other processes):
 * the passphrase bytes go in on stdin after a JSON line of parameters (this side wipes its copy after the
 * write); the child wipes its copies and writes the 32 key bytes to stdout, which this side copies into one
 * buffer and wipes the pieces of.
 */
const KDF_CHILD_SOURCE = `
const chunks = [];
process.stdin.on('data', (chunk) => chunks.push(chunk));
process.stdin.on('end', () => {
  const input = Buffer.concat(chunks);
  for (const chunk of chunks) chunk.fill(0);
  const newline = input.indexOf(10);
  const job = JSON.parse(input.subarray(0, newline).toString('utf8'));
  const password = new Uint8Array(input.subarray(newline + 1));
  input.fill(0);
  const sodium = require(job.sodiumPath);
  sodium.ready.then(() => {
    let key = null;
    try {
      key = sodium.crypto_pwhash(job.keyBytes, password, Buffer.from(job.salt, 'hex'), job.opsLimit, job.memLimit, sodium.crypto_pwhash_ALG_ARGON2ID13);
      process.stdout.write(Buffer.from(key), () => process.exit(0));
    } catch (error) {
      process.stderr.write(String((error && error.message) || error));
      process.exitCode = 1;
    } finally {
      sodium.memzero(password);
      if (key) sodium.memzero(key);
    }
  });
});
`;

let sodiumPath: string | undefined;

function pwhashInChild(password: Uint8Array, salt: Uint8Array, params: KdfParams): Promise<Uint8Array> {
  sodiumPath ??= createRequire(import.meta.url).resolve('libsodium-wrappers-sumo');
  const child = spawn(process.execPath, ['-e', KDF_CHILD_SOURCE], {
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    stdio: ['pipe', 'pipe', 'pipe'],
    windowsHide: true,
  });
  const job = JSON.stringify({ sodiumPath, salt: Buffer.from(salt).toString('hex'), opsLimit: params.opsLimit, memLimit: params.memLimit, keyBytes: KEK_BYTES });
  const input = Buffer.concat([Buffer.from(`${job}\n`), password]);
  return new Promise<Uint8Array>((resolve, reject) => {
    const out: Buffer[] = [];
    let err = '';
    const wipe = () => {
      for (const chunk of out) chunk.fill(0);
    };
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
    child.once('error', (error) => {
      input.fill(0);
      wipe();
      reject(error);
    });
    child.once('close', (code) => {
      const key = new Uint8Array(Buffer.concat(out));
      wipe();
      if (code === 0 && key.length === KEK_BYTES) resolve(key);
      else {
        key.fill(0);
        reject(new Error(`Argon2id failed: ${err.trim() || `the key-derivation process exited (${String(code)}) without a key`}`));
      }
    });
    child.stdin.once('error', () => undefined); // reported through 'close'
    child.stdin.end(input, () => input.fill(0));
  });
}

/**
 * Derives the 32-byte KEK. The passphrase is NFC-normalised then UTF-8 encoded, so the same words typed
 * on two keyboards (composed vs decomposed accents) open the vault. The caller must memzero the result.
 * The parameters are checked before anything runs; the hashing itself runs in a child process (see above).
 *
 * Note: JavaScript strings cannot be wiped, so the passphrase string itself lingers until
 * garbage-collected — a known limit of doing this in JS.
 */
export async function deriveKek(passphrase: string, salt: Uint8Array, params: KdfParams): Promise<Uint8Array> {
  assertSafeKdfParams({ ...params, saltLength: salt.length });
  const sodium = await loadSodium();
  const pw = sodium.from_string(passphrase.normalize('NFC'));
  try {
    return await pwhashInChild(pw, salt, params);
  } finally {
    sodium.memzero(pw); // the child got its own copy through the pipe
  }
}
