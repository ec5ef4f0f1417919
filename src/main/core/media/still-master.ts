import exifr from 'exifr';
import { SafehouseError } from '../../../shared/errors';
import { decodeToPng, heifToPng, rawToPng, rotateJpeg } from './image-tools';
import type { MediaTools } from './media-tools';
import { cleanStill } from './still-clean';

export type StillFormat = 'jpeg' | 'png' | 'gif' | 'webp' | 'tiff' | 'bmp' | 'heif' | 'jxl' | 'raw';
export type MasterStillExt = 'jpg' | 'png' | 'gif' | 'webp';

export interface StillMaster {
  bytes: Buffer;
  ext: MasterStillExt;
  /** Why the master is not the original format (or was re-oriented), for the clip's report; null if cleaned in place. */
  conversion: string | null;
}

// TIFF-structured and other raw formats, developed by libraw. Recognised by extension because most are
// plain TIFF on the outside.
const RAW_EXT = new Set(['dng', 'cr2', 'cr3', 'crw', 'nef', 'nrw', 'arw', 'srf', 'sr2', 'orf', 'raf', 'rw2', 'pef', 'srw', 'gpr', '3fr', 'erf', 'kdc', 'mrw', 'x3f', 'iiq']);
const HEIF_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1', 'avif', 'avis']);

/** Pure: the format of a still from its first bytes (and its extension, only to tell raws from TIFF). */
export function stillFormat(bytes: Buffer, ext: string): StillFormat | null {
  const e = ext.toLowerCase().replace(/^\./, '');
  const ascii = (from: number, to: number) => bytes.toString('latin1', from, to);
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (ascii(1, 4) === 'PNG' && bytes[0] === 0x89) return 'png';
  if (/^GIF8[79]a$/.test(ascii(0, 6))) return 'gif';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'webp';
  if (ascii(4, 8) === 'ftyp') return ascii(8, 12) === 'crx ' ? 'raw' : HEIF_BRANDS.has(ascii(8, 12)) ? 'heif' : null;
  if ((bytes[0] === 0xff && bytes[1] === 0x0a) || ascii(4, 8) === 'JXL ') return 'jxl';
  if (ascii(0, 15) === 'FUJIFILMCCD-RAW' || ['IIRO', 'IIRS', 'MMOR', 'IIU\0'].includes(ascii(0, 4))) return 'raw';
  if (ascii(0, 4) === 'II*\0' || ascii(0, 4) === 'MM\0*') return RAW_EXT.has(e) ? 'raw' : 'tiff';
  if (ascii(0, 2) === 'BM' && e === 'bmp') return 'bmp';
  return null;
}

/** EXIF orientation 1–8 (1 when absent or unreadable). WebP keeps its EXIF in a chunk exifr cannot find. */
async function orientationOf(bytes: Buffer, format: StillFormat): Promise<number> {
  let source = bytes;
  if (format === 'webp') {
    const at = bytes.indexOf('EXIF', 12, 'latin1');
    if (at < 0) return 1;
    source = bytes.subarray(at + 8, at + 8 + bytes.readUInt32LE(at + 4));
    if (source.toString('latin1', 0, 6) === 'Exif\0\0') source = source.subarray(6);
  }
  const value = await exifr.orientation(source).catch(() => undefined);
  return typeof value === 'number' && value >= 1 && value <= 8 ? value : 1;
}

const asPng = (bytes: Buffer, conversion: string): StillMaster => ({ bytes: cleanStill(bytes, 'png'), ext: 'png', conversion });

/**
 * The clean master of a still, in memory: JPEG, PNG, GIF and WebP are cleaned in place (segments and
 * chunks dropped by hand); formats whose metadata we do not rewrite (TIFF, BMP, JPEG XL, HEIF/AVIF, camera
 * raws) are decoded and stored as lossless PNG, with the reason recorded. An orientation flag is applied to
 * the pixels before it is dropped with the rest of the metadata, so upright photos stay upright.
 */
export async function makeStillMaster(tools: MediaTools, bytes: Buffer, ext: string): Promise<StillMaster> {
  const format = stillFormat(bytes, ext);
  if (!format) throw new SafehouseError('CANNOT_SANITIZE', undefined, { cause: new Error(`unsupported still type ${ext || '(no extension)'}`) });
  const orientation = format === 'heif' || format === 'raw' ? 1 : await orientationOf(bytes, format);
  const upright = orientation === 1 ? '' : ` Its orientation flag (${orientation}) was applied to the pixels.`;
  switch (format) {
    case 'jpeg': {
      if (orientation === 1) return { bytes: cleanStill(bytes, 'jpg'), ext: 'jpg', conversion: null };
      const turned = await rotateJpeg(bytes, orientation);
      if (turned) return { bytes: cleanStill(turned, 'jpg'), ext: 'jpg', conversion: `Turned upright losslessly (orientation flag ${orientation}).` };
      return asPng(await decodeToPng(tools, bytes, 'jpeg_pipe', orientation), `The JPEG's size is not a whole number of JPEG blocks, so it could not be turned upright losslessly; stored as lossless PNG of its pixels.${upright}`);
    }
    case 'png':
      if (orientation === 1) return { bytes: cleanStill(bytes, 'png'), ext: 'png', conversion: null };
      return asPng(await decodeToPng(tools, bytes, 'png_pipe', orientation), `Re-encoded as lossless PNG.${upright}`);
    case 'gif':
      return { bytes: cleanStill(bytes, 'gif'), ext: 'gif', conversion: null };
    case 'webp': {
      const animated = bytes.includes(Buffer.from('ANMF', 'latin1'));
      if (orientation === 1 || animated) return { bytes: cleanStill(bytes, 'webp'), ext: 'webp', conversion: null };
      return asPng(await decodeToPng(tools, bytes, 'webp_pipe', orientation), `Stored as lossless PNG of its pixels.${upright}`);
    }
    case 'tiff':
      return asPng(await decodeToPng(tools, bytes, 'tiff_pipe', orientation, { seekable: true }), `TIFF keeps metadata in directories that cannot be rewritten provably; stored as lossless PNG of its pixels (same bit depth).${upright}`);
    case 'bmp':
      return asPng(await decodeToPng(tools, bytes, 'bmp_pipe', orientation), 'BMP can embed or name a colour profile; stored as lossless PNG of its pixels.');
    case 'jxl':
      return asPng(await decodeToPng(tools, bytes, 'jpegxl_pipe', orientation, { seekable: true }), 'JPEG XL boxes cannot be rewritten provably here; stored as lossless PNG of its decoded pixels (libjxl applies its orientation).');
    case 'heif':
      return asPng(await heifToPng(bytes), 'HEIF/AVIF keeps metadata in item boxes that cannot be rewritten provably; stored as lossless PNG of its decoded pixels (libheif applies its rotation and mirroring).');
    case 'raw':
      return asPng(await rawToPng(tools, bytes, `.${ext.toLowerCase().replace(/^\./, '')}`), 'Camera raw: developed with libraw (camera white balance, sRGB, upright) to a 16-bit PNG; the raw file with its maker notes is not kept.');
  }
}
