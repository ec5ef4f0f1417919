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
 * Removes every metadata segment from a still, in memory (the plaintext never touches disk). JPEG and PNG
 * only: HEIC, TIFF, DNG and camera RAW keep metadata in structures we cannot rewrite provably, so they throw
 * CANNOT_SANITIZE and the pipeline stores them encrypted but quarantined.
 */
export function cleanStill(bytes: Buffer, ext: string): Buffer {
  const e = ext.toLowerCase().replace(/^\./, '');
  if ((e === 'jpg' || e === 'jpeg') && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return cleanJpeg(bytes);
  if (e === 'png' && bytes.subarray(0, 8).equals(PNG_SIG)) return cleanPng(bytes);
  throw new SafehouseError('CANNOT_SANITIZE', undefined, { cause: new Error(`unsupported still type .${e}`) });
}
