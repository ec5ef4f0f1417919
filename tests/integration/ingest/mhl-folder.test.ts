import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSafehouse, type Safehouse } from '../../../src/main/core/app';
import { getCard } from '../media/card-fixture';

const PASS = 'correct horse battery staple';
const FIXTURES = path.resolve(__dirname, '../../fixtures/ascmhl');
const VERIFIER = path.resolve(__dirname, '../../helpers/ascmhl_verify.py');

/** The independent stand-in for `ascmhl verify ROOT` (tests/helpers/ascmhl_verify.py, Python standard library only). */
function verify(root: string): { status: number | null; lines: string[] } {
  const run = spawnSync('python3', [VERIFIER, root], { encoding: 'utf8' });
  expect(run.error, 'python3 must be installed').toBeUndefined();
  expect(run.stderr).toBe('');
  return { status: run.status, lines: run.stdout.trim().split('\n') };
}

function xmllint(file: string, schema: string) {
  const lint = spawnSync('xmllint', ['--noout', '--schema', schema, file], { encoding: 'utf8' });
  expect(lint.error, 'xmllint (Debian: libxml2-utils) must be installed').toBeUndefined();
  return lint;
}

/** The C4 id by Python's hashlib and a base58 written here, apart from Safehouse's code. */
function c4ByPython(file: string): string {
  const program =
    "import hashlib,sys\na='123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz'\nn=int.from_bytes(hashlib.sha512(open(sys.argv[1],'rb').read()).digest(),'big')\ns=''\nwhile n:\n n,r=divmod(n,58)\n s=a[r]+s\nprint('c4'+s.rjust(88,'1'))";
  return spawnSync('python3', ['-c', program, file], { encoding: 'utf8' }).stdout.trim();
}

/**
 * `export mhl --ascmhl-folder`: the card's manifest as the first generation of an ASC MHL history, which a
 * person copies onto the card (or a copy of it) so that `ascmhl verify` checks every file there. The
 * reference tool cannot be installed here, so tests/helpers/ascmhl_verify.py re-implements its checks.
 */
