import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StreamingMatcher } from '../../../src/main/core/media/byte-matcher';
import { createCoordinateByteScanner } from '../../../src/main/core/media/byte-scan';
import { findCoordinates, findSerials } from '../../../src/main/core/media/coords-text';
import type { MetadataFinding } from '../../../src/main/core/media/findings';
import { findMediaTools } from '../../../src/main/core/media/media-tools';
import { coordinateNotations, needlesFromFindings } from '../../../src/main/core/media/needles';
import { classifyTag } from '../../../src/main/core/media/tag-classify';

const f = (over: Partial<MetadataFinding>): MetadataFinding => ({ category: 'location', source: 'container', field: 'x', value: '', file: 'a.mp4', ...over });
const has = (needles: Buffer[], s: string) => needles.some((n) => n.equals(Buffer.from(s, 'utf8')));

describe('needlesFromFindings', () => {
  const needles = needlesFromFindings([
    f({ value: '+52.5200+013.4050/' }),
    f({ category: 'device', value: 'CN1234567' }),
    f({ category: 'identity', value: 'Bob' }),
    f({ value: '-33.868800', lat: -33.8688 }),
  ]);
  it('includes the values and every coordinate notation', () => {
    for (const s of ['+52.5200+013.4050/', 'CN1234567', '52.5200', '52.520000', '13.4050', '+52.5200', '+013.4050', `52°31'12`, '52,31.200N', '33.8688', '33,52.128S', '3352.1280'])
      expect(has(needles, s), s).toBe(true);
  });
  it('includes EXIF rational triples in both byte orders', () => {
    const be = Buffer.from('00000021000000010000003400000001000000c000000019', 'hex'); // 33/1 52/1 192/25
    expect(needles.some((n) => n.equals(be))).toBe(true);
    expect(needles.some((n) => n.equals(Buffer.from('2100000001000000340000000100000000c0000019000000'.replace(/00c0000019000000$/, 'c000000019000000'), 'hex')))).toBe(true);
  });
  it('skips values too short to search safely, and duplicates', () => {
    expect(has(needles, 'Bob')).toBe(false);
    expect(new Set(needles.map((n) => n.toString('hex'))).size).toBe(needles.length);
  });
  it('writes degrees-minutes-seconds for longitudes and southern latitudes', () => {
    expect(coordinateNotations(-0.1278, 'lon')).toContain(`0°7'40`);
    expect(coordinateNotations(-0.1278, 'lon')).toContain('-000.1278');
  });
});

describe('coordinate and serial text parsing', () => {
  it.each([
    ['+52.5200+013.4050/', 52.52, 13.405],
    ['[latitude: 46.519700] [longitude: 6.632300]', 46.5197, undefined],
    ['GPS(6.6323,46.5197,19)', 46.5197, 6.6323],
    ['GPS 37.774900,-122.419400', 37.7749, -122.4194],
    [`52°31'12.0"N`, 52.52, undefined],
  ])('%s', (text, lat, lon) => {
    const hits = findCoordinates(text);
    expect(hits.some((h) => h.lat !== undefined && Math.abs(h.lat - lat) < 1e-4)).toBe(true);
    if (lon !== undefined) expect(hits.some((h) => h.lon !== undefined && Math.abs(h.lon - lon) < 1e-4)).toBe(true);
  });
  it('ignores version numbers and plain integers', () => {
    expect(findCoordinates('Lavf59.27.100 x264 core 164 qcomp=0.60 1920x1080')).toEqual([]);
  });
  it('finds serials', () => {
    expect(findSerials('<Device serialNo="4012345"/> SN: ZF600123 serial number AB-1')).toEqual(['4012345', 'ZF600123', 'AB-1']);
  });
  it('classifies tags, failing closed on unknown keys', () => {
    expect(classifyTag('major_brand', 'isom')).toBeUndefined();
    expect(classifyTag('encoder', 'Lavf59.27.100')).toBeUndefined();
    expect(classifyTag('encoder', 'DJI Mini 2')).toBe('device');
    expect(classifyTag('handler_name', 'GoPro AVC')).toBe('device');
    expect(classifyTag('com.apple.quicktime.location.ISO6709', '+1+2/')).toBe('location');
    expect(classifyTag('title', 'Anything')).toBe('identity');
    expect(classifyTag('comment', 'met at 52.520000, 13.405000')).toBe('location');
  });
});

