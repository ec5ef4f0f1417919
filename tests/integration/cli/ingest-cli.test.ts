import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getCard } from '../media/card-fixture';
import { cli, spawnCli } from './cli-harness';

/** The crew's and editor's commands end to end: ingest (with proxies), clips, export master, export proxies. */
describe('safehouse ingest, clips and exports', () => {
  let base: string;
  let card: string;
  const env = { SH_PASS: 'correct horse battery staple' };
  const auth = () => ['--vault', path.join(base, 'vault'), '--passphrase-env', 'SH_PASS'];

  beforeAll(async () => {
    base = await fs.mkdtemp(path.join(os.tmpdir(), 'sh-cli-ingest-'));
    card = path.join(base, 'CARD');
    // A two-clip card: a phone video with GPS and a Sony clip with its location-bearing XML.
    await fs.cp(getCard().root, card, { recursive: true, preserveTimestamps: true, filter: (file) => (!/\.(MP4|MOV|MTS|WAV|JPG|PNG|SRT)$/i.test(file) || /IMG_0001\.MOV|C0001\.MP4$/.test(file)) && !file.endsWith('/outside') });
    expect((await cli(['init', ...auth()], env)).code).toBe(0);
  }, 60_000);
  afterAll(async () => {
    await fs.rm(base, { recursive: true, force: true });
  });

  let clips: { id: string; code: string; status: string; kind: string; originalName: string; streams: unknown[]; durationSeconds: number }[];

  it('ingests with JSON progress lines, builds proxies before exiting, and exits 0', async () => {
    const result = await cli(['ingest', card, ...auth(), '--label', 'Card 7', '--json'], env);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as { event: string; [key: string]: unknown });
    expect(lines.filter((line) => line.event === 'progress').length).toBeGreaterThan(2);
    expect(lines.filter((line) => line.event === 'file').map((line) => line['status'])).toEqual(['verified', 'verified']);
    const summary = lines.at(-1)!;
    expect(summary).toMatchObject({ event: 'summary', safeToWipe: true, proxies: { built: 2, failed: 0 } });
  }, 180_000);

  it('lists every clip with id, code, name, status, duration, streams and card', async () => {
    const result = await cli(['clips', ...auth(), '--json'], env);
    expect(result.code).toBe(0);
    clips = JSON.parse(result.stdout);
    expect(clips.map((clip) => clip.originalName).sort()).toEqual(['DCIM/100APPLE/IMG_0001.MOV', 'PRIVATE/M4ROOT/CLIP/C0001.MP4']);
    for (const clip of clips) {
      expect(clip).toMatchObject({ status: 'verified', kind: 'video', cardId: expect.any(String) });
      expect(clip.durationSeconds).toBeGreaterThan(1);
      expect(clip.streams.length).toBeGreaterThan(0);
    }
  });

  it('lists the card as safe to wipe and exports its ASC MHL with neutral creator fields', async () => {
    const cards = JSON.parse((await cli(['cards', ...auth(), '--json'], env)).stdout) as { id: string; label: string; safeToWipe: boolean }[];
    expect(cards).toEqual([expect.objectContaining({ label: 'Card 7', safeToWipe: true })]);
    const out = path.join(base, 'card.mhl');
    expect((await cli(['export', 'mhl', ...auth(), '--card', cards[0]!.id, '--out', out], env)).code).toBe(0);
    const xml = await fs.readFile(out, 'utf8');
    expect(xml).toContain('<hashlist version="2.0"');
    expect(xml).toContain('DCIM/100APPLE/IMG_0001.MOV');
    // The clips and every other file on the card (sidecars, unknown files), each with its xxh64 (mhl-card.test.ts checks them all).
    expect(xml).toContain('PRIVATE/M4ROOT/CLIP/C0001M01.XML');
    expect(xml).toContain('MISC/notes.bin');
    expect(xml.match(/<xxh64[^>]*>[0-9a-f]{16}<\/xxh64>/g)).toHaveLength(xml.match(/<hash>/g)!.length);
    expect(xml).not.toContain(os.hostname());
    expect(xml).not.toContain(os.userInfo().username === 'root' ? '<author' : os.userInfo().username);
  });

  it('exports the ASC MHL as an ascmhl history folder to copy onto the card for `ascmhl verify`', async () => {
    const cards = JSON.parse((await cli(['cards', ...auth(), '--json'], env)).stdout) as { id: string }[];
    const out = path.join(base, 'for-post');
    const result = await cli(['export', 'mhl', ...auth(), '--card', cards[0]!.id, '--out', out, '--ascmhl-folder', '--json'], env);
    expect(result.code, result.stderr).toBe(0);
    const written = JSON.parse(result.stdout) as { folder: string; generation: string; chain: string; files: number; leftOut: number };
    expect(written).toEqual({
      folder: path.join(out, 'ascmhl'),
      generation: expect.stringMatching(/\/ascmhl\/0001_Card_7_\d{4}-\d\d-\d\d_\d{6}Z\.mhl$/),
      chain: path.join(out, 'ascmhl', 'ascmhl_chain.xml'),
      files: expect.any(Number),
      leftOut: 0,
    });
    expect((await fs.readdir(written.folder)).sort()).toEqual([path.basename(written.generation), 'ascmhl_chain.xml']);
    const text = await cli(['export', 'mhl', ...auth(), '--card', cards[0]!.id, '--out', path.join(base, 'for-post-2'), '--ascmhl-folder'], env);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^Wrote .*for-post-2\/ascmhl \(\d+ files\)\.\nCopy that ascmhl folder onto the root of the card/);
    // Never over an existing history.
    const again = await cli(['export', 'mhl', ...auth(), '--card', cards[0]!.id, '--out', out, '--ascmhl-folder'], env);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/already exists; choose a folder without an ascmhl folder/);
  });

  it('exports a master as an ordinary file', async () => {
    const out = path.join(base, 'master.mp4');
    const result = await cli(['export', 'master', ...auth(), '--clip', clips[0]!.id, '--out', out], env);
    expect(result.code, result.stderr).toBe(0);
    expect((await fs.stat(out)).size).toBeGreaterThan(1000);
  });

  it('exports no proxy until a clip is cleared, then exactly the cleared one with a manifest', async () => {
    const outDir = path.join(base, 'to-editor');
    const refused = await cli(['export', 'proxies', ...auth(), '--out', outDir, '--json'], env);
    expect(refused.code).toBe(1);

    const cleared = clips[0]!;
    expect((await cli(['review', ...auth(), '--clip', cleared.id, '--no-people'], env)).code).toBe(0);
    const outDir2 = path.join(base, 'to-editor-2');
    const exported = await cli(['export', 'proxies', ...auth(), '--out', outDir2, '--to', 'Editor A', '--json'], env);
    expect(exported.code).toBe(1); // the second clip is still not cleared, and is listed as refused
    const files = (await fs.readdir(outDir2)).sort();
    expect(files).toEqual([`${cleared.code}.mp4`, 'manifest.csv'].sort());
    const manifest = await fs.readFile(path.join(outDir2, 'manifest.csv'), 'utf8');
    expect(manifest).toContain(cleared.code);
    expect(manifest).not.toContain('IMG_0001');
    expect(manifest).not.toContain('C0001.MP4');
  }, 180_000);
});

