import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createSafehouse } from '../../../src/main/core/app';
import { openCatalog } from '../../../src/main/core/catalog/catalog';
import { unlockVault } from '../../../src/main/core/vault/vault';
import { fileContains, findMarkerOnDisk, markerNeedles, walkFiles } from '../../helpers/marker-scan';
import { cli } from '../cli/cli-harness';
import { getCard } from '../media/card-fixture';

/**
 * Issue 13 point 2: a realistic field session with one marker in every typed field, file name and folder
 * name; then, opened again with the field passphrase (as under coercion), the marker is in no CLI output,
 * no contract result, and no byte of the vault folder or the temp folder. HQ can still read all of it.
 */
const marker = `TUMEN${randomBytes(6).toString('hex').toUpperCase()}`;
const env = { HQ: 'headquarters passphrase here', CREW: 'crew passphrase in the field' };
let base: string;
let hqDir: string;
let fieldDir: string;
let startedAt: number;
const sessionIds: { clipId?: string; subjectId?: string; cardId?: string } = {};

beforeAll(async () => {
  startedAt = Date.now() - 1000;
  base = await fs.mkdtemp(path.join(os.tmpdir(), 'sh-field-session-'));
  hqDir = path.join(base, 'hq');
  fieldDir = path.join(base, 'field');
  const cardFile = path.join(base, 'hq-card.json');
  expect((await cli(['init', '--vault', hqDir, '--passphrase-env', 'HQ'], env)).code).toBe(0);
  expect((await cli(['recipients', 'export', '--vault', hqDir, '--passphrase-env', 'HQ', '--out', cardFile], env)).code).toBe(0);
  const init = await cli(['init', '--vault', fieldDir, '--field', '--hq-card', cardFile, '--passphrase-env', 'CREW'], env);
  expect(init.code, init.stderr).toBe(0);
  expect(init.stdout).toMatch(/sealed to HQ ([0-9A-F]{4} ){7}[0-9A-F]{4}/);

  // A card whose folder and file names carry the marker (as a crew's own folder names would).
  const card = path.join(base, 'CARD');
  const folder = path.join(card, `Crossing ${marker}`);
  await fs.mkdir(folder, { recursive: true });
  const fixture = getCard().root;
  await fs.copyFile(path.join(fixture, 'DCIM/100CANON/MVI_0001.MP4'), path.join(folder, `${marker}_interview.MP4`));
  await fs.copyFile(path.join(fixture, 'DCIM/100APPLE/IMG_0002.JPG'), path.join(folder, `${marker}_still.JPG`));
  const ingest = await cli(['ingest', card, '--vault', fieldDir, '--label', `Tumen crossing ${marker}`, '--passphrase-env', 'CREW', '--json'], env);
  expect(ingest.code, ingest.stdout + ingest.stderr).toBe(0);
  const summary = ingest.stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>).find((event) => event['event'] === 'summary')!;
  expect(summary['hqFingerprint']).toMatch(/^([0-9A-F]{4} ){7}[0-9A-F]{4}$/);
  sessionIds.cardId = summary['cardId'] as string;
  const files = ingest.stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as { event: string; clipId?: string; status?: string });
  sessionIds.clipId = files.find((event) => event.event === 'file' && event.status === 'verified')?.clipId;
  expect(sessionIds.clipId).toBeTruthy();

  // Subjects added in the field: typed text everywhere.
  const added = await cli(['subjects', 'add', '--vault', fieldDir, '--pseudonym', `Heron ${marker}`, '--real-name', `Name ${marker}`, '--passphrase-env', 'CREW', '--json'], env);
  expect(added.code, added.stderr).toBe(0);
  sessionIds.subjectId = (JSON.parse(added.stdout) as { id: string }).id;
  const consent = await cli(['subjects', 'consent', '--vault', fieldDir, '--subject', sessionIds.subjectId, '--state', 'conditional', '--scope', `voice only ${marker}`, '--recorded-by', `fixer ${marker}`, '--passphrase-env', 'CREW'], env);
  expect(consent.code, consent.stderr).toBe(0);
  const evidence = path.join(base, 'release.txt');
  await fs.writeFile(evidence, `signed release ${marker}`);
  expect((await cli(['subjects', 'evidence', '--vault', fieldDir, '--subject', sessionIds.subjectId, '--file', evidence, '--passphrase-env', 'CREW'], env)).code).toBe(0);
  await fs.rm(evidence); // the crew deletes the paper trail once it is sealed
  expect((await cli(['appear', '--vault', fieldDir, '--clip', sessionIds.clipId!, '--subject', sessionIds.subjectId, '--passphrase-env', 'CREW'], env)).code).toBe(0);
  const app = createSafehouse();
  expect((await app.call('vault.unlock', { dir: fieldDir, passphrase: env.CREW })).ok).toBe(true);
  const second = await app.call('subjects.create', { pseudonym: `Kite ${marker}`, realName: `Other ${marker}`, contact: `+000 ${marker}`, notes: `met at ${marker}` });
  expect(second.ok).toBe(true);
  await app.call('vault.lock', {});
  await app.close();
}, 240_000);

afterAll(async () => {
  await fs.rm(base, { recursive: true, force: true });
});

