import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { findMediaTools, type MediaTools } from '../../../src/main/core/media/media-tools';
import { scanMetadata, type MetadataFinding } from '../../../src/main/core/media/metadata-scan';
import { getCard, type CardManifest } from './card-fixture';

let card: CardManifest;
let tools: MediaTools;
beforeAll(async () => {
  card = getCard();
  tools = await findMediaTools();
});

function scanFor(rel: string): Promise<MetadataFinding[]> {
  const entry = card.files[rel];
  if (!entry) throw new Error(`no fixture ${rel}`);
  if (entry.kind === 'sidecar') {
    const owner = entry.sidecarOf as string;
    return scanMetadata(tools, { file: join(card.root, owner), kind: 'video', sidecars: [join(card.root, rel)], byteScan: false });
  }
  return scanMetadata(tools, { file: join(card.root, rel), kind: entry.kind, sidecars: [] });
}

describe('scanMetadata finds every planted value', () => {
  const rels = Object.keys(getCard().files);
  it.each(rels)('%s', async (rel) => {
    const findings = await scanFor(rel);
    for (const p of card.files[rel]?.planted ?? []) {
      const hit = findings.find((f) => f.category === p.category && f.value.includes(p.value));
      expect(hit, `${p.category} "${p.value}" in ${rel}; got ${JSON.stringify(findings.map((f) => [f.category, f.field, f.value]))}`).toBeTruthy();
    }
  });

  it('reports where each trace was found', async () => {
    const mov = await scanFor('DCIM/100APPLE/IMG_0001.MOV');
    expect(mov.find((f) => f.field.endsWith('com.apple.quicktime.location.ISO6709'))).toMatchObject({ category: 'location', source: 'container', lat: 35.6762, lon: 139.6503 });
    const gopro = await scanFor('DCIM/100GOPRO/GX010001.MP4');
    expect(gopro.some((f) => f.source === 'subtitle' && f.category === 'location')).toBe(true);
    const sei = await scanFor('DCIM/100CANON/MVI_0002.MP4');
    expect(sei.find((f) => f.source === 'bytes')).toMatchObject({ category: 'location' });
    const jpg = await scanFor('DCIM/100APPLE/IMG_0002.JPG');
    expect(jpg.some((f) => f.source === 'exif' && f.category === 'location')).toBe(true);
    expect(jpg.some((f) => f.source === 'xmp' && f.category === 'location')).toBe(true);
    const canon = await scanFor('DCIM/100CANON/MVI_0001.MP4');
    expect(canon.some((f) => f.field.includes('location') && f.category === 'location')).toBe(true);
  });

  it('finds nothing to report in a file without planted metadata except neutral tags', async () => {
    const dji = await scanMetadata(tools, { file: join(card.root, 'DCIM/100MEDIA/DJI_0001.MP4'), kind: 'video', sidecars: [] });
    expect(dji).toEqual([]);
  });

  it('gives a clear error for bad input instead of hanging', async () => {
    for (const bad of card.bad.filter((b) => ['empty', 'truncated', 'random'].includes(b.what))) {
      await expect(scanMetadata(tools, { file: join(card.root, bad.path), kind: 'video', sidecars: [] })).rejects.toMatchObject({ code: 'NOT_MEDIA' });
    }
  });

  it('reads names with a leading dash, a newline or unicode as ordinary files', async () => {
    for (const bad of card.bad.filter((b) => b.what.endsWith('-name') || b.what === 'leading-dash')) {
      const findings = await scanMetadata(tools, { file: join(card.root, bad.path), kind: 'video', sidecars: [] });
      expect(findings.some((f) => f.value.includes('Kofi Mensah'))).toBe(true);
    }
  });
});
