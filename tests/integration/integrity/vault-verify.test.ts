import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSafehouse } from '../../../src/main/core/app';
import { openCatalog, type Catalog } from '../../../src/main/core/catalog';
import { damagedClipIds } from '../../../src/main/core/integrity/object-damage';
import { unlockVault } from '../../../src/main/core/vault/vault';
import type { ObjectProblemKind, VaultVerification } from '../../../src/shared/model';
import { getCard } from '../media/card-fixture';
import { cli } from '../cli/cli-harness';

const PASS = 'correct horse battery staple';

/**
 * `verify` against a real offloaded vault, tampered with the ways disk damage and an attacker with the
 * folder can: every case on its own copy of the vault, checked header-only and deep.
 */
let base: string;
let pristine: string;
let card: string;
let ids: { clipId: string; code: string; cardId: string; master: string; report: string; evidence: string; subjectId: string };

const objectFile = (vault: string, id: string) => path.join(vault, 'objects', id.slice(0, 2), id);

async function withCatalog<T>(vault: string, fn: (catalog: Catalog) => Promise<T>): Promise<T> {
  const catalog = await openCatalog(path.join(vault, 'catalog.db'));
  try {
    return await fn(catalog);
  } finally {
    await catalog.close();
  }
}

/** Header-only, then deep, in one session (unlocking costs an Argon2id run). */
async function verifyRuns(vault: string, runs: boolean[]): Promise<VaultVerification[]> {
  const safehouse = createSafehouse();
  try {
    const unlocked = await safehouse.call('vault.unlock', { dir: vault, passphrase: PASS });
    if (!unlocked.ok) throw new Error(unlocked.error.message);
    const results = [];
    for (const deep of runs) {
      const result = await safehouse.call('vault.verify', { deep });
      if (!result.ok) throw new Error(result.error.message);
      results.push(result.value);
    }
    return results;
  } finally {
    await safehouse.close();
  }
}
const verify = async (vault: string, deep: boolean) => (await verifyRuns(vault, [deep]))[0]!;

async function flipByte(file: string, fromEnd: number): Promise<void> {
  const handle = await fs.open(file, 'r+');
  try {
    const { size } = await handle.stat();
    const at = fromEnd >= 0 ? size - fromEnd : -fromEnd;
    const byte = Buffer.alloc(1);
    await handle.read(byte, 0, 1, at);
    byte[0] = byte[0]! ^ 0x01;
    await handle.write(byte, 0, 1, at);
  } finally {
    await handle.close();
  }
}

beforeAll(async () => {
  base = await fs.mkdtemp(path.join(os.tmpdir(), 'sh-verify-'));
  pristine = path.join(base, 'vault');
  card = path.join(base, 'CARD');
  await fs.cp(getCard().root, card, { recursive: true, preserveTimestamps: true, filter: (file) => !/\.(MP4|MOV|MTS|WAV|JPG|PNG|SRT)$/i.test(file) || /C0001\.MP4$/.test(file) });
  const env = { SH_PASS: PASS };
  const auth = ['--vault', pristine, '--passphrase-env', 'SH_PASS'];
  expect((await cli(['init', ...auth], env)).code).toBe(0);
  expect((await cli(['ingest', card, ...auth, '--label', 'Card \u202eevil', '--no-proxies'], env)).code).toBe(0);
  const evidence = path.join(base, 'release.txt');
  await fs.writeFile(evidence, 'signed release');
  const subjectId = (await cli(['subjects', 'add', ...auth, '--pseudonym', 'Heron'], env)).stdout.trim();
  expect((await cli(['subjects', 'evidence', ...auth, '--subject', subjectId, '--file', evidence, '--kind', 'release'], env)).code).toBe(0);
  ids = await withCatalog(pristine, async (catalog) => {
    const clip = (await catalog.get<{ id: string; code: string; card_id: string; master_object_id: string; report_object_id: string }>('SELECT * FROM clips'))!;
    const ev = (await catalog.get<{ object_id: string }>('SELECT object_id FROM subject_evidence'))!;
    return { clipId: clip.id, code: clip.code, cardId: clip.card_id, master: clip.master_object_id, report: clip.report_object_id, evidence: ev.object_id, subjectId };
  });
  expect((await cli(['appear', ...auth, '--clip', ids.clipId, '--subject', subjectId], env)).code).toBe(0);
}, 180_000);
afterAll(() => fs.rm(base, { recursive: true, force: true }));

