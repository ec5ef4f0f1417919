import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import exifr from 'exifr';
import { beforeAll, describe, expect, it } from 'vitest';
import { findMediaTools, type MediaTools } from '../../../src/main/core/media/media-tools';
import { scanMetadata } from '../../../src/main/core/media/metadata-scan';
import { needlesFromFindings } from '../../../src/main/core/media/needles';
import { createCleanlinessProver } from '../../../src/main/core/media/proof';
import { cleanStill } from '../../../src/main/core/media/still-clean';
import { getCard, type CardManifest } from './card-fixture';

let card: CardManifest;
let tools: MediaTools;
beforeAll(async () => {
  card = getCard();
  tools = await findMediaTools();
});

describe('cleanStill', () => {
  it.each(['DCIM/100APPLE/IMG_0002.JPG', 'DCIM/100APPLE/IMG_0003.PNG'])('%s loses every planted value and still decodes', async (rel) => {
    const file = join(card.root, rel);
    const source = readFileSync(file);
    const findings = await scanMetadata(tools, { file, kind: 'still', sidecars: [] });
    const needles = needlesFromFindings(findings);
    // The needles really describe the source (including EXIF rationals / XMP notation for the JPEG).
    expect(needles.filter((n) => source.includes(n)).length).toBeGreaterThan(2);
    const clean = cleanStill(source, extname(rel));
    for (const n of needles) expect(clean.includes(n), n.toString('latin1')).toBe(false);
    for (const p of card.files[rel]?.planted ?? []) expect(clean.includes(Buffer.from(p.value))).toBe(false);
    const prover = createCleanlinessProver(tools, { needles, kind: 'still', ext: extname(rel) });
    prover.push(clean.subarray(0, 100));
    prover.push(clean.subarray(100));
    expect(await prover.finish()).toEqual({ clean: true, problems: [] });
    const meta = (await exifr.parse(clean, { tiff: true, xmp: true, iptc: true, gps: true })) as Record<string, unknown> | undefined;
    expect(Object.keys(meta ?? {}).filter((k) => !['ImageWidth', 'ImageHeight', 'BitDepth', 'ColorType', 'Compression', 'Filter', 'Interlace'].includes(k))).toEqual([]);
    const probe = spawnSync(tools.ffprobe, ['-v', 'error', '-show_entries', 'stream=width,height', '-of', 'csv=p=0', '-i', 'pipe:0'], { input: clean });
    expect(probe.status).toBe(0);
    expect(probe.stdout.toString().trim()).toMatch(/^\d+,\d+$/);
    const exif = JSON.parse(spawnSync('exiftool', ['-j', '-'], { input: clean }).stdout.toString()) as Array<Record<string, unknown>>;
    expect(Object.keys(exif[0] ?? {}).filter((k) => /gps|serial|artist|author|owner|copyright|creator|comment|make|model/i.test(k))).toEqual([]);
  });

  it('the prover rejects the uncleaned still', async () => {
    const rel = 'DCIM/100APPLE/IMG_0002.JPG';
    const source = readFileSync(join(card.root, rel));
    const prover = createCleanlinessProver(tools, { needles: [], kind: 'still', ext: '.JPG' });
    prover.push(source);
    const r = await prover.finish();
    expect(r.clean).toBe(false);
    expect(r.problems.join('\n')).toMatch(/gps|marker|metadata/);
  });

  it('drops bytes appended after the end of the image (phone preview/depth JPEGs)', () => {
    const source = readFileSync(join(card.root, 'DCIM/100APPLE/IMG_0002.JPG'));
    const appended = Buffer.concat([source, source]);
    expect(cleanStill(appended, 'jpg')).toEqual(cleanStill(source, 'jpg'));
  });

  it.each(['heic', 'dng', 'tiff', 'cr3', 'arw'])('.%s throws CANNOT_SANITIZE (quarantine)', (ext) => {
    expect(() => cleanStill(Buffer.from('not really an image'), ext)).toThrow(expect.objectContaining({ code: 'CANNOT_SANITIZE' }));
  });

  it('a JPEG extension on non-JPEG bytes, or a truncated JPEG, throws CANNOT_SANITIZE', () => {
    const source = readFileSync(join(card.root, 'DCIM/100APPLE/IMG_0002.JPG'));
    expect(() => cleanStill(Buffer.from('GIF89a....'), 'jpg')).toThrow(expect.objectContaining({ code: 'CANNOT_SANITIZE' }));
    expect(() => cleanStill(source.subarray(0, 400), 'jpg')).toThrow(expect.objectContaining({ code: 'CANNOT_SANITIZE' }));
  });
});
