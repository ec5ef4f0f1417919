import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sodium from 'libsodium-wrappers-sumo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entrySignedMessage } from '../../../src/main/core/audit/audit-log';
import { createSafehouse } from '../../../src/main/core/app';
import { openCatalog } from '../../../src/main/core/catalog/catalog';
import { readPanicRecord, verifyPanicRecord } from '../../../src/main/core/vault/panic';
import { createVault, isVault, unlockVault, type UnlockedVault } from '../../../src/main/core/vault/vault';
import { cli } from '../cli/cli-harness';

/**
 * Issue 13 point 5, both halves: after panic no passphrase opens anything on the laptop (proxies included),
 * and what was pushed before still opens at HQ. The panic is recorded for HQ: a signed `vault.panic` audit
 * entry and a panic.json signed by the device key when the vault was open, an unsigned record otherwise.
 */
const CREW = 'crew passphrase in the field';
let root: string;
let hq: UnlockedVault;
let hqCard: string;

beforeAll(async () => {
  await sodium.ready;
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'sh-panic-'));
  hq = await createVault(path.join(root, 'hq'), 'headquarters passphrase');
  hqCard = JSON.stringify(hq.exportRecipientCard());
}, 60_000);

afterAll(async () => {
  hq.lock();
  await fs.rm(root, { recursive: true, force: true });
});

/** "Push": copy object files as they are (sealed) to HQ's vault folder. */
async function pushObjects(fieldDir: string, ids: string[]): Promise<void> {
  for (const id of ids) {
    const rel = path.join('objects', id.slice(0, 2), id);
    await fs.mkdir(path.join(hq.info.dir, path.dirname(rel)), { recursive: true });
    await fs.copyFile(path.join(fieldDir, rel), path.join(hq.info.dir, rel));
  }
}

describe('panic from the open vault (the window’s button, `vault.panic`)', () => {
  let dir: string;
  let wrappedBefore: string[];
  let pushed: { id: string; data: string }[];

  beforeAll(async () => {
    dir = path.join(root, 'field-open');
    const field = await createVault(dir, CREW, { kind: 'field', hqRecipientCard: JSON.parse(hqCard) });
    pushed = [];
    for (const [cls, data] of [['master', 'raw footage'], ['identity', 'signed release'], ['proxy', 'mosaic proxy']] as const) {
      const { id } = await field.writeObject(cls, Buffer.from(data));
      pushed.push({ id, data });
    }
    field.lock();
    await pushObjects(dir, pushed.map((p) => p.id));
    const header = JSON.parse(await fs.readFile(path.join(dir, 'vault.json'), 'utf8')) as { keys: { proxy: { wrapped: string } }; signing: { wrapped: string }; kdf: { salt: string } };
    wrappedBefore = [header.keys.proxy.wrapped, header.signing.wrapped, header.kdf.salt];
  }, 60_000);

  it('locks at once, destroys the wrapped keys, and no passphrase opens the vault or its proxies any more', async () => {
    const app = createSafehouse();
    const locked: string[] = [];
    app.on('vault.locked', (event) => locked.push(event.reason));
    expect((await app.call('vault.unlock', { dir, passphrase: CREW })).ok).toBe(true);
    const result = await app.call('vault.panic', {});
    expect(result.ok && result.value).toMatchObject({ dir, signed: true, alreadyPanicked: false });
    expect(locked).toEqual(['manual']);
    expect((await app.call('vault.status', {})).ok && (await app.call('vault.status', {}))).toMatchObject({ value: { state: 'locked' } });
    expect(!((await app.call('clips.list', {})).ok)).toBe(true);

    const text = await fs.readFile(path.join(dir, 'vault.json'), 'utf8');
    for (const secret of wrappedBefore) expect(text).not.toContain(secret);
    expect(JSON.parse(text)).not.toHaveProperty('kdf');
    expect(await fs.readdir(dir)).not.toContain('vault.json.tmp');
    expect(await isVault(dir)).toBe(true);
    await expect(unlockVault(dir, CREW)).rejects.toMatchObject({ code: 'VAULT_PANICKED' });
    const again = await app.call('vault.unlock', { dir, passphrase: CREW });
    expect(!again.ok && again.error.code).toBe('VAULT_PANICKED');
    const viaCli = await cli(['clips', '--vault', dir, '--passphrase-env', 'CREW'], { CREW });
    expect(viaCli.code).toBe(1);
    expect(viaCli.stderr).toMatch(/panic/);
    await app.close();
  }, 60_000);

  it('what was pushed before still opens at HQ: masters, identities and proxies', async () => {
    for (const { id, data } of pushed) expect((await hq.readObject(id)).data.toString()).toBe(data);
  });

  it('is recorded for HQ: a signed, chained `vault.panic` audit entry and a panic.json signed by the device key', async () => {
    const record = await readPanicRecord(dir);
    expect(record).not.toBeNull();
    expect(verifyPanicRecord(record!, record!.device)).toBe(true);
    expect(verifyPanicRecord({ ...record!, at: new Date(0).toISOString() }, record!.device)).toBe(false);
    const catalog = await openCatalog(path.join(dir, 'catalog.db'));
    const last = await catalog.get<{ seq: number; action: string; hash: string; sig: string }>('SELECT seq, action, hash, sig FROM audit_log ORDER BY seq DESC LIMIT 1');
    await catalog.close();
    expect(last).toMatchObject({ action: 'vault.panic', seq: record!.audit!.seq, hash: record!.audit!.hash });
    const ok = sodium.crypto_sign_verify_detached(Buffer.from(last!.sig, 'base64'), entrySignedMessage(record!.vault, last!.hash), Buffer.from(record!.device, 'base64'));
    expect(ok).toBe(true);
  });

  it('a second panic changes nothing and says so', async () => {
    const app = createSafehouse();
    const result = await app.call('vault.panic', { dir });
    expect(result.ok && result.value.alreadyPanicked).toBe(true);
    await app.close();
  });
});

