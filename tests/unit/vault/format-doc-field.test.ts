/* eslint-disable @typescript-eslint/no-explicit-any -- the test reads the files as a foreign reader would: untyped JSON */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import sodium from 'libsodium-wrappers-sumo';
import { expect, it } from 'vitest';
import { panicVault } from '../../../src/main/core/vault/panic';
import { createVault } from '../../../src/main/core/vault/vault';
import { PASS, tempDir } from './helpers';

/**
 * docs/vault-format.md §Recipient cards, §Field vaults: the HQ pin and §Panic, followed with libsodium only:
 * the files Safehouse writes are checked by the rules as written, so the document and the code cannot drift.
 */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).filter((k) => (value as any)[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as any)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
const bytes = (b64: string) => sodium.from_base64(b64, sodium.base64_variants.ORIGINAL);
const verify = (sig: string, message: string, key: string) => sodium.crypto_sign_verify_detached(bytes(sig), sodium.from_string(message), bytes(key));

it('a card, the field pin, a recipient set and a panic record verify as the document says', async () => {
  await sodium.ready;
  const root = await tempDir();
  const hq = await createVault(path.join(root, 'hq'), PASS);
  const fieldDir = path.join(root, 'field');
  const field = await createVault(fieldDir, 'field crew passphrase', { kind: 'field', hqRecipientCard: hq.exportRecipientCard() });
  await field.applyRecipientSet(JSON.stringify(hq.signRecipientSet()));
  hq.lock();

  const header = JSON.parse(await fs.readFile(path.join(fieldDir, 'vault.json'), 'utf8'));
  const card = header.hq.card;
  // §Recipient cards: fingerprint, then signature by the card's own signing key
  let text = 'safehouse/v1/recipient-card\n';
  for (const slot of ['master', 'proxy', 'identity']) if (card.keys[slot]) text += `${slot}:${card.keys[slot]}\n`;
  text += `signing:${card.signing}\n`;
  expect(sodium.to_hex(sodium.crypto_generichash(32, sodium.from_string(text), null)).slice(0, 32)).toBe(card.fingerprint);
  const { sig: cardSig, ...cardRest } = card;
  expect(card.version).toBe(2);
  expect(verify(cardSig, `safehouse/v2/recipient-card\n${canonical(cardRest)}`, card.signing)).toBe(true);
  // §Field vaults: the set is signed by the pinned key, and the keys in use are its lists
  const { set, sig: setSig } = header.hq.set;
  expect(set).toMatchObject({ format: 'safehouse-recipient-set', version: 1, signer: card.signing });
  expect(verify(setSig, `safehouse/v1/recipient-set\n${canonical(set)}`, card.signing)).toBe(true);
  for (const cls of ['master', 'identity']) {
    expect([header.keys[cls].publicKey, ...header.recipients[cls].map((r: any) => r.publicKey)]).toEqual(set.keys[cls]);
    expect(header.keys[cls].wrapped).toBeUndefined();
  }

  // §Panic: the header keeps public facts only; panic.json is signed by the device key
  await panicVault(fieldDir, { unlocked: field });
  const after = JSON.parse(await fs.readFile(path.join(fieldDir, 'vault.json'), 'utf8'));
  expect(Object.keys(after).sort()).toEqual(['format', 'id', 'keys', 'kind', 'panickedAt', 'signing', 'version']);
  const record = JSON.parse(await fs.readFile(path.join(fieldDir, 'panic.json'), 'utf8'));
  const { sig: panicSig, ...panicRest } = record;
  expect(record.device).toBe(header.signing.publicKey);
  expect(verify(panicSig, `safehouse/v1/panic\n${canonical(panicRest)}`, header.signing.publicKey)).toBe(true);
}, 60_000);
