import { promises as fs } from 'node:fs';
import path from 'node:path';
import sodium from 'libsodium-wrappers-sumo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSafehouse } from '../../../src/main/core/app';
import { newSigningKey } from '../../../src/main/core/vault/keys';
import { readRecipientSet, signRecipientSet } from '../../../src/main/core/vault/recipient-set';
import { makeRecipientCard, signRecipientCard } from '../../../src/main/core/vault/recipients';
import { createVault, fingerprintWords, readRecipientCard, unlockVault, type RecipientCard, type UnlockedVault } from '../../../src/main/core/vault/vault';
import { decryptFromDoc } from './doc-decrypt';
import { PASS, expectCode, objectPath, tempDir } from './helpers';

/** Signed recipient cards (v2) and HQ-signed recipient sets: the pure rules, and the legitimate way to add an HQ key. */
let root: string;
let hq: UnlockedVault;
let card: RecipientCard;

beforeAll(async () => {
  await sodium.ready;
  root = await tempDir();
  hq = await createVault(path.join(root, 'hq'), PASS);
  card = hq.exportRecipientCard();
}, 60_000);
afterAll(() => hq.lock());

describe('signed recipient cards', () => {
  it('export is version 2, signed by the vault device key, and reads back', () => {
    expect(card).toMatchObject({ version: 2, signing: Buffer.from(hq.signingPublicKey).toString('base64') });
    expect(readRecipientCard(JSON.stringify(card))).toEqual(card);
    expect(fingerprintWords(card)).toMatch(/^([0-9A-F]{4} ){7}[0-9A-F]{4}$/);
  });

  const otherKey = () => Buffer.from(sodium.crypto_box_keypair().publicKey).toString('base64');
  const tampered: [string, (c: RecipientCard) => unknown][] = [
    ['a flipped signature byte', (c) => ({ ...c, sig: Buffer.from(Buffer.from(c.sig!, 'base64').map((b, i) => (i === 0 ? b ^ 1 : b))).toString('base64') })],
    ['a key swapped and the fingerprint recomputed', (c) => {
      const keys = { ...c.keys, master: otherKey() };
      return { ...c, keys, fingerprint: makeRecipientCard(keys, c.signing).fingerprint };
    }],
    ['the signing key swapped (fingerprint recomputed)', (c) => {
      const signing = Buffer.from(newSigningKey().publicKey).toString('base64');
      return { ...c, signing, fingerprint: makeRecipientCard(c.keys, signing).fingerprint };
    }],
    ['the signature removed', (c) => ({ ...c, sig: undefined })],
    ['version 2 without a signing key', (c) => ({ ...c, signing: undefined })],
  ];
  it.each(tampered)('refuses a card with %s', async (_name, change) => {
    await expectCode(() => readRecipientCard(JSON.stringify(change(card))), 'RECIPIENT_CARD_INVALID');
  });

  it('a field vault refuses an unsigned (v1) card with a clear error, through the core and the contract', async () => {
    const v1 = makeRecipientCard({ master: card.keys.master!, identity: card.keys.identity!, proxy: card.keys.proxy! }, card.signing);
    await expectCode(createVault(path.join(root, 'from-v1'), 'field crew passphrase', { kind: 'field', hqRecipientCard: v1 }), 'RECIPIENT_CARD_UNSIGNED');
    const app = createSafehouse();
    const created = await app.call('vault.create', { dir: path.join(root, 'from-v1-contract'), passphrase: 'field crew passphrase', kind: 'field', hqRecipientCard: JSON.stringify(v1) });
    expect(!created.ok && created.error).toMatchObject({ code: 'RECIPIENT_CARD_UNSIGNED', message: expect.stringMatching(/not signed/) });
    await app.close();
    await expect(fs.readdir(path.join(root, 'from-v1'))).rejects.toMatchObject({ code: 'ENOENT' });
  }, 60_000);
});

