import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OffloadResult } from '../../../src/shared/model';
import { exportMaster } from '../../../src/main/core/ingest/export-master';
import { readClipReport } from '../../../src/main/core/ingest/clip-report';
import { offloadCard } from '../../../src/main/core/ingest/offload';
import { findMediaTools, type MediaTools } from '../../../src/main/core/media/media-tools';
import { stillFormat } from '../../../src/main/core/media/still-master';
import { createVault, type UnlockedVault } from '../../../src/main/core/vault/vault';
// @ts-expect-error -- plain ESM script without type declarations
import { makeBrokenRaw, makeStills } from '../../../scripts/fixtures/make-stills.mjs';
// @ts-expect-error -- plain ESM script without type declarations
import { OWNER, SERIAL } from '../../../scripts/fixtures/make-formats.mjs';

interface Made {
  rel: string;
  master: 'jpeg' | 'png' | 'gif' | 'webp';
  /** Stored sideways with an orientation flag: shown 32×64 with red on top; otherwise 64×32, red on the left. */
  upright: boolean;
  planted: boolean;
  converted: boolean;
}

const PLANTED = [OWNER, SERIAL, '33.8688', '151.2093', '-33.868800'].map((s) => Buffer.from(s, 'utf8'));
const EXT: Record<Made['master'], string> = { jpeg: '.jpg', png: '.png', gif: '.gif', webp: '.webp' };

/** Size and the colour at two points of a decoded picture: where red and where blue should be. */
function look(tools: MediaTools, file: string, upright: boolean): { size: [number, number]; red: number[]; blue: number[] } {
  const probe = spawnSync(tools.ffprobe, ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=width,height', '-of', 'csv=p=0', file], { encoding: 'utf8' });
  const [w, h] = probe.stdout.trim().split(',').map(Number) as [number, number];
  const raw = spawnSync(tools.ffmpeg, ['-v', 'error', '-i', file, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-']).stdout;
  const px = (x: number, y: number) => [...raw.subarray((y * w + x) * 3, (y * w + x) * 3 + 3)];
  const [red, blue] = upright ? [px(w >> 1, h >> 3), px(w >> 1, h - 1 - (h >> 3))] : [px(w >> 3, h >> 1), px(w - 1 - (w >> 3), h >> 1)];
  return { size: [w, h], red, blue };
}

describe('still formats', () => {
  let base: string;
  let tools: MediaTools;
  let vault: UnlockedVault;
  let made: Made[];
  let broken: string;
  let result: OffloadResult;

  beforeAll(async () => {
    base = await fs.mkdtemp(path.join(os.tmpdir(), 'sh-formats-stills-'));
    tools = await findMediaTools();
    made = makeStills(path.join(base, 'CARD')) as Made[];
    broken = makeBrokenRaw(path.join(base, 'CARD')) as string;
    vault = await createVault(path.join(base, 'vault'), 'correct horse battery staple');
    result = await offloadCard(vault, tools, path.join(base, 'CARD'));
  }, 240_000);

  afterAll(async () => {
    vault?.lock();
    await fs.rm(base, { recursive: true, force: true });
  });

  const outcome = (rel: string) => result.results.find((r) => r.file === rel);

  it('cleans, proves and verifies every format; nothing is left on the card', () => {
    expect(result.notIngested).toEqual([]);
    expect(made.map((m) => [m.rel, outcome(m.rel)?.status, outcome(m.rel)?.reason ?? null])).toEqual(made.map((m) => [m.rel, 'verified', null]));
  });

  it('found the planted place, owner and serial before cleaning', () => {
    for (const m of made.filter((x) => x.planted)) {
      const f = outcome(m.rel)!.findings;
      expect(f.location, m.rel).toBeGreaterThan(0);
      // A GIF comment is one field: counted once, as a place.
      if (!m.rel.endsWith('.GIF')) expect(f.identity + f.device, m.rel).toBeGreaterThan(0);
    }
  });

  it('a raw no decoder can read is quarantined with the reason, kept encrypted, never skipped', () => {
    expect(outcome(broken)).toMatchObject({ status: 'quarantined', reason: expect.stringContaining('the photo is damaged') });
  });

  it('records why a photo was converted or turned, and says nothing for one cleaned in place', async () => {
    for (const m of made) {
      const report = await readClipReport(vault, outcome(m.rel)!.clipId!);
      if (m.converted) expect(report.conversion, m.rel).toMatch(/PNG|upright|libraw|libheif/);
      else expect(report.conversion ?? null, m.rel).toBeNull();
    }
  });

  it('exports each master in its clean format, upright, with nothing planted left', async () => {
    for (const m of made) {
      const out = path.join(base, `export-${path.basename(m.rel)}${EXT[m.master]}`);
      await exportMaster(vault, tools, outcome(m.rel)!.clipId!, out);
      const bytes = await fs.readFile(out);
      expect(stillFormat(bytes, EXT[m.master]), m.rel).toBe(m.master);
      for (const needle of PLANTED) expect(bytes.indexOf(needle), `${m.rel}: ${needle.toString()}`).toBe(-1);
      const tags = JSON.parse(spawnSync(tools.exiftool ?? 'exiftool', ['-j', '-G', out], { encoding: 'utf8' }).stdout)[0] as Record<string, unknown>;
      const leaked = Object.keys(tags).filter((k) => !k.startsWith('ExifTool:') && /^(EXIF|XMP|IPTC|ICC_Profile|MakerNotes)[^:]*:|GPS|Artist|Serial|Comment|Orientation/i.test(k));
      expect(leaked, m.rel).toEqual([]);
      const { size, red, blue } = look(tools, out, m.upright);
      const wide = m.rel.endsWith('0102.JPG') ? [30, 70] : [32, 64];
      expect(size, m.rel).toEqual(m.upright ? wide : [...wide].reverse());
      expect(red[0]! - red[2]!, `${m.rel} red at ${red}`).toBeGreaterThan(100);
      expect(blue[2]! - blue[0]!, `${m.rel} blue at ${blue}`).toBeGreaterThan(100);
    }
  });

  it('refuses an export extension that does not name the master format, leaving no file', async () => {
    const m = made.find((x) => x.master === 'png')!;
    const out = path.join(base, 'wrong.jpg');
    await expect(exportMaster(vault, tools, outcome(m.rel)!.clipId!, out)).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('.png') });
    await expect(fs.stat(out)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
