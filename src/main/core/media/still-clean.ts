import { SafehouseError } from '../../../shared/errors';

const PNG_SIG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
// Allow-list: critical chunks and rendering hints that hold numbers only. Everything else (tEXt, iTXt, zTXt,
// eXIf, tIME, iCCP with its free-text profile name, private chunks) is dropped.
const PNG_KEEP = new Set(['IHDR', 'PLTE', 'IDAT', 'IEND', 'tRNS', 'gAMA', 'cHRM', 'sRGB', 'sBIT', 'bKGD', 'pHYs', 'acTL', 'fcTL', 'fdAT']);

const cannot = (why: string) =>
  new SafehouseError('CANNOT_SANITIZE', undefined, { cause: new Error(why) });

function cleanPng(src: Buffer): Buffer {
  const parts: Buffer[] = [PNG_SIG];
  let pos = 8;
  while (pos + 12 <= src.length) {
    const len = src.readUInt32BE(pos);
    const type = src.toString('latin1', pos + 4, pos + 8);
    const end = pos + 12 + len;
    if (end > src.length) throw cannot('PNG chunk runs past the end of the file');
    if (PNG_KEEP.has(type)) parts.push(src.subarray(pos, end));
    pos = end;
    if (type === 'IEND') return Buffer.concat(parts); // bytes appended after IEND are dropped
  }
  throw cannot('PNG has no IEND chunk');
}

/** Copies GIF data sub-blocks (length byte + data, ended by a zero length) starting at pos; returns the end. */
function subBlocksEnd(src: Buffer, pos: number): number {
  let p = pos;
  while (p < src.length) {
    const len = src[p] as number;
    p += 1 + len;
    if (len === 0) return p;
  }
  throw cannot('GIF block runs past the end of the file');
}

const colourTableBytes = (packed: number) => (packed & 0x80 ? 3 * 2 ** ((packed & 0x07) + 1) : 0);
// Application extensions that only say how to loop an animation. Others (XMP "XMP DataXMP", ICC profiles,
// editors' private data) are dropped.
const GIF_KEEP_APPS = new Set(['NETSCAPE2.0', 'ANIMEXTS1.0']);

/**
 * GIF: keeps the header, colour tables, image data and graphic-control (timing/transparency) extensions;
 * drops comment, plain-text and application extensions except the loop count, and anything after the trailer.
 */
function cleanGif(src: Buffer): Buffer {
  if (src.length < 13) throw cannot('GIF header is truncated');
  let pos = 13 + colourTableBytes(src[10] as number);
  const parts: Buffer[] = [src.subarray(0, pos)];
  while (pos < src.length) {
    const intro = src[pos] as number;
    if (intro === 0x3b) {
      parts.push(src.subarray(pos, pos + 1));
      return Buffer.concat(parts);
    }
    if (intro === 0x2c) {
      if (pos + 10 > src.length) throw cannot('GIF image descriptor is truncated');
      const dataStart = pos + 10 + colourTableBytes(src[pos + 9] as number) + 1; // + LZW minimum code size
      const end = subBlocksEnd(src, dataStart);
      parts.push(src.subarray(pos, end));
      pos = end;
      continue;
    }
    if (intro !== 0x21 || pos + 2 > src.length) throw cannot('GIF block expected');
    const label = src[pos + 1] as number;
    const end = subBlocksEnd(src, pos + 2);
    const app = label === 0xff && src[pos + 2] === 11 ? src.toString('latin1', pos + 3, pos + 14) : '';
    if (label === 0xf9 || GIF_KEEP_APPS.has(app)) parts.push(src.subarray(pos, end));
    pos = end;
  }
  throw cannot('GIF has no trailer');
}

// WebP chunks that hold pictures and animation only; EXIF, "XMP " and ICCP (free-text profile) are dropped.
const WEBP_KEEP = new Set(['VP8 ', 'VP8L', 'VP8X', 'ALPH', 'ANIM', 'ANMF']);
// VP8X flag bits announcing ICC (0x20), EXIF (0x08) and XMP (0x04) chunks, cleared with the chunks.
const VP8X_METADATA_FLAGS = 0x20 | 0x08 | 0x04;

