/* eslint-disable @typescript-eslint/no-explicit-any -- tests poke at parsed JSON headers */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MEMLIMIT_MODERATE, OPSLIMIT_MODERATE } from '../../../src/main/core/vault/kdf';
import { createVault, isVault, secretBuffersForTest, unlockVault, type UnlockedVault } from '../../../src/main/core/vault/vault';
import { PASS, expectCode, tempDir } from './helpers';

let dir: string;
let vault: UnlockedVault;
const NEW_PASS = 'a different long passphrase';

beforeAll(async () => {
  dir = path.join(await tempDir(), 'vault');
  vault = await createVault(dir, PASS);
});
afterAll(() => vault.lock());

async function editHeader(target: string, edit: (h: Record<string, any>) => void): Promise<void> {
  const file = path.join(target, 'vault.json');
  const h = JSON.parse(await fs.readFile(file, 'utf8')) as Record<string, any>;
  edit(h);
  await fs.writeFile(file, JSON.stringify(h));
}

describe('create', () => {
  it('lays out a vault and reports it', async () => {
    expect(await isVault(dir)).toBe(true);
    expect(await isVault(path.dirname(dir))).toBe(false);
    expect((await fs.readdir(dir)).sort()).toEqual(['objects', 'staging', 'vault.json']);
    expect(vault.info.kind).toBe('normal');
    expect(vault.info.canOpen).toEqual({ master: true, proxy: true, identity: true });
    const header = JSON.parse(await fs.readFile(path.join(dir, 'vault.json'), 'utf8'));
    expect(header.kdf).toMatchObject({ alg: 'argon2id13', opsLimit: OPSLIMIT_MODERATE, memLimit: MEMLIMIT_MODERATE });
  });

  it('refuses a non-empty folder, an existing vault and a weak passphrase', async () => {
    const other = await tempDir();
    await fs.writeFile(path.join(other, 'holiday.jpg'), 'x');
    await expectCode(createVault(other, PASS), 'VAULT_EXISTS');
    await expectCode(createVault(dir, PASS), 'VAULT_EXISTS');
    await expectCode(createVault(path.join(other, 'new'), 'short'), 'WEAK_PASSPHRASE');
    await expectCode(createVault(path.join(other, 'new2'), PASS, { kdf: { opsLimit: 2, memLimit: MEMLIMIT_MODERATE } }), 'VAULT_UNSAFE_PARAMETERS');
    expect(await fs.readdir(other)).toEqual(['holiday.jpg']);
  });
});

describe('unlock', () => {
  it('opens with the right passphrase and reads what was written', async () => {
    const { id } = await vault.writeObject('identity', new TextEncoder().encode('who'), { n: 1 });
    const again = await unlockVault(dir, PASS);
    expect(again.info.id).toBe(vault.info.id);
    expect(new TextDecoder().decode((await again.readObject(id)).data)).toBe('who');
    again.lock();
  });

  it('wrong passphrase: WRONG_PASSPHRASE, vault.json byte-identical', async () => {
    const before = await fs.readFile(path.join(dir, 'vault.json'));
    await expectCode(unlockVault(dir, 'not the passphrase at all'), 'WRONG_PASSPHRASE');
    expect((await fs.readFile(path.join(dir, 'vault.json'))).equals(before)).toBe(true);
  });

  it('missing vault: VAULT_NOT_FOUND; garbage header: VAULT_CORRUPT', async () => {
    const empty = await tempDir();
    await expectCode(unlockVault(empty, PASS), 'VAULT_NOT_FOUND');
    await fs.writeFile(path.join(empty, 'vault.json'), '{"format":"safehouse-vault"');
    await expectCode(unlockVault(empty, PASS), 'VAULT_CORRUPT');
  });

  it('hostile KDF parameters are refused before the KDF runs', async () => {
    const copy = await tempDir();
    await fs.copyFile(path.join(dir, 'vault.json'), path.join(copy, 'vault.json'));
    for (const edit of [
      (h: any) => { h.kdf.memLimit = 64 * 1024 ** 3; },
      (h: any) => { h.kdf.opsLimit = 1e9; },
      (h: any) => { h.kdf.opsLimit = 1; },
      (h: any) => { h.kdf.memLimit = 8 * 1024 * 1024; },
      (h: any) => { h.kdf.alg = 'argon2i13'; },
    ]) {
      await fs.copyFile(path.join(dir, 'vault.json'), path.join(copy, 'vault.json'));
      await editHeader(copy, edit);
      const t0 = performance.now();
      await expectCode(unlockVault(copy, PASS), 'VAULT_UNSAFE_PARAMETERS');
      expect(performance.now() - t0).toBeLessThan(150); // a MODERATE derivation takes ~1.5 s here
    }
  });

  it('an edited vault.json (recipient slipped in) is refused as VAULT_CORRUPT', async () => {
    const copy = await tempDir();
    await fs.copyFile(path.join(dir, 'vault.json'), path.join(copy, 'vault.json'));
    await editHeader(copy, (h) => {
      h.recipients.master.push({ publicKey: h.keys.proxy.publicKey, label: h.kdf.salt });
    });
    await expectCode(unlockVault(copy, PASS), 'VAULT_CORRUPT');
  });
});

