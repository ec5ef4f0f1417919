import { promises as fs } from 'node:fs';
import path from 'node:path';
import sodium from 'libsodium-wrappers-sumo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRecipientCard } from '../../../src/main/core/vault/recipients';
import { createVault, fingerprintWords, readRecipientCard, unlockVault, type UnlockedVault } from '../../../src/main/core/vault/vault';
import { decryptFromDoc } from './doc-decrypt';
import { PASS, expectCode, objectPath, tempDir } from './helpers';

let hqDir: string;
let hq: UnlockedVault;
let fieldDir: string;
let field: UnlockedVault;

beforeAll(async () => {
  const root = await tempDir();
  hqDir = path.join(root, 'hq');
  fieldDir = path.join(root, 'field');
  hq = await createVault(hqDir, PASS);
  const card = readRecipientCard(JSON.stringify(hq.exportRecipientCard()));
  field = await createVault(fieldDir, 'field crew passphrase', { kind: 'field', hqRecipientCard: card });
});
afterAll(() => {
  hq.lock();
  field.lock();
});

describe('recipient cards', () => {
  it('round-trip through JSON with a fingerprint a person can read aloud', () => {
    const card = hq.exportRecipientCard();
    const back = readRecipientCard(JSON.stringify(card));
    expect(back).toEqual(card);
    expect(fingerprintWords(card)).toMatch(/^([0-9A-F]{4} ){7}[0-9A-F]{4}$/);
    const proxyOnly = hq.exportRecipientCard(['proxy']);
    expect(Object.keys(proxyOnly.keys)).toEqual(['proxy']);
    expect(proxyOnly.fingerprint).not.toBe(card.fingerprint);
  });

  it('a tampered card is rejected', async () => {
    const card = hq.exportRecipientCard();
    const other = field.exportRecipientCard(['proxy']);
    const swapped = { ...card, keys: { ...card.keys, proxy: other.keys.proxy } };
    await expectCode(() => readRecipientCard(JSON.stringify(swapped)), 'RECIPIENT_CARD_INVALID');
    await expectCode(() => readRecipientCard(JSON.stringify({ ...card, extra: 1 })), 'RECIPIENT_CARD_INVALID');
    await expectCode(() => readRecipientCard('not json'), 'RECIPIENT_CARD_INVALID');
  });
});

describe('extra recipients', () => {
  it('new objects open with the vault key and with the added recipient key', async () => {
    await sodium.ready;
    const second = sodium.crypto_box_keypair();
    const card = makeRecipientCard({ proxy: sodium.to_base64(second.publicKey, sodium.base64_variants.ORIGINAL) });
    await hq.addRecipient('proxy', card, 'Second producer');
    expect(hq.info.recipients.proxy.map((r) => r.label)).toEqual(['this vault', 'Second producer']);
    const { id } = await hq.writeObject('proxy', new TextEncoder().encode('for both'), { a: 1 });
    expect(new TextDecoder().decode((await hq.readObject(id)).data)).toBe('for both');
    const direct = await decryptFromDoc(await fs.readFile(objectPath(hqDir, id)), id, second.publicKey, second.privateKey);
    expect(new TextDecoder().decode(direct.data)).toBe('for both');
    expect(direct.meta).toEqual({ a: 1 });
    // the label is not stored in clear, and the recipient survives a re-unlock
    expect(await fs.readFile(path.join(hqDir, 'vault.json'), 'utf8')).not.toContain('Second producer');
    const again = await unlockVault(hqDir, PASS);
    expect(again.info.recipients.proxy[1]?.label).toBe('Second producer');
    again.lock();
  });
});

describe('field vault', () => {
  it('holds only HQ public keys for master and identity', async () => {
    expect(field.info.kind).toBe('field');
    expect(field.info.canOpen).toEqual({ master: false, proxy: true, identity: false });
    const header = JSON.parse(await fs.readFile(path.join(fieldDir, 'vault.json'), 'utf8'));
    expect(header.keys.master.wrapped).toBeUndefined();
    expect(header.keys.identity.wrapped).toBeUndefined();
    expect(header.keys.master.publicKey).toBe(hq.exportRecipientCard().keys.master);
  });

  it('writes master/identity sealed to HQ but cannot read them; HQ can', async () => {
    const { id } = await field.writeObject('master', new TextEncoder().encode('raw footage'));
    await expectCode(field.readObject(id), 'KEY_CLASS_UNAVAILABLE');
    await expectCode(field.objectMeta(id), 'KEY_CLASS_UNAVAILABLE');
    const sealed = field.sealValue('identity', 'real name');
    await expectCode(() => field.openValue(sealed), 'KEY_CLASS_UNAVAILABLE');
    expect(hq.openText(sealed)).toBe('real name');
    // carried to HQ, the object opens there
    await fs.mkdir(path.dirname(objectPath(hqDir, id)), { recursive: true });
    await fs.copyFile(objectPath(fieldDir, id), objectPath(hqDir, id));
    expect(new TextDecoder().decode((await hq.readObject(id)).data)).toBe('raw footage');
  });

  it('a master object relabelled as proxy is rejected with INTEGRITY', async () => {
    const { id } = await field.writeObject('master', new Uint8Array([1, 2, 3]));
    const bytes = await fs.readFile(objectPath(fieldDir, id));
    bytes[9] = 1; // class byte → proxy
    await fs.writeFile(objectPath(fieldDir, id), bytes);
    await expectCode(field.readObject(id), 'INTEGRITY');
  });

  it('refuses to create a field vault without an HQ card', async () => {
    await expectCode(createVault(path.join(await tempDir(), 'f'), PASS, { kind: 'field' }), 'INVALID_INPUT');
  });
});