describe('safehouse ingest whose output reader goes away', () => {
  it('finishes the offload when its standard output is closed half-way', async () => {
    const base = await fs.mkdtemp(path.join(os.tmpdir(), 'sh-cli-epipe-'));
    try {
      const env = { SH_PASS: 'correct horse battery staple' };
      const auth = ['--vault', path.join(base, 'vault'), '--passphrase-env', 'SH_PASS'];
      const card = path.join(base, 'CARD');
      await fs.cp(getCard().root, card, { recursive: true, filter: (file) => (!/\.(MP4|MOV|MTS|WAV|JPG|PNG|SRT)$/i.test(file) || /C0001\.MP4$/.test(file)) && !file.endsWith('/outside') });
      expect((await cli(['init', ...auth], env)).code).toBe(0);
      // `safehouse ingest … --json | head -1`: the reader closes the pipe after the first line
      const child = spawnCli(['ingest', card, ...auth, '--json', '--no-proxies'], env);
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      child.stdout.once('data', () => child.stdout.destroy());
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(stderr).not.toMatch(/EPIPE|Unhandled|throw/);
      expect(code).toBe(0);
      const clips = JSON.parse((await cli(['clips', ...auth, '--json'], env)).stdout) as Array<{ status: string }>;
      expect(clips.map((clip) => clip.status)).toEqual(['verified']);
    } finally {
      await fs.rm(base, { recursive: true, force: true });
    }
  }, 120_000);
});
