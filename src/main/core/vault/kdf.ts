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
 * Derives the 32-byte KEK. The passphrase is NFC-normalised then UTF-8 encoded, so the same words typed
 * on two keyboards (composed vs decomposed accents) open the vault. The caller must memzero the result.
 *
 * Note: this call is synchronous and takes ~1–2 s at MODERATE; JavaScript strings cannot be wiped, so the
 * passphrase string itself lingers until garbage-collected — a known limit of doing this in JS.
 */
export async function deriveKek(passphrase: string, salt: Uint8Array, params: KdfParams): Promise<Uint8Array> {
  assertSafeKdfParams({ ...params, saltLength: salt.length });
  const sodium = await loadSodium();
  const pw = sodium.from_string(passphrase.normalize('NFC'));
  try {
    return sodium.crypto_pwhash(KEK_BYTES, pw, salt, params.opsLimit, params.memLimit, sodium.crypto_pwhash_ALG_ARGON2ID13);
  } finally {
    sodium.memzero(pw);
  }
}