describe('`safehouse panic` on a locked vault', () => {
  let dir: string;

  beforeAll(async () => {
    dir = path.join(root, 'normal-locked');
    const vault = await createVault(dir, CREW);
    await vault.writeObject('proxy', Buffer.from('a proxy'));
    vault.lock();
  }, 60_000);

  it('refuses without --yes when there is no terminal to ask, and the vault still opens', async () => {
    const refused = await cli(['panic', '--vault', dir], {});
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--yes/);
    (await unlockVault(dir, CREW)).lock();
  }, 30_000);

  it('asks on a terminal and does nothing unless PANIC is typed', async () => {
    const { runCli } = await import('../../../src/main/cli/run');
    let out = '';
    const code = await runCli(['panic', '--vault', dir], { stdout: (t) => void (out += t), stderr: (t) => void (out += t), env: {}, promptSecret: async () => 'no' }, { version: 't' });
    expect(code).toBe(1);
    expect(out).toMatch(/nothing was changed/);
    (await unlockVault(dir, CREW)).lock();
  }, 30_000);

  it('with --yes destroys the keys of the normal vault too: no passphrase opens even its proxies', async () => {
    const done = await cli(['panic', '--vault', dir, '--yes', '--json'], {});
    expect(done.code, done.stderr).toBe(0);
    expect(JSON.parse(done.stdout)).toMatchObject({ ok: true, signed: false, alreadyPanicked: false });
    const header = JSON.parse(await fs.readFile(path.join(dir, 'vault.json'), 'utf8')) as Record<string, unknown>;
    expect(JSON.stringify(header)).not.toMatch(/wrapped|salt/);
    await expect(unlockVault(dir, CREW)).rejects.toMatchObject({ code: 'VAULT_PANICKED' });
    const record = await readPanicRecord(dir);
    expect(record?.sig).toBeUndefined();
    expect(verifyPanicRecord(record!, record!.device)).toBe(false);
  }, 30_000);

  it('a folder with no vault is refused, not destroyed', async () => {
    const empty = path.join(root, 'empty');
    await fs.mkdir(empty);
    await fs.writeFile(path.join(empty, 'keep.txt'), 'x');
    const result = await cli(['panic', '--vault', empty, '--yes'], {});
    expect(result.code).toBe(1);
    expect(await fs.readFile(path.join(empty, 'keep.txt'), 'utf8')).toBe('x');
  });
});

it('the window can destroy only the vault it has open, not another folder it is handed', async () => {
  const mine = path.join(root, 'mine');
  const other = path.join(root, 'other');
  (await createVault(mine, CREW)).lock();
  (await createVault(other, CREW)).lock();
  const app = createSafehouse();
  expect((await app.call('vault.unlock', { dir: mine, passphrase: CREW })).ok).toBe(true);
  const refused = await app.call('vault.panic', { dir: other });
  expect(!refused.ok && refused.error.code).toBe('INVALID_INPUT');
  expect((await app.call('vault.status', {})).ok && (await app.call('vault.status', {}))).toMatchObject({ value: { state: 'unlocked' } });
  await app.close();
  (await unlockVault(other, CREW)).lock();
}, 60_000);
