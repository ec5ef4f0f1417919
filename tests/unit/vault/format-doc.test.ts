/* eslint-disable @typescript-eslint/no-explicit-any -- tests poke at parsed JSON headers */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import sodium from 'libsodium-wrappers-sumo';
import { expect, it } from 'vitest';
import { decryptFromDoc, deriveKekFromDoc, unwrapFromDoc } from './doc-decrypt';

/**
 * Follows docs/vault-format.md step by step with libsodium only (no import of src/main/core/vault) to open
 * the committed golden vault. If the code or the document drift apart, this fails.
 */
const golden = path.resolve(__dirname, '../../fixtures/golden');

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as any)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

it('decrypts the golden object following the document', async () => {
  await sodium.ready;
  const facts = JSON.parse(await fs.readFile(path.join(golden, 'golden.json'), 'utf8'));
  const header = JSON.parse(await fs.readFile(path.join(golden, 'vault/vault.json'), 'utf8'));
  const B64 = sodium.base64_variants.ORIGINAL;

  // §vault.json: the device key signs prefix ‖ canonical JSON without "sig"
  const { sig, ...unsigned } = header;
  const signedBytes = sodium.from_string(`safehouse/v1/vault.json\n${canonical(unsigned)}`);
  expect(sodium.crypto_sign_verify_detached(sodium.from_base64(sig, B64), signedBytes, sodium.from_base64(header.signing.publicKey, B64))).toBe(true);

  // §Key wrapping: KEK = Argon2id(passphrase), secrets = XChaCha20-Poly1305 with AD "safehouse/v1/wrap:<id>:<slot>"
  const kek = await deriveKekFromDoc(facts.passphrase, header);
  const proxySecret = unwrapFromDoc(kek, header.id, 'proxy', header.keys.proxy.wrapped);
  const proxyPublic = sodium.from_base64(header.keys.proxy.publicKey, B64);
  expect(sodium.to_hex(sodium.crypto_scalarmult_base(proxySecret))).toBe(sodium.to_hex(proxyPublic));
  const seed = unwrapFromDoc(kek, header.id, 'signing', header.signing.wrapped);
  expect(sodium.to_base64(sodium.crypto_sign_seed_keypair(seed).publicKey, B64)).toBe(header.signing.publicKey);
  // the wrong slot in the AD does not open (slots are bound)
  expect(() => unwrapFromDoc(kek, header.id, 'master', header.keys.proxy.wrapped)).toThrow();

  // §Objects
  const id = facts.objectId as string;
  const bytes = await fs.readFile(path.join(golden, 'vault/objects', id.slice(0, 2), id));
  const result = await decryptFromDoc(bytes, id, proxyPublic, proxySecret);
  expect(result.cls).toBe(1);
  expect(result.meta).toEqual(facts.meta);
  expect(sodium.to_string(result.data)).toBe(facts.plaintext);
}, 30_000);
