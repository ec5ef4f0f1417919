import { SafehouseError } from '../../../shared/errors';
import { sodiumSync } from './sodium';

/**
 * Key classes and secret wrapping.
 *
 * Each class (master / proxy / identity) is an X25519 key pair (`crypto_box_keypair`); objects are sealed
 * to every recipient public key of their class. The device signing key is Ed25519; we wrap its 32-byte
 * seed (not the 64-byte expanded key) so the format stays minimal and the public key can be re-derived
 * and checked on unlock.
 *
 * Wrapping: XChaCha20-Poly1305-IETF with the Argon2id KEK, a fresh random 24-byte nonce per wrap, and
 * associated data "safehouse/v1/wrap:<vault id>:<name>". The AD binds a wrapped secret to its vault and
 * slot, so an attacker who edits vault.json cannot move the proxy secret into the master slot or graft
 * another vault's wrapped key in.
 */

export type KeyClass = 'master' | 'proxy' | 'identity';
export const KEY_CLASSES: readonly KeyClass[] = ['master', 'proxy', 'identity'];
export type WrapSlot = KeyClass | 'signing';

export interface ClassKeyPair {
  publicKey: Uint8Array;
  privateKey: Uint8Array;
}

export function wrapAd(vaultId: string, slot: WrapSlot): string {
  return `safehouse/v1/wrap:${vaultId}:${slot}`;
}

/** Returns nonce ‖ ciphertext. */
export function wrapSecret(kek: Uint8Array, vaultId: string, slot: WrapSlot, secret: Uint8Array): Uint8Array {
  const sodium = sodiumSync();
  const nonce = sodium.randombytes_buf(sodium.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
  const ct = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(secret, wrapAd(vaultId, slot), null, nonce, kek);
  const out = new Uint8Array(nonce.length + ct.length);
  out.set(nonce, 0);
  out.set(ct, nonce.length);
  return out;
}

/** Returns the secret, or null when the KEK is wrong or the blob was altered (indistinguishable, by design). */
export function unwrapSecret(kek: Uint8Array, vaultId: string, slot: WrapSlot, wrapped: Uint8Array): Uint8Array | null {
  const sodium = sodiumSync();
  const n = sodium.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  if (wrapped.length < n + sodium.crypto_aead_xchacha20poly1305_ietf_ABYTES) return null;
  try {
    return sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, wrapped.subarray(n), wrapAd(vaultId, slot), wrapped.subarray(0, n), kek);
  } catch {
    return null;
  }
}

export function newClassKeyPair(): ClassKeyPair {
  const kp = sodiumSync().crypto_box_keypair();
  return { publicKey: kp.publicKey, privateKey: kp.privateKey };
}

/** X25519 secret → key pair, refusing a secret whose public key is not the one vault.json advertises. */
export function classKeyPairFromSecret(privateKey: Uint8Array, expectedPublic: Uint8Array): ClassKeyPair {
  const sodium = sodiumSync();
  const publicKey = sodium.crypto_scalarmult_base(privateKey);
  if (!sodium.memcmp(publicKey, expectedPublic)) throw new SafehouseError('VAULT_CORRUPT');
  return { publicKey, privateKey };
}

export interface SigningKey {
  seed: Uint8Array;
  publicKey: Uint8Array;
  /** 64-byte libsodium Ed25519 secret key (seed ‖ public key). */
  privateKey: Uint8Array;
}

export function signingKeyFromSeed(seed: Uint8Array): SigningKey {
  const kp = sodiumSync().crypto_sign_seed_keypair(seed);
  return { seed, publicKey: kp.publicKey, privateKey: kp.privateKey };
}

export function newSigningKey(): SigningKey {
  return signingKeyFromSeed(sodiumSync().randombytes_buf(sodiumSync().crypto_sign_SEEDBYTES));
}

export const b64 = {
  encode: (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64'),
  decode: (text: string, expectedLength?: number): Uint8Array => {
    const bytes = new Uint8Array(Buffer.from(text, 'base64'));
    if (expectedLength !== undefined && bytes.length !== expectedLength) throw new SafehouseError('VAULT_CORRUPT');
    return bytes;
  },
};