describe('lock and auto-lock', () => {
  it('lock wipes the secret buffers and later calls throw VAULT_LOCKED', async () => {
    const v = await unlockVault(dir, PASS);
    const held = secretBuffersForTest(v);
    expect(held.length).toBe(5); // signing seed + expanded key + 3 class secrets
    expect(held.every((b) => b.some((x) => x !== 0))).toBe(true);
    const sealed = v.sealValue('proxy', 'x');
    v.lock();
    expect(v.isLocked()).toBe(true);
    expect(held.every((b) => b.every((x) => x === 0))).toBe(true);
    await expectCode(v.readObject('00'.repeat(16)), 'VAULT_LOCKED');
    await expectCode(v.writeObject('proxy', new Uint8Array(1)), 'VAULT_LOCKED');
    await expectCode(v.listObjectIds(), 'VAULT_LOCKED');
    await expectCode(v.catalog(), 'VAULT_LOCKED');
    await expectCode(() => v.openValue(sealed), 'VAULT_LOCKED');
    await expectCode(() => v.sign(new Uint8Array(1)), 'VAULT_LOCKED');
    await expectCode(() => v.exportRecipientCard(), 'VAULT_LOCKED');
  });

  it('locks itself after the idle time; touch() postpones it', async () => {
    const v = await unlockVault(dir, PASS);
    let fired = 0;
    v.setAutoLock(150, () => fired++);
    await new Promise((r) => setTimeout(r, 100));
    v.touch();
    await new Promise((r) => setTimeout(r, 100));
    expect(v.isLocked()).toBe(false);
    await new Promise((r) => setTimeout(r, 150));
    expect(v.isLocked()).toBe(true);
    expect(fired).toBe(1);
    expect(secretBuffersForTest(v).every((b) => b.every((x) => x === 0))).toBe(true);
  });
});

describe('change passphrase', () => {
  it('wrong old passphrase changes nothing', async () => {
    const before = await fs.readFile(path.join(dir, 'vault.json'));
    await expectCode(vault.changePassphrase('not the old passphrase', NEW_PASS), 'WRONG_PASSPHRASE');
    await expectCode(vault.changePassphrase(PASS, 'short'), 'WEAK_PASSPHRASE');
    expect((await fs.readFile(path.join(dir, 'vault.json'))).equals(before)).toBe(true);
  });

  it('re-wraps: the new passphrase opens, the old one does not, objects survive', async () => {
    const { id } = await vault.writeObject('master', new Uint8Array([7, 7, 7]));
    await vault.changePassphrase(PASS, NEW_PASS);
    await expectCode(unlockVault(dir, PASS), 'WRONG_PASSPHRASE');
    const v = await unlockVault(dir, NEW_PASS);
    expect([...(await v.readObject(id)).data]).toEqual([7, 7, 7]);
    v.lock();
    expect(await fs.readdir(dir)).not.toContain('vault.json.tmp');
  });
});