it('no CLI command, with or without --json, shows the marker to the field passphrase', async () => {
  const { clipId, subjectId, cardId } = sessionIds;
  const v = ['--vault', fieldDir, '--passphrase-env', 'CREW'];
  const commands: string[][] = [
    ['unlock-check', ...v],
    ['clips', ...v],
    ['cards', ...v],
    ['report', ...v],
    ['subjects', 'list', ...v],
    ['subjects', 'show', ...v, '--subject', subjectId!],
    ['status', ...v],
    ['audit', 'verify', ...v],
    ['export', 'mhl', ...v, '--card', cardId!, '--out', path.join(base, 'card.mhl')],
    ['export', 'master', ...v, '--clip', clipId!, '--out', path.join(base, 'master.mp4')],
    ['safety-report', ...v, '--out', path.join(base, 'safety.html')],
    ['recipients', 'export', ...v, '--out', path.join(base, 'field-card.json')],
  ];
  let seen = 0;
  for (const command of commands) {
    for (const json of [false, true]) {
      if (json && command[0] === 'recipients') continue; // --out may be written once
      const out = await cli(json ? [...command, '--json'] : command, env);
      expect(`${out.stdout}${out.stderr}`, command.join(' ')).not.toContain(marker);
      seen += out.stdout.length + out.stderr.length;
    }
  }
  expect(seen).toBeGreaterThan(1000); // the commands said something
  for (const written of ['safety.html', 'field-card.json']) {
    const file = path.join(base, written);
    if (await fs.stat(file).catch(() => null)) expect(await fileContains(file, markerNeedles(marker))).toBe(false);
  }
}, 240_000);

it('no contract result shows the marker to the field passphrase', async () => {
  const { clipId, subjectId } = sessionIds;
  const app = createSafehouse();
  const unlocked = await app.call('vault.unlock', { dir: fieldDir, passphrase: env.CREW });
  expect(unlocked.ok && unlocked.value.hqFingerprint).toMatch(/^([0-9A-F]{4} ){7}[0-9A-F]{4}$/);
  const results = [
    unlocked,
    await app.call('vault.status', {}),
    await app.call('clips.list', {}),
    await app.call('clip.get', { id: clipId! }),
    await app.call('clips.query', { offset: 0, limit: 100 }),
    await app.call('clip.report', { id: clipId! }),
    await app.call('cards.list', {}),
    await app.call('cards.labels', {}),
    await app.call('offload.report', {}),
    await app.call('offload.interrupted', {}),
    await app.call('subjects.list', {}),
    await app.call('subjects.get', { id: subjectId! }),
    await app.call('safety.summary', {}),
    await app.call('safety.report', {}),
    await app.call('audit.verify', {}),
    await app.call('proxies.status', {}),
    await app.call('export.list', {}),
    await app.call('recipients.export', {}),
  ];
  const text = JSON.stringify(results);
  expect(text).not.toContain(marker);
  // …while the neutral facts are all there.
  const clips = await app.call('clips.list', {});
  expect(clips.ok && clips.value.map((clip) => [clip.kind, clip.status, clip.originalName, clip.code]).sort()).toEqual([
    ['still', 'verified', '', expect.stringMatching(/^C000[12]$/)],
    ['video', 'verified', '', expect.stringMatching(/^C000[12]$/)],
  ]);
  const report = await app.call('clip.report', { id: clipId! });
  expect(report.ok && report.value.sealedToHq).toBe(true); // zero findings shown means "sealed", not "none"
  const subjects = await app.call('subjects.list', {});
  expect(subjects.ok && subjects.value.map((s) => [s.pseudonym, s.consent?.scope ?? null])).toEqual(expect.arrayContaining([['', ''], ['', null]]));
  await app.close();
}, 120_000);

it('no byte of the vault folder or the temp folder holds the marker, and no file name does', async () => {
  const { hits, scanned } = await findMarkerOnDisk(marker, [fieldDir, hqDir], startedAt);
  expect(scanned).toBeGreaterThan(8);
  expect(hits).toEqual([]);
  for await (const file of walkFiles(fieldDir)) expect(file).not.toContain(marker);
});

it('HQ opens every sealed field value: nothing the crew typed is lost', async () => {
  const hq = await unlockVault(hqDir, env.HQ);
  const catalog = await openCatalog(path.join(fieldDir, 'catalog.db'));
  try {
    const card = await catalog.get<{ label_sealed: Uint8Array }>('SELECT label_sealed FROM cards');
    expect(hq.openText(card!.label_sealed)).toBe(`Tumen crossing ${marker}`);
    const names = await catalog.all<{ original_name_sealed: Uint8Array; summary_sealed: Uint8Array }>('SELECT original_name_sealed, summary_sealed FROM clips ORDER BY code');
    expect(names.map((row) => hq.openText(row.original_name_sealed)).sort()).toEqual([`Crossing ${marker}/${marker}_interview.MP4`, `Crossing ${marker}/${marker}_still.JPG`]);
    expect(JSON.parse(hq.openText(names[0]!.summary_sealed))).toHaveProperty('findings');
    const subjects = await catalog.all<{ pseudonym_sealed: Uint8Array }>('SELECT pseudonym_sealed FROM subjects');
    expect(subjects.map((row) => hq.openText(row.pseudonym_sealed)).sort()).toEqual([`Heron ${marker}`, `Kite ${marker}`]);
    const consent = await catalog.get<{ scope_sealed: Uint8Array; recorded_by_sealed: Uint8Array }>('SELECT scope_sealed, recorded_by_sealed FROM consents');
    expect([hq.openText(consent!.scope_sealed), hq.openText(consent!.recorded_by_sealed)]).toEqual([`voice only ${marker}`, `fixer ${marker}`]);
  } finally {
    await catalog.close();
    hq.lock();
  }
});
