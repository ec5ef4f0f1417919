import { describe, expect, it } from 'vitest';
import { jpegtranArgs, orientationFilters } from '../../../src/main/core/media/image-tools';
import { cleanStill } from '../../../src/main/core/media/still-clean';
import { stillFormat } from '../../../src/main/core/media/still-master';
import { gifComments } from '../../../src/main/core/media/still-scan';

const latin = (s: string) => Buffer.from(s, 'latin1');

/** A 2×1 GIF89a with a global colour table, the given extension blocks before the image, and a trailer. */
function gif(extensions: Buffer[], trailer = true): Buffer {
  const header = Buffer.concat([latin('GIF89a'), Buffer.from([2, 0, 1, 0, 0x80, 0, 0]), Buffer.from([255, 0, 0, 0, 0, 255])]);
  const image = Buffer.concat([Buffer.from([0x2c, 0, 0, 0, 0, 2, 0, 1, 0, 0]), Buffer.from([2, 2, 0x44, 0x01, 0])]);
  return Buffer.concat([header, ...extensions, image, trailer ? Buffer.from([0x3b]) : Buffer.alloc(0)]);
}
const ext = (label: number, ...blocks: Buffer[]) => Buffer.concat([Buffer.from([0x21, label]), ...blocks.flatMap((b) => [Buffer.from([b.length]), b]), Buffer.from([0])]);
const control = ext(0xf9, Buffer.from([0, 10, 0, 0]));
const comment = ext(0xfe, latin('Amira at -33.8688, 151.2093'));
const loop = ext(0xff, latin('NETSCAPE2.0'), Buffer.from([1, 0, 0]));
const xmp = ext(0xff, latin('XMP DataXMP'), latin('<x:xmpmeta>GPS</x:xmpmeta>'));
const plainText = ext(0x01, Buffer.alloc(12), latin('SN-482913'));

describe('GIF cleaning', () => {
  it('keeps timing and loop count, drops comments, XMP and plain text, and is idempotent', () => {
    const dirty = gif([loop, control, comment, xmp, plainText]);
    const clean = cleanStill(dirty, 'gif');
    expect(clean.equals(gif([loop, control]))).toBe(true);
    expect(cleanStill(clean, 'gif').equals(clean)).toBe(true);
    expect(gifComments(dirty)).toEqual(['Amira at -33.8688, 151.2093']);
    expect(gifComments(clean)).toEqual([]);
  });

  it('drops bytes after the trailer', () => {
    expect(cleanStill(Buffer.concat([gif([]), latin('GPS 33.8688')]), 'gif').equals(gif([]))).toBe(true);
  });

  it.each([
    ['no trailer', gif([control], false)],
    ['a block cut short', gif([control]).subarray(0, 30)],
    ['an unknown block', Buffer.concat([gif([]).subarray(0, 19), Buffer.from([0x99]), gif([]).subarray(19)])],
    ['a header only', latin('GIF89a\x02')],
  ])('refuses %s (CANNOT_SANITIZE)', (_what, bytes) => {
    expect(() => cleanStill(bytes, 'gif')).toThrow(expect.objectContaining({ code: 'CANNOT_SANITIZE' }));
  });
});

function riffWebp(chunks: Array<[string, Buffer]>): Buffer {
  const body = chunks.map(([id, data]) => {
    const h = Buffer.alloc(8);
    h.write(id, 0, 'latin1');
    h.writeUInt32LE(data.length, 4);
    return Buffer.concat([h, data, data.length % 2 ? Buffer.alloc(1) : Buffer.alloc(0)]);
  });
  const out = Buffer.concat([latin('RIFF\0\0\0\0WEBP'), ...body]);
  out.writeUInt32LE(out.length - 8, 4);
  return out;
}