describe('vault verify', () => {
  it('finds an untouched vault intact, header-only and deep, and says what it checked', async () => {
    const [shallow, deep] = (await verifyRuns(pristine, [false, true])) as [VaultVerification, VaultVerification];
    expect(shallow).toMatchObject({ intact: true, deep: false, damaged: [], unrecorded: [], notOpened: [] });
    expect(shallow.objects.headersChecked).toBe(shallow.objects.recorded);
    expect(shallow.objects.contentChecked).toBe(0);
    expect(deep).toMatchObject({ intact: true, deep: true, damaged: [] });
    expect(deep.objects.contentChecked).toBe(deep.objects.recorded);
    expect(deep.objects.recorded).toBeGreaterThanOrEqual(4); // master, clip report, ingest report, evidence
  }, 60_000);

  type Case = [string, (vault: string) => Promise<void>, { object: keyof typeof ids; shallow: ObjectProblemKind | null; deep: ObjectProblemKind }];
  const cases: Case[] = [
    ['a master deleted', (v) => fs.rm(objectFile(v, ids.master)), { object: 'master', shallow: 'missing', deep: 'missing' }],
    ['one bit flipped in a master\'s last content frame', (v) => flipByte(objectFile(v, ids.master), 40), { object: 'master', shallow: null, deep: 'content-damaged' }],
    ['one bit flipped in a master\'s header', (v) => flipByte(objectFile(v, ids.master), -60), { object: 'master', shallow: 'header-damaged', deep: 'header-damaged' }],
    ['a master cut short', async (v) => {
      const file = objectFile(v, ids.master);
      await fs.truncate(file, (await fs.stat(file)).size - 10);
    }, { object: 'master', shallow: 'size-mismatch', deep: 'size-mismatch' }],
    ['bytes appended to a master', (v) => fs.appendFile(objectFile(v, ids.master), Buffer.alloc(100)), { object: 'master', shallow: 'size-mismatch', deep: 'size-mismatch' }],
    ['another object put in a master\'s place', (v) => fs.copyFile(objectFile(v, ids.report), objectFile(v, ids.master)), { object: 'master', shallow: 'header-damaged', deep: 'header-damaged' }],
    ['consent evidence damaged', (v) => flipByte(objectFile(v, ids.evidence), 5), { object: 'evidence', shallow: null, deep: 'content-damaged' }],
  ];

  it.each(cases)('%s', async (what, tamper, expected) => {
    const vault = path.join(base, `case-${what.replace(/\W+/g, '-')}`);
    await fs.cp(pristine, vault, { recursive: true });
    await tamper(vault);
    const objectId = ids[expected.object];
    const [shallow, deep] = await verifyRuns(vault, [false, true]);
    expect(shallow!.damaged.map((d) => [d.objectId, d.problem])).toEqual(expected.shallow ? [[objectId, expected.shallow]] : []);
    expect(deep!.intact).toBe(false);
    expect(deep!.damaged.map((d) => [d.objectId, d.problem])).toEqual([[objectId, expected.deep]]);
    const damaged = deep!.damaged[0]!;
    if (expected.object === 'master') {
      expect(damaged.owners).toEqual([expect.objectContaining({ role: 'master', clipId: ids.clipId, clipCode: ids.code, cardId: ids.cardId })]);
      expect(deep!.lost.clips).toEqual([{ clipId: ids.clipId, code: ids.code, cardId: ids.cardId, what: 'master' }]);
      expect(deep!.lost.cards).toEqual([{ cardId: ids.cardId, label: 'Card \u202eevil' }]);
      expect(deep!.lost.subjects).toEqual([{ subjectId: ids.subjectId, pseudonym: 'Heron' }]); // appears in the lost footage
      const clipsDamaged = await withCatalog(vault, (catalog) => damagedClipIds(catalog));
      expect([...clipsDamaged]).toEqual([ids.clipId]);
    } else {
      expect(damaged.owners).toEqual([expect.objectContaining({ role: 'evidence', subjectId: ids.subjectId })]);
      expect(deep!.lost).toEqual({ clips: [], cards: [], subjects: [{ subjectId: ids.subjectId, pseudonym: 'Heron' }] });
      expect((await withCatalog(vault, (catalog) => damagedClipIds(catalog))).size).toBe(0);
    }
  }, 60_000);

  it('a recorded hash that does not match the object: hash-mismatch, found only by --deep', async () => {
    const vault = path.join(base, 'case-hash');
    await fs.cp(pristine, vault, { recursive: true });
    // Swap the sealed hash record of the master for one that names other content, sealed with the vault's key.
    const session = await unlockVault(vault, PASS);
    const catalog = await session.catalog();
    const row = (await catalog.get<{ hashes_sealed: Uint8Array }>('SELECT hashes_sealed FROM clips WHERE id = ?', [ids.clipId]))!;
    const hashes = JSON.parse(session.openText(row.hashes_sealed)) as { storedXxh64: string };
    hashes.storedXxh64 = hashes.storedXxh64.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    await catalog.run('UPDATE clips SET hashes_sealed = ? WHERE id = ?', [Buffer.from(session.sealValue('proxy', JSON.stringify(hashes))), ids.clipId]);
    await catalog.close();
    session.lock();
    const [shallow, deep] = await verifyRuns(vault, [false, true]);
    expect(shallow!.intact).toBe(true);
    expect(deep!.damaged.map((d) => [d.objectId, d.problem])).toEqual([[ids.master, 'hash-mismatch']]);
  }, 60_000);

  it('lists object files the catalog does not record, without calling the vault damaged', async () => {
    const vault = path.join(base, 'case-unrecorded');
    await fs.cp(pristine, vault, { recursive: true });
    const stray = 'ab'.repeat(16);
    await fs.mkdir(path.dirname(objectFile(vault, stray)), { recursive: true });
    await fs.copyFile(objectFile(vault, ids.report), objectFile(vault, stray));
    const result = await verify(vault, true);
    expect(result).toMatchObject({ intact: true, unrecorded: [stray] });
  }, 60_000);

  it('a tampered master turns the card red (cards, wipe-card) until a deep verify finds it sound again; the CLI says what was lost', async () => {
    const vault = path.join(base, 'case-cli');
    await fs.cp(pristine, vault, { recursive: true });
    const env = { SH_PASS: PASS };
    const auth = ['--vault', vault, '--passphrase-env', 'SH_PASS'];
    const cardsBefore = JSON.parse((await cli(['cards', ...auth, '--json'], env)).stdout) as unknown[];
    expect(cardsBefore).toEqual([expect.objectContaining({ safeToWipe: true, wipeBlockers: [] })]);

    const saved = await fs.readFile(objectFile(vault, ids.master));
    await flipByte(objectFile(vault, ids.master), 40);
    const text = await cli(['verify', ...auth, '--deep'], env);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/Vault DAMAGED: 1 object/);
    expect(text.stdout).toContain(`${ids.master} (master, content-damaged)`);
    expect(text.stdout).toContain(`${ids.code} (master)`);
    expect(text.stdout).toContain('card "Card \\u{202e}evil"'); // the label's bidi override is escaped
    expect(text.stdout).not.toContain('\u202e');
    const json = await cli(['verify', ...auth, '--deep', '--json'], env);
    expect(json.code).toBe(1);
    const parsed = JSON.parse(json.stdout) as { ok: boolean; verification: VaultVerification };
    expect(parsed.ok).toBe(false);
    expect(parsed.verification.lost.cards).toEqual([{ cardId: ids.cardId, label: 'Card \u202eevil' }]); // exact JSON

    const cardsAfter = JSON.parse((await cli(['cards', ...auth, '--json'], env)).stdout) as unknown[];
    expect(cardsAfter).toEqual([expect.objectContaining({ safeToWipe: false, wipeBlockers: [{ file: 'PRIVATE/M4ROOT/CLIP/C0001.MP4', state: 'damaged', reason: 'object-damaged' }] })]);
    const cardsText = await cli(['cards', ...auth], env);
    expect(cardsText.stdout).toMatch(/NOT safe to wipe/);
    const wipeCard = path.join(base, 'CARD-copy');
    await fs.cp(card, wipeCard, { recursive: true, preserveTimestamps: true });
    const wipe = await cli(['wipe-card', wipeCard, ...auth, '--yes', '--json'], env);
    expect(wipe.code).toBe(1);
    expect(await fs.stat(path.join(wipeCard, 'PRIVATE/M4ROOT/CLIP/C0001.MP4'))).toBeTruthy();

    // A header-only run cannot see content damage, so it does not clear it; a deep run that finds it sound does.
    await fs.writeFile(objectFile(vault, ids.master), saved);
    expect((await cli(['verify', ...auth], env)).code).toBe(0);
    expect(JSON.parse((await cli(['cards', ...auth, '--json'], env)).stdout)).toEqual([expect.objectContaining({ safeToWipe: false })]);
    expect((await cli(['verify', ...auth, '--deep'], env)).code).toBe(0);
    expect(JSON.parse((await cli(['cards', ...auth, '--json'], env)).stdout)).toEqual([expect.objectContaining({ safeToWipe: true, wipeBlockers: [] })]);

    const actions = await withCatalog(vault, (catalog) => catalog.all<{ details_json: string }>("SELECT details_json FROM audit_log WHERE action = 'vault.verify'"));
    expect(actions.map((a) => JSON.parse(a.details_json))).toContainEqual(expect.objectContaining({ deep: true, damaged: 1 }));
  }, 120_000);
});