/** WebP: rewrites the RIFF container with only the picture chunks, metadata flags cleared. */
function cleanWebp(src: Buffer): Buffer {
  const parts: Buffer[] = [];
  let pos = 12;
  const riffEnd = Math.min(src.length, 8 + src.readUInt32LE(4));
  while (pos + 8 <= riffEnd) {
    const id = src.toString('latin1', pos, pos + 4);
    const len = src.readUInt32LE(pos + 4);
    const end = pos + 8 + len + (len % 2);
    if (pos + 8 + len > riffEnd) throw cannot('WebP chunk runs past the end of the file');
    if (WEBP_KEEP.has(id)) {
      const chunk = Buffer.from(src.subarray(pos, Math.min(end, riffEnd)));
      if (id === 'VP8X') chunk[8] = (chunk[8] as number) & ~VP8X_METADATA_FLAGS;
      parts.push(chunk.length % 2 ? Buffer.concat([chunk, Buffer.alloc(1)]) : chunk);
    }
    pos = end;
  }
  if (parts.length === 0) throw cannot('WebP has no image chunk');
  const header = Buffer.from('RIFF\0\0\0\0WEBP', 'latin1');
  const out = Buffer.concat([header, ...parts]);
  out.writeUInt32LE(out.length - 8, 4);
  return out;
}

// Markers with no length field.
const isStandalone = (m: number) => m === 0x01 || (m >= 0xd0 && m <= 0xd7);

/**
 * JPEG: keeps the JFIF APP0 header, Adobe APP14 (colour transform flag, no text) and all coding segments;
 * drops APP1 (EXIF/XMP), APP2 (ICC — profiles name devices and owners; MPF), APP13 (IPTC/Photoshop), every
 * other APPn and COM, and anything after EOI (phones append preview/depth JPEGs with their own EXIF there).
 */
function cleanJpeg(src: Buffer): Buffer {
  const parts: Buffer[] = [src.subarray(0, 2)];
  let pos = 2;
  while (pos + 2 <= src.length) {
    if (src[pos] !== 0xff) throw cannot('JPEG marker expected');
    const marker = src[pos + 1] as number;
    if (marker === 0xff) {
      pos += 1; // fill byte
      continue;
    }
    if (marker === 0xd9) {
      parts.push(src.subarray(pos, pos + 2));
      return Buffer.concat(parts);
    }
    if (isStandalone(marker)) {
      parts.push(src.subarray(pos, pos + 2));
      pos += 2;
      continue;
    }
    if (pos + 4 > src.length) break;
    const len = src.readUInt16BE(pos + 2);
    const end = pos + 2 + len;
    if (len < 2 || end > src.length) throw cannot('JPEG segment runs past the end of the file');
    const isApp = marker >= 0xe0 && marker <= 0xef;
    const keep =
      (!isApp && marker !== 0xfe) ||
      (marker === 0xe0 && src.toString('latin1', pos + 4, pos + 9) === 'JFIF\0') ||
      (marker === 0xee && len === 14 && src.toString('latin1', pos + 4, pos + 9) === 'Adobe');
    if (keep) parts.push(src.subarray(pos, end));
    pos = end;
    if (marker === 0xda) {
      // Entropy-coded data: runs to the next marker that is not a stuffed 0xFF00 or a restart marker.
      let i = pos;
      while (i + 1 < src.length && !(src[i] === 0xff && src[i + 1] !== 0x00 && !isStandalone(src[i + 1] as number) && src[i + 1] !== 0xff)) i += 1;
      if (i + 1 >= src.length) throw cannot('JPEG scan has no end');
      parts.push(src.subarray(pos, i));
      pos = i;
    }
  }
  throw cannot('JPEG has no end-of-image marker');
}

/**
 * Removes every metadata segment from a still, in memory (the plaintext never touches disk). JPEG, PNG,
 * GIF and WebP are cleaned in place; other formats (HEIC, TIFF, raws …) keep metadata in structures we do
 * not rewrite, so still-master.ts converts them to PNG first. Anything else throws CANNOT_SANITIZE and the
 * pipeline stores it encrypted but quarantined.
 */
export function cleanStill(bytes: Buffer, ext: string): Buffer {
  const e = ext.toLowerCase().replace(/^\./, '');
  if ((e === 'jpg' || e === 'jpeg') && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return cleanJpeg(bytes);
  if (e === 'png' && bytes.subarray(0, 8).equals(PNG_SIG)) return cleanPng(bytes);
  if (e === 'gif' && /^GIF8[79]a$/.test(bytes.toString('latin1', 0, 6))) return cleanGif(bytes);
  if (e === 'webp' && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP') return cleanWebp(bytes);
  throw new SafehouseError('CANNOT_SANITIZE', undefined, { cause: new Error(`unsupported still type .${e}`) });
}