describe('ASC MHL history folder of a card', () => {
  let base: string;
  let card: string;
  let safehouse: Safehouse;
  let cardId: string;
  let exported: { folder: string; generation: string; chain: string; files: number; leftOut: number };

  /** A fresh copy of the offloaded card with the exported ascmhl folder on its root, as a person would make it. */
  async function cardWithHistory(name: string): Promise<string> {
    const root = path.join(base, name);
    await fs.cp(card, root, { recursive: true, preserveTimestamps: true, verbatimSymlinks: true });
    await fs.cp(exported.folder, path.join(root, 'ascmhl'), { recursive: true });
    return root;
  }

  beforeAll(async () => {
    base = await fs.mkdtemp(path.join(os.tmpdir(), 'sh-mhl-folder-'));
    card = path.join(base, 'CARD');
    await fs.cp(getCard().root, card, { recursive: true, preserveTimestamps: true, verbatimSymlinks: true });
    safehouse = createSafehouse();
    const created = await safehouse.call('vault.create', { dir: path.join(base, 'vault'), passphrase: PASS });
    if (!created.ok) throw new Error(created.error.message);
    const offload = await safehouse.call('offload.start', { path: card, label: 'A001 Día 1', proxies: 'none' });
    if (!offload.ok) throw new Error(offload.error.message);
    const cards = await safehouse.call('cards.list', {});
    if (!cards.ok) throw new Error(cards.error.message);
    cardId = cards.value[0]!.id;
    const result = await safehouse.call('card.exportMhlFolder', { cardId, outDir: path.join(base, 'out') });
    if (!result.ok) throw new Error(result.error.message);
    exported = result.value;
  }, 240_000);
  afterAll(async () => {
    await safehouse.close();
    await fs.rm(base, { recursive: true, force: true });
  });

  it('writes ascmhl/NNNN_<card>_<UTC time>.mhl and ascmhl/ascmhl_chain.xml, nothing else', async () => {
    expect(exported.folder).toBe(path.join(base, 'out', 'ascmhl'));
    expect(path.dirname(exported.chain)).toBe(exported.folder);
    expect(path.basename(exported.chain)).toBe('ascmhl_chain.xml');
    expect(path.basename(exported.generation)).toMatch(/^0001_A001_Dia_1_\d{4}-\d\d-\d\d_\d{6}Z\.mhl$/);
    expect((await fs.readdir(exported.folder)).sort()).toEqual([path.basename(exported.generation), 'ascmhl_chain.xml'].sort());
    expect(exported.files).toBeGreaterThan(10);
  });

  it('validates both files against the ASC MHL schema rules', () => {
    for (const [file, schema] of [
      [exported.generation, 'hashlist-v2.xsd'],
      [exported.chain, 'directory-v2.xsd'],
    ] as const) {
      const lint = xmllint(file, path.join(FIXTURES, schema));
      expect(lint.stderr).toMatch(/validates/);
      expect(lint.status).toBe(0);
    }
  });

  it('records the C4 id of the generation file bytes in the chain', async () => {
    const chain = await fs.readFile(exported.chain, 'utf8');
    const entry = /<hashlist sequencenr="1">\s*<path>([^<]+)<\/path>\s*<c4>([^<]+)<\/c4>\s*<\/hashlist>/.exec(chain);
    expect(entry?.[1]).toBe(path.basename(exported.generation));
    expect(entry?.[2]).toBe(c4ByPython(exported.generation));
  });

  it('is the same manifest as the single-file export, apart from its time stamps', async () => {
    const single = path.join(base, 'single.mhl');
    const result = await safehouse.call('card.exportMhl', { cardId, outPath: single });
    if (!result.ok) throw new Error(result.error.message);
    const withoutTimes = (xml: string) => xml.replace(/(creationdate>|hashdate=")[^<"]+/g, '$1');
    expect(withoutTimes(await fs.readFile(exported.generation, 'utf8'))).toBe(withoutTimes(await fs.readFile(single, 'utf8')));
    expect(result.value.files).toBe(exported.files);
  });

  it('verifies the whole card; the only file it does not vouch for is the link that points off the card', async () => {
    const root = await cardWithHistory('verified');
    // The fixture's link to /etc/passwd: Safehouse never reads through links, the reference tool does and
    // reports a new file. Camera cards (FAT/exFAT) cannot hold links.
    expect(verify(root)).toEqual({ status: 13, lines: ["new file: 'DCIM/100CANON/passwd.MP4'"] });
    await fs.rm(path.join(root, 'DCIM/100CANON/passwd.MP4'));
    expect(verify(root)).toEqual({ status: 0, lines: ['verified'] });
    // OS litter written after the offload, in another letter case than usual, is skipped as the scan skips it.
    for (const litter of ['DCIM/THUMBS.DB', '.DS_Store', 'PRIVATE/._C0001M01.XML', '$RECYCLE.BIN/desktop.ini', '.fseventsd/0000']) {
      await fs.mkdir(path.dirname(path.join(root, litter)), { recursive: true });
      await fs.writeFile(path.join(root, litter), 'written by a computer');
    }
    expect(verify(root)).toEqual({ status: 0, lines: ['verified'] });
  });

  it('fails on a changed, an added or a missing file, naming it', async () => {
    const changed = await cardWithHistory('changed');
    await fs.rm(path.join(changed, 'DCIM/100CANON/passwd.MP4'));
    const sidecar = path.join(changed, 'PRIVATE/M4ROOT/CLIP/C0001M01.XML');
    const bytes = await fs.readFile(sidecar);
    bytes[bytes.length - 2] = bytes[bytes.length - 2]! ^ 1;
    await fs.writeFile(sidecar, bytes);
    const failed = verify(changed);
    expect(failed.status).toBe(12);
    expect(failed.lines).toEqual([expect.stringMatching(/^hash mismatch: 'PRIVATE\/M4ROOT\/CLIP\/C0001M01\.XML' \(xxh64 [0-9a-f]{16} recorded, [0-9a-f]{16} now\)$/)]);

    const added = await cardWithHistory('added');
    await fs.rm(path.join(added, 'DCIM/100CANON/passwd.MP4'));
    await fs.writeFile(path.join(added, 'DCIM/100CANON/MVI_0999.MP4'), 'not offloaded');
    expect(verify(added)).toEqual({ status: 13, lines: ["new file: 'DCIM/100CANON/MVI_0999.MP4'"] });

    const missing = await cardWithHistory('missing');
    await fs.rm(path.join(missing, 'DCIM/100CANON/passwd.MP4'));
    await fs.rm(path.join(missing, 'DCIM/100MEDIA/DJI_0001.SRT'));
    expect(verify(missing)).toEqual({ status: 15, lines: ["missing: 'DCIM/100MEDIA/DJI_0001.SRT'"] });
  });

  it('fails when the generation file no longer matches the chain', async () => {
    const root = await cardWithHistory('tampered');
    await fs.rm(path.join(root, 'DCIM/100CANON/passwd.MP4'));
    const generation = path.join(root, 'ascmhl', path.basename(exported.generation));
    const xml = await fs.readFile(generation, 'utf8');
    // Any edit to a generation file after it was written shows against the chain.
    await fs.writeFile(generation, xml.replace('<hostname>redacted</hostname>', '<hostname>edited</hostname>'));
    const result = verify(root);
    expect(result.status).toBe(16);
    expect(result.lines).toEqual([expect.stringContaining(`${path.basename(exported.generation)} does not match its chain entry`)]);
  });

  it('never overwrites: an existing ascmhl folder, the vault folder and a file in place of the folder are refused', async () => {
    const before = await fs.readFile(exported.generation);
    const again = await safehouse.call('card.exportMhlFolder', { cardId, outDir: path.join(base, 'out') });
    expect(again).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringMatching(/already exists; choose a folder without an ascmhl folder/) } });
    const inVault = await safehouse.call('card.exportMhlFolder', { cardId, outDir: path.join(base, 'vault', 'x') });
    expect(inVault).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringMatching(/outside the vault/) } });
    const aFile = path.join(base, 'a-file');
    await fs.writeFile(aFile, 'x');
    for (const outDir of [aFile, path.join(aFile, 'below')]) {
      const onFile = await safehouse.call('card.exportMhlFolder', { cardId, outDir });
      expect(onFile).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringMatching(/is a file, not a folder; choose a folder/) } });
    }
    expect(await fs.readFile(exported.generation)).toEqual(before);
    expect(await fs.readdir(exported.folder)).toHaveLength(2);
  });
});
