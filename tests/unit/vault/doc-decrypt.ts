/* eslint-disable @typescript-eslint/no-explicit-any -- tests poke at parsed JSON headers */
import sodium from 'libsodium-wrappers-sumo';

/**
 * An independent decryptor written from docs/vault-format.md, using libsodium calls only — it imports
 * nothing from src/main/core/vault, so if the code drifts from the document, the tests using this fail.
 */

export async function deriveKekFromDoc(passphrase: string, header: any): Promise<Uint8Array> {
  await sodium.ready;
  const salt = sodium.from_base64(header.kdf.salt, sodium.base64_variants.ORIGINAL);
  return sodium.crypto_pwhash(32, sodium.from_string(passphrase.normalize('NFC')), salt, header.kdf.opsLimit, header.kdf.memLimit,
    sodium.crypto_pwhash_ALG_ARGON2ID13);
}

export function unwrapFromDoc(kek: Uint8Array, vaultId: string, slot: string, wrappedB64: string): Uint8Array {
  const wrapped = sodium.from_base64(wrappedB64, sodium.base64_variants.ORIGINAL);
  return sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, wrapped.subarray(24), `safehouse/v1/wrap:${vaultId}:${slot}`,
    wrapped.subarray(0, 24), kek);
}

export async function decryptFromDoc(bytes: Uint8Array, expectedId: string | null, publicKey: Uint8Array, secretKey: Uint8Array):
  Promise<{ cls: number; id: string; meta: any; data: Uint8Array }> {
  await sodium.ready;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // 1. fixed header
  if (sodium.to_string(bytes.subarray(0, 8)) !== 'SAFEHOBJ') throw new Error('magic');
  if (bytes[8] !== 1) throw new Error('version');
  const cls = bytes[9]!;
  const count = dv.getUint16(10, true);
  const id = sodium.to_hex(bytes.subarray(12, 28));
  if (expectedId !== null && id !== expectedId) throw new Error('id mismatch');
  const streamHeader = bytes.subarray(28, 52);
  // 2. find our sealed file key
  let fileKey: Uint8Array | null = null;
  for (let i = 0; i < count && !fileKey; i++) {
    try {
      fileKey = sodium.crypto_box_seal_open(bytes.subarray(52 + 80 * i, 52 + 80 * (i + 1)), publicKey, secretKey);
    } catch { /* next slot */ }
  }
  if (!fileKey) throw new Error('not a recipient');
  // 3. subkeys and MAC
  const macKey = sodium.crypto_kdf_derive_from_key(32, 1, 'SHOBJECT', fileKey);
  const streamKey = sodium.crypto_kdf_derive_from_key(32, 2, 'SHOBJECT', fileKey);
  const headerEnd = 52 + 80 * count;
  const mac = bytes.subarray(headerEnd, headerEnd + 32);
  if (!sodium.memcmp(sodium.crypto_generichash(32, bytes.subarray(0, headerEnd), macKey), mac)) throw new Error('MAC');
  // 4. stream: metadata message, then 65553-byte frames, last one TAG_FINAL with nothing after it
  const state = sodium.crypto_secretstream_xchacha20poly1305_init_pull(streamHeader, streamKey);
  let at = headerEnd + 32;
  const metaLen = dv.getUint32(at, true);
  at += 4;
  const m = sodium.crypto_secretstream_xchacha20poly1305_pull(state, bytes.subarray(at, at + metaLen), mac);
  if (!m || m.tag !== sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE) throw new Error('meta');
  at += metaLen;
  const parts: Uint8Array[] = [];
  for (;;) {
    const n = Math.min(65553, bytes.length - at);
    if (n < 17) throw new Error('no TAG_FINAL');
    const r = sodium.crypto_secretstream_xchacha20poly1305_pull(state, bytes.subarray(at, at + n), mac);
    if (!r) throw new Error('frame');
    at += n;
    parts.push(r.message);
    if (r.tag === sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL) {
      if (at !== bytes.length) throw new Error('trailing bytes');
      break;
    }
    if (n !== 65553) throw new Error('short non-final frame');
  }
  return { cls, id, meta: JSON.parse(sodium.to_string(m.message)), data: Buffer.concat(parts) };
}