describe('WebP cleaning', () => {
  const vp8x = (flags: number) => Buffer.from([flags, 0, 0, 0, 1, 0, 0, 0, 0, 0]);
  const image = Buffer.from([1, 2, 3, 4, 5]);

  it('keeps picture and animation chunks, drops EXIF, XMP and ICC and clears their flags', () => {
    const dirty = riffWebp([['VP8X', vp8x(0x20 | 0x10 | 0x08 | 0x04)], ['ICCP', latin('Owner profile')], ['VP8L', image], ['EXIF', latin('Exif\0\0GPS')], ['XMP ', latin('<x:xmpmeta/>')]]);
    const clean = cleanStill(dirty, 'webp');
    expect(clean.equals(riffWebp([['VP8X', vp8x(0x10)], ['VP8L', image]]))).toBe(true);
    expect(cleanStill(clean, 'webp').equals(clean)).toBe(true);
  });

  it.each([
    ['a chunk past the end', (() => { const b = riffWebp([['VP8L', image]]); b.writeUInt32LE(999, 16); return b; })()],
    ['no picture chunk', riffWebp([['EXIF', latin('Exif')]])],
  ])('refuses %s (CANNOT_SANITIZE)', (_what, bytes) => {
    expect(() => cleanStill(bytes, 'webp')).toThrow(expect.objectContaining({ code: 'CANNOT_SANITIZE' }));
  });
});

describe('stillFormat', () => {
  const ftyp = (brand: string) => Buffer.concat([Buffer.from([0, 0, 0, 24]), latin(`ftyp${brand}`), Buffer.alloc(12)]);
  it.each([
    [Buffer.from([0xff, 0xd8, 0xff, 0xe1]), '.jpg', 'jpeg'],
    [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), '.PNG', 'png'],
    [latin('GIF87a......'), '.gif', 'gif'],
    [latin('RIFF\0\0\0\0WEBPVP8 '), '.webp', 'webp'],
    [ftyp('heic'), '.HEIC', 'heif'],
    [ftyp('mif1'), '.heif', 'heif'],
    [ftyp('avif'), '.avif', 'heif'],
    [ftyp('crx '), '.CR3', 'raw'],
    [ftyp('qt  '), '.mov', null],
    [Buffer.from([0xff, 0x0a, 1, 2]), '.jxl', 'jxl'],
    [Buffer.concat([Buffer.from([0, 0, 0, 12]), latin('JXL \r\n\x87\n')]), '.jxl', 'jxl'],
    [latin('II*\0\x08\0\0\0'), '.tif', 'tiff'],
    [latin('MM\0*\0\0\0\x08'), '.TIFF', 'tiff'],
    [latin('II*\0\x08\0\0\0'), '.DNG', 'raw'],
    [latin('II*\0\x10\0\0\0CR'), '.CR2', 'raw'],
    [latin('II*\0\x08\0\0\0'), '.NEF', 'raw'],
    [latin('II*\0\x08\0\0\0'), '.ARW', 'raw'],
    [latin('IIRO\x08\0\0\0'), '.ORF', 'raw'],
    [latin('FUJIFILMCCD-RAW 0201'), '.RAF', 'raw'],
    [latin('BM\0\0\0\0'), '.bmp', 'bmp'],
    [latin('BM\0\0\0\0'), '.jpg', null],
    [latin('not an image at all'), '.jpg', null],
    [Buffer.alloc(0), '.png', null],
  ])('%j named %s is %s', (bytes, name, format) => {
    expect(stillFormat(bytes, name)).toBe(format);
  });
});

describe('orientation', () => {
  it.each([
    [1, [], []],
    [2, ['hflip'], ['-flip', 'horizontal']],
    [3, ['hflip', 'vflip'], ['-rotate', '180']],
    [4, ['vflip'], ['-flip', 'vertical']],
    [5, ['transpose=cclock_flip'], ['-transpose']],
    [6, ['transpose=clock'], ['-rotate', '90']],
    [7, ['transpose=clock_flip'], ['-transverse']],
    [8, ['transpose=cclock'], ['-rotate', '270']],
    [9, [], []],
  ])('EXIF orientation %i → ffmpeg %j, jpegtran %j', (o, filters, jpegtran) => {
    expect(orientationFilters(o)).toEqual(filters);
    expect(jpegtranArgs(o)).toEqual(jpegtran);
  });
});
