import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSafehouse, type Safehouse } from '../../../src/main/core/app';
import { mhlCanRepresent } from '../../../src/main/core/ingest/mhl';
import { getCard } from '../media/card-fixture';
import { xxh64Reference } from '../../unit/ingest/xxh64-reference';

const PASS = 'correct horse battery staple';
const SCHEMA = path.resolve(__dirname, '../../fixtures/ascmhl/hashlist-v2.xsd');

/** gitwildmatch as the reference tool applies these simple patterns: a name anywhere; "x/" a folder anywhere; [Aa] a class. */
function ignoredBy(patterns: string[], relPath: string): string | null {
  const parts = relPath.split('/');
  for (const pattern of patterns) {
    const dirOnly = pattern.endsWith('/');
    const glob = new RegExp(`^${pattern.replace(/\/$/, '').replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')}$`);
    const candidates = dirOnly ? parts.slice(0, -1) : parts;
    if (candidates.some((part) => glob.test(part))) return pattern;
  }
  return null;
}

const decode = (text: string) =>
  text.replace(/&(amp|lt|gt|quot|apos|#\d+);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" })[e] ?? String.fromCodePoint(Number(e.slice(1))));

async function walk(root: string, rel = ''): Promise<string[]> {
  const out: string[] = [];
  for (const name of await fs.readdir(path.join(root, rel))) {
    const relPath = rel ? `${rel}/${name}` : name;
    const st = await fs.lstat(path.join(root, relPath));
    if (st.isDirectory()) out.push(...(await walk(root, relPath)));
    else if (st.isFile()) out.push(relPath); // links, pipes and devices are not files a manifest can hash
  }
  return out;
}

/**
 * The ASC MHL of an offloaded card lists every file on it that the standard's ignore patterns do not cover
 * (clips, sidecars, files Safehouse did not know or could not ingest), each with the right size and xxh64,
 * and validates against the ASC MHL v2 schema rules (xmllint --schema).
 */
describe('ASC MHL of a whole card', () => {
  let base: string;
  let card: string;
  let safehouse: Safehouse;
  let xml: string;
  let result: { files: number; leftOut: number };

  beforeAll(async () => {
    base = await fs.mkdtemp(path.join(os.tmpdir(), 'sh-mhl-card-'));
    card = path.join(base, 'CARD');
    await fs.cp(getCard().root, card, { recursive: true, preserveTimestamps: true, verbatimSymlinks: true });
    safehouse = createSafehouse();
    const created = await safehouse.call('vault.create', { dir: path.join(base, 'vault'), passphrase: PASS });
    if (!created.ok) throw new Error(created.error.message);
    const offload = await safehouse.call('offload.start', { path: card, proxies: 'none' });
    if (!offload.ok) throw new Error(offload.error.message);
    const cards = await safehouse.call('cards.list', {});
    if (!cards.ok) throw new Error(cards.error.message);
    const out = path.join(base, 'card.mhl');
    const exported = await safehouse.call('card.exportMhl', { cardId: cards.value[0]!.id, outPath: out });
    if (!exported.ok) throw new Error(exported.error.message);
    result = exported.value;
    xml = await fs.readFile(out, 'utf8');
  }, 240_000);
  afterAll(async () => {
    await safehouse.close();
    await fs.rm(base, { recursive: true, force: true });
  });

  it('validates against the ASC MHL v2 schema rules', () => {
    const lint = spawnSync('xmllint', ['--noout', '--schema', SCHEMA, '-'], { input: xml, encoding: 'utf8' });
    expect(lint.error, 'xmllint (Debian: libxml2-utils) must be installed').toBeUndefined();
    expect(lint.stderr).toMatch(/validates/);
    expect(lint.status).toBe(0);
  });

  it('carries the ignore patterns the standard uses for OS litter, and they cover exactly the litter on the card', async () => {
    const patterns = [...xml.matchAll(/<pattern>([^<]*)<\/pattern>/g)].map((m) => decode(m[1]!));
    // The standard's defaults first, then the litter the scan skips.
    expect(patterns.slice(0, 4)).toEqual(['.DS_Store', 'ascmhl', 'ascmhl/', '._*']);
    const onCard = await walk(card);
    expect(onCard.filter((file) => ignoredBy(patterns, file)).sort()).toEqual([...getCard().litter].sort());
    // In any letter case, as the scan compares names; and a footage name that merely contains one is not covered.
    for (const litter of ['DCIM/THUMBS.DB', 'Desktop.INI', '$Recycle.Bin/S-1-5/x', 'System Volume Information/IndexerVolumeGuid', '.spotlight-v100/a']) {
      expect(ignoredBy(patterns, litter), litter).not.toBeNull();
    }
    for (const footage of ['DCIM/Thumbs.db.MP4', 'DCIM/100CANON/MVI_0001.MP4', 'Trashes/C0001.MP4', 'ascmhl.MP4']) expect(ignoredBy(patterns, footage), footage).toBeNull();
  });

  it('lists every other file on the card with its size and xxh64, and nothing else', async () => {
    const patterns = [...xml.matchAll(/<pattern>([^<]*)<\/pattern>/g)].map((m) => decode(m[1]!));
    const listed = new Map<string, { size: number; xxh64: string }>();
    for (const m of xml.matchAll(/<path size="(\d+)" lastmodificationdate="[^"]+">([^<]*)<\/path>\s*<xxh64 action="original" hashdate="[^"]+">([0-9a-f]{16})<\/xxh64>/g)) {
      listed.set(decode(m[2]!), { size: Number(m[1]), xxh64: m[3]! });
    }
    const expected = new Map<string, { size: number; xxh64: string }>();
    let unrepresentable = 0;
    for (const file of await walk(card)) {
      if (ignoredBy(patterns, file)) continue;
      if (!mhlCanRepresent(file)) {
        unrepresentable += 1;
        continue;
      }
      const bytes = await fs.readFile(path.join(card, file));
      expected.set(file, { size: bytes.length, xxh64: xxh64Reference(bytes) });
    }
    expect(listed).toEqual(expected);
    // Sidecars, unknown and un-ingestible files are all in it, not only the clips.
    for (const file of ['PRIVATE/M4ROOT/CLIP/C0001M01.XML', 'DCIM/100MEDIA/DJI_0001.SRT', 'MISC/notes.bin', 'DCIM/100CANON/MVI_0100.MP4']) expect(listed.has(file)).toBe(true);
    expect(result).toEqual(expect.objectContaining({ files: expected.size, leftOut: unrepresentable }));
  });
});