describe('recipient sets', () => {
  const signer = () => newSigningKey();
  const keys = () => ({ master: [Buffer.alloc(32, 1).toString('base64')], identity: [Buffer.alloc(32, 2).toString('base64')] });
  const pinnedOf = (key: { publicKey: Uint8Array }) => Buffer.from(key.publicKey).toString('base64');

  it('reads a set signed by the pinned key', () => {
    const key = signer();
    const set = signRecipientSet(keys(), key);
    expect(readRecipientSet(JSON.stringify(set), pinnedOf(key)).set.keys).toEqual(keys());
  });

  const bad: [string, (key: ReturnType<typeof signer>) => [unknown, string]][] = [
    ['signed by another key', (key) => [signRecipientSet(keys(), signer()), pinnedOf(key)]],
    ['naming the pinned signer but signed by another', (key) => {
      const set = signRecipientSet(keys(), signer());
      return [{ ...set, set: { ...set.set, signer: pinnedOf(key) } }, pinnedOf(key)];
    }],
    ['with a key added after signing', (key) => {
      const set = signRecipientSet(keys(), key);
      return [{ ...set, set: { ...set.set, keys: { ...set.set.keys, master: [...set.set.keys.master, Buffer.alloc(32, 9).toString('base64')] } } }, pinnedOf(key)];
    }],
    ['with an empty master list', (key) => [signRecipientSet({ master: [], identity: keys().identity }, key), pinnedOf(key)]],
    ['that is not JSON', (key) => ['{', pinnedOf(key)]],
  ];
  it.each(bad)('refuses a set %s', async (_name, make) => {
    const [set, pinned] = make(signer());
    await expectCode(() => readRecipientSet(typeof set === 'string' ? set : JSON.stringify(set), pinned), 'RECIPIENT_SET_INVALID');
  });
});

describe('adding a second HQ key the legitimate way', () => {
  it('HQ adds it, signs the set; the field vault applies it, seals to both, and refuses a replay', async () => {
    const fieldDir = path.join(root, 'field');
    const field = await createVault(fieldDir, 'field crew passphrase', { kind: 'field', hqRecipientCard: card });
    expect(field.info.hqFingerprint).toBe(fingerprintWords(card));
    const second = sodium.crypto_box_keypair();
    const secondB64 = Buffer.from(second.publicKey).toString('base64');
    await hq.addRecipient('master', makeRecipientCard({ master: secondB64 }), 'Second producer');
    const earlier = JSON.stringify(hq.signRecipientSet());
    await new Promise((resolve) => setTimeout(resolve, 5));
    const set = JSON.stringify(hq.signRecipientSet());
    await field.applyRecipientSet(set);
    await expectCode(field.applyRecipientSet(earlier), 'RECIPIENT_SET_INVALID'); // older than the one applied
    await expectCode(field.applyRecipientSet(set), 'RECIPIENT_SET_INVALID'); // not newer: a replay
    const { id } = await field.writeObject('master', Buffer.from('for both producers'));
    const opened = await decryptFromDoc(await fs.readFile(objectPath(fieldDir, id)), id, second.publicKey, second.privateKey);
    expect(Buffer.from(opened.data).toString()).toBe('for both producers');
    field.lock();
    const again = await unlockVault(fieldDir, 'field crew passphrase');
    expect(again.info.recipients.master).toHaveLength(2);
    expect(again.info.hqFingerprint).toBe(fingerprintWords(card));
    await expectCode(again.applyRecipientSet(earlier), 'RECIPIENT_SET_INVALID'); // still, after a re-unlock
    again.lock();
  }, 60_000);

  it('only a vault holding master and identity can sign a set; only a field vault applies one', async () => {
    const field = await createVault(path.join(root, 'field-2'), 'field crew passphrase', { kind: 'field', hqRecipientCard: card });
    await expectCode(() => field.signRecipientSet(), 'KEY_CLASS_UNAVAILABLE');
    await expectCode(hq.applyRecipientSet(JSON.stringify(hq.signRecipientSet())), 'RECIPIENT_SET_INVALID');
    field.lock();
  }, 60_000);

  it('a card signed by someone else still pins that someone (compare the fingerprint aloud)', async () => {
    const foreign = signRecipientCard({ master: card.keys.master!, identity: card.keys.identity! }, newSigningKey());
    const field = await createVault(path.join(root, 'field-3'), 'field crew passphrase', { kind: 'field', hqRecipientCard: foreign });
    expect(field.info.hqFingerprint).not.toBe(fingerprintWords(card));
    field.lock();
  }, 60_000);
});
