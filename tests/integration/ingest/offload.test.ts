import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestProgress, OffloadResult } from '../../../src/shared/model';
import { findMediaTools, type MediaTools } from '../../../src/main/core/media/media-tools';
import { offloadCard } from '../../../src/main/core/ingest/offload';
import { snapshotTree, diffSnapshots } from '../../../src/main/core/ingest/card-snapshot';
import { exportMaster } from '../../../src/main/core/ingest/export-master';
import { reviewFrame } from '../../../src/main/core/media/review-frame';
import { createVault, type UnlockedVault } from '../../../src/main/core/vault/vault';
import { getCard, type CardManifest } from '../media/card-fixture';
import { filesUnder, plantedNeedles } from './scan-helpers';

/**
 * A whole generated card (every camera layout, location metadata planted everywhere, and the bad files)
 * through the real pipeline: real ffmpeg, real SQLite, real libsodium.
 */
describe('card offload', () => {
  let base: string;
  let card: CardManifest;
  let vault: UnlockedVault;
  let tools: MediaTools;
  let first: OffloadResult;
  let second: OffloadResult;
  const progress: IngestProgress[] = [];
  let cardBefore: Awaited<ReturnType<typeof snapshotTree>>;
  let watchedTmp: string;
  let originalTmp: string | undefined;

  beforeAll(async () => {
    card = getCard();
    base = await fs.mkdtemp(path.join(os.tmpdir(), 'sh-offload-'));
    tools = await findMediaTools();
    vault = await createVault(path.join(base, 'vault'), 'correct horse battery staple');
    cardBefore = await snapshotTree(card.root);
    // Everything the pipeline and its ffmpeg children might write to a temp dir would land here.
    watchedTmp = await fs.mkdtemp(path.join(base, 'tmp-'));
    originalTmp = process.env['TMPDIR'];
    process.env['TMPDIR'] = watchedTmp;
    try {
      first = await offloadCard(vault, tools, card.root, { label: 'Card A', onProgress: (event) => progress.push(event) });
      second = await offloadCard(vault, tools, card.root, { label: 'Card A' });
    } finally {
      if (originalTmp === undefined) delete process.env['TMPDIR'];
      else process.env['TMPDIR'] = originalTmp;
    }
  }, 300_000);

  afterAll(async () => {
    vault?.lock();
    await fs.rm(base, { recursive: true, force: true });
  });

  const resultFor = (file: string) => first.results.find((entry) => entry.file === file);

  it('writes nothing to the card: tree, bytes and mtimes are identical', async () => {
    expect(diffSnapshots(cardBefore, await snapshotTree(card.root))).toEqual([]);
  });

  /** A clip is safely in: verified itself, or a byte-identical copy of one that was verified. */
  const safelyIn = (file: string): string => {
    const result = resultFor(file);
    if (!result) return 'missing';
    if (result.status === 'verified') return 'in';
    const copyOf = /already in the vault as (C\d{4})/.exec(result.reason ?? '')?.[1];
    return first.results.some((entry) => entry.code === copyOf && entry.status === 'verified') ? 'in' : `${result.status}: ${result.reason}`;
  };

  it('verifies every good clip of every camera layout', () => {
    for (const [file, entry] of Object.entries(card.files)) {
      if (entry.kind === 'sidecar') continue;
      expect([file, safelyIn(file)]).toEqual([file, 'in']);
    }
    expect(first.results.filter((entry) => entry.status === 'verified').length).toBeGreaterThanOrEqual(10);
  });

  it('records what was found and removed per clip', () => {
    const phone = resultFor('DCIM/100APPLE/IMG_0001.MOV')!;
    expect(phone.findings.location).toBeGreaterThan(0);
    const dji = resultFor('DCIM/100MEDIA/DJI_0001.MP4')!;
    expect(dji.sidecarsLeftOut).toEqual(['DCIM/100MEDIA/DJI_0001.SRT']);
  });

  it('gives each bad file its own clear result while the rest ingest', () => {
    const byFile = new Map([...first.results.map((entry) => [entry.file, `${entry.status}: ${entry.reason}`] as const), ...first.notIngested.map((entry) => [entry.file, `${entry.kind}: ${entry.reason}`] as const)]);
    const describe = (fragment: string) => [...byFile.entries()].find(([file]) => file.includes(fragment))?.[1] ?? 'missing';
    expect(describe('passwd')).toMatch(/^unsafe: /);
    expect(describe('MVI_0100')).toMatch(/^problem: .*empty/i);
    expect(describe('MVI_0101')).toMatch(/^quarantined: Quarantined: not readable as audio, video or a photo\. The original is kept/);
    expect(describe('MVI_0102')).toMatch(/^quarantined: Quarantined: not readable as audio, video or a photo\. The original is kept/);
    expect(first.results.filter((entry) => entry.status === 'quarantined').map((entry) => entry.quarantineReason)).toEqual(['not-media', 'not-media']);
    expect(describe('MVI\\n0103')).toMatch(/^problem: /);
    for (const odd of ['DCIM/100CANON/Clip_ñø_日本.MP4', 'DCIM/100CANON/-rf.MP4']) expect(safelyIn(odd)).toBe('in');
  });

  it('counts each outcome, and does not call a card safe to wipe while a media file on it was not copied', () => {
    expect(first.counts.quarantined).toBe(2);
    expect(first.counts.failed).toBe(0);
    // Every clip is in, but the newline-named copy of a clip was never copied and two links were refused:
    // formatting this card would lose a real clip. Empty files, litter and the unknown notes file do not block.
    expect(first.safeToWipe).toBe(false);
    expect(first.wipeBlockers).toEqual([
      { file: 'DCIM/100CANON/MVI\n0103.MP4', state: 'not-copied', reason: 'name-has-control-characters' },
      { file: 'DCIM/100CANON/passwd.MP4', state: 'refused', reason: 'symbolic-link' },
      { file: 'DCIM/outside', state: 'refused', reason: 'symbolic-link' },
    ]);
    expect(second.wipeBlockers).toEqual(first.wipeBlockers);
  });

  it('a second run adds nothing', async () => {
    expect(second.counts).toEqual({ verified: 0, quarantined: 0, failed: 0, skipped: first.results.length });
    const catalog = await vault.catalog();
    const clips = await catalog.get<{ n: number }>('SELECT COUNT(*) AS n FROM clips');
    expect(clips!.n).toBe(new Set(first.results.map((entry) => entry.clipId)).size);
    const objects = await catalog.get<{ n: number }>('SELECT COUNT(*) AS n FROM objects');
    expect((await vault.listObjectIds()).length).toBe(objects!.n);
  });

  it('reports progress with bytes, rate and steps, ending at 100%', () => {
    expect(progress.length).toBeGreaterThan(10);
    const steps = new Set(progress.map((event) => event.step));
    for (const step of ['hash', 'sanitize', 'verify', 'done']) expect(steps).toContain(step);
    const last = progress.at(-1)!;
    expect(last.bytesDone).toBe(last.bytesTotal);
    expect(last.filesDone).toBe(last.filesTotal);
  });

  it('never writes plaintext to a temp dir', async () => {
    expect(await fs.readdir(watchedTmp)).toEqual([]);
  });

  it('leaves no planted location, identity or device value in clear anywhere in the vault', async () => {
    const needles = plantedNeedles(card);
    expect(needles.length).toBeGreaterThan(10);
    for (const file of await filesUnder(path.join(base, 'vault'))) {
      const bytes = await fs.readFile(file);
      for (const needle of needles) expect(bytes.includes(needle), `${needle.toString()} in ${file}`).toBe(false);
    }
  });

  it('exports a clean, ordinary master file', async () => {
    const clip = resultFor('DCIM/100CANON/MVI_0002.MP4')!; // GPS hidden in H.264 SEI
    const out = path.join(base, 'export', 'master.mp4');
    await fs.mkdir(path.dirname(out));
    const written = await exportMaster(vault, tools, clip.clipId!, out);
    expect(written.bytes).toBeGreaterThan(1000);
    const probe = spawnSync(tools.ffprobe, ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', out], { encoding: 'utf8' });
    const info = JSON.parse(probe.stdout) as { format: { format_name: string; tags?: Record<string, string> }; streams: { codec_type: string }[] };
    expect(info.streams.map((stream) => stream.codec_type).sort()).toEqual(['audio', 'video']);
    expect(Object.keys(info.format.tags ?? {}).filter((tag) => !['major_brand', 'minor_version', 'compatible_brands'].includes(tag))).toEqual([]);
    const bytes = await fs.readFile(out);
    expect(bytes.includes(Buffer.from('48.8584'))).toBe(false);
    // Not fragmented: a regular moov with the sample index up front, no moof boxes.
    expect(bytes.includes(Buffer.from('moof'))).toBe(false);
    expect(bytes.indexOf(Buffer.from('moov'))).toBeLessThan(bytes.indexOf(Buffer.from('mdat')));
  });

  it('shows HQ one unmasked frame in memory, and audits the view', async () => {
    const clip = resultFor('DCIM/100GOPRO/GX010001.MP4')!;
    const frame = await reviewFrame(vault, tools, clip.clipId!, 1);
    const jpeg = Buffer.from(frame.base64, 'base64');
    expect(jpeg.subarray(0, 2).toString('hex')).toBe('ffd8');
    const catalog = await vault.catalog();
    const audit = await catalog.all<{ action: string; details_json: string }>("SELECT action, details_json FROM audit_log WHERE action = 'clip.view-unmasked'");
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.details_json)).toMatchObject({ clip: clip.code });
    const quarantined = first.results.find((entry) => entry.status === 'quarantined')!;
    await expect(reviewFrame(vault, tools, quarantined.clipId!, 0)).rejects.toMatchObject({ code: 'NOT_SAFE' });
  });

  it('refuses to export a quarantined clip', async () => {
    const quarantined = first.results.find((entry) => entry.status === 'quarantined')!;
    await expect(exportMaster(vault, tools, quarantined.clipId!, path.join(base, 'q.mp4'))).rejects.toMatchObject({ code: 'NOT_SAFE' });
  });
});