describe('StreamingMatcher', () => {
  it('finds needles split across chunk boundaries, case-insensitively, with absolute offsets', () => {
    const hay = Buffer.from('xxxxLATITUDE=52.5200yyyy lin wei zz');
    for (let cut = 1; cut < hay.length; cut += 1) {
      const m = new StreamingMatcher([Buffer.from('latitude'), Buffer.from('52.5200'), Buffer.from('Lin Wei'), Buffer.from('absent')]);
      m.push(hay.subarray(0, cut));
      m.push(hay.subarray(cut));
      expect(m.matches.map((x) => [x.needle, x.offset]).sort()).toEqual([[0, 4], [1, 13], [2, 25]]);
    }
  });
  it('finds overlapping needles and binary needles', () => {
    const m = new StreamingMatcher([Buffer.from('abcd'), Buffer.from('bc'), Buffer.from([0, 0, 0, 0x21])]);
    m.push(Buffer.from([0x61, 0x62, 0x63, 0x64, 0, 0, 0, 0, 0x21]));
    expect(m.matches.map((x) => x.needle).sort()).toEqual([0, 1, 2]);
  });
  it('reports exactly the occurrences a naive search finds, for any chunking, with NUL-led and all-NUL needles', () => {
    const fold = (b: number) => (b >= 0x41 && b <= 0x5a ? b + 32 : b);
    const naive = (hay: Buffer, needles: Buffer[]) => {
      const found: string[] = [];
      needles.forEach((needle, idx) => {
        for (let at = 0; at + needle.length <= hay.length; at += 1) {
          if (needle.every((b, i) => fold(hay[at + i]!) === fold(b))) found.push(`${idx}@${at}`);
        }
      });
      return found.sort();
    };
    // a small alphabet (NUL-heavy, like media) so needles occur, overlap and straddle cuts often; chunks
    // shorter than a needle, so one needle can span three or more of them. size 'max': fast-check's default
    // size makes arrays of about ten elements, whatever maxLength says
    const byte = fc.constantFrom(0x00, 0x00, 0x00, 0x28, 0x01, 0xff, 0x41, 0x61);
    const needle = fc.uint8Array({ minLength: 1, maxLength: 6 }).map((bytes) => Buffer.from(bytes.map((b) => [0x00, 0x28, 0x01, 0xff, 0x61][b % 5]!)));
    fc.assert(
      fc.property(fc.array(byte, { maxLength: 300, size: 'max' }), fc.array(needle, { minLength: 1, maxLength: 5 }), fc.array(fc.oneof(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 40 })), { minLength: 1, maxLength: 20, size: 'max' }), (bytes, needles, cuts) => {
        const hay = Buffer.from(bytes);
        const matcher = new StreamingMatcher(needles, 100_000);
        let at = 0;
        for (let i = 0; at < hay.length; i += 1) {
          const n = cuts[i % cuts.length]!;
          matcher.push(hay.subarray(at, at + n));
          at += n;
        }
        expect(matcher.matches.map((m) => `${m.needle}@${m.offset}`).sort()).toEqual(naive(hay, needles));
      }),
      { numRuns: 300 },
    );
  });
});

describe('coordinate byte scanner', () => {
  it('finds text coordinates inside binary noise, across chunks', () => {
    const s = createCoordinateByteScanner();
    const payload = Buffer.concat([Buffer.from([0, 1, 2, 0xff]), Buffer.from('lat=48.858400;lon=2.294500'), Buffer.from([0, 9])]);
    s.push(payload.subarray(0, 12));
    s.push(payload.subarray(12));
    const hits = s.finish();
    expect(hits.some((h) => h.lat === 48.8584)).toBe(true);
    expect(hits.some((h) => h.lon === 2.2945)).toBe(true);
  });
});

describe('findMediaTools', () => {
  it('finds ffmpeg and ffprobe on PATH as absolute paths', async () => {
    const t = await findMediaTools();
    expect(t.ffmpeg).toMatch(/^\//);
    expect(t.ffprobe).toMatch(/^\//);
  });
  it('throws FFMPEG_MISSING with an install hint when the env override points nowhere', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'safehouse-notools-'));
    try {
      const err = await findMediaTools({ ...process.env, SAFEHOUSE_FFMPEG: join(dir, 'nope') }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'FFMPEG_MISSING' });
      expect(String((err as Error).message)).toMatch(/apt-get install ffmpeg/);
      await expect(findMediaTools({ PATH: dir })).rejects.toMatchObject({ code: 'FFMPEG_MISSING' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
