import exifr from 'exifr';
import { findCoordinates } from './coords-text';
import type { FindingList, FindingSource } from './findings';
import { classifyTag } from './tag-classify';

// Everything exifr can read, grouped by segment so each finding says where it came from.
export const EXIFR_ALL = {
  tiff: true, exif: true, gps: true, interop: true, ifd1: true, xmp: true, iptc: true, icc: true,
  ihdr: true, jfif: false, makerNote: true, userComment: true, multiSegment: true, mergeOutput: false,
  translateKeys: true, translateValues: false, reviveValues: true, sanitize: false, silentErrors: true,
} as const;

const EXIF_SEGMENTS = new Set(['ifd0', 'exif', 'gps', 'interop', 'ifd1', 'makerNote', 'iptc', 'icc', 'ihdr']);

function sourceFor(segment: string, key: string, value: string): FindingSource {
  // exifr files XMP's exif:GPS* under "exif"; real EXIF GPS lives in the "gps" IFD, and XMP writes "33,52.128S".
  if (segment === 'exif' && /^GPS/.test(key) && /[NSEW]$/.test(value)) return 'xmp';
  return EXIF_SEGMENTS.has(segment) ? 'exif' : 'xmp';
}

function flatten(prefix: string, value: unknown, out: Array<[string, string]>): void {
  if (value === null || value === undefined) return;
  if (value instanceof Uint8Array) return; // binary blobs (thumbnails, maker notes) are dropped with the segment
  if (Array.isArray(value)) {
    out.push([prefix, value.map((v) => String(v)).join(' ')]);
    return;
  }
  if (typeof value === 'object') {
    if (value instanceof Date) {
      out.push([prefix, value.toISOString()]);
      return;
    }
    for (const [k, v] of Object.entries(value)) flatten(prefix ? `${prefix}.${k}` : k, v, out);
    return;
  }
  out.push([prefix, String(value)]);
}

/**
 * What exifr reads of a still. WebP keeps EXIF in a RIFF chunk exifr does not look for, so that chunk's
 * TIFF structure is handed over directly; GIF comments are text exifr does not read at all.
 */
function exifSource(bytes: Buffer): Buffer {
  if (bytes.toString('latin1', 0, 4) !== 'RIFF' || bytes.toString('latin1', 8, 12) !== 'WEBP') return bytes;
  const at = bytes.indexOf('EXIF', 12, 'latin1');
  if (at < 0 || at + 8 > bytes.length) return bytes;
  const chunk = bytes.subarray(at + 8, at + 8 + bytes.readUInt32LE(at + 4));
  return chunk.toString('latin1', 0, 6) === 'Exif\0\0' ? chunk.subarray(6) : chunk;
}

/** Text of GIF comment extensions (0x21 0xFE, then length-prefixed sub-blocks). */
export function gifComments(bytes: Buffer): string[] {
  if (!/^GIF8[79]a$/.test(bytes.toString('latin1', 0, 6))) return [];
  const out: string[] = [];
  for (let at = bytes.indexOf(Buffer.from([0x21, 0xfe]), 13); at >= 0; at = bytes.indexOf(Buffer.from([0x21, 0xfe]), at + 2)) {
    let p = at + 2;
    let text = '';
    while (p < bytes.length && bytes[p] !== 0) {
      text += bytes.toString('latin1', p + 1, p + 1 + (bytes[p] as number));
      p += 1 + (bytes[p] as number);
    }
    if (text.trim()) out.push(text);
  }
  return out;
}

/** EXIF / XMP / IPTC / PNG-text fields of a still via exifr (plus GIF comments), classified. */
export async function scanStillBytes(bytes: Buffer, file: string, out: FindingList): Promise<void> {
  for (const text of gifComments(bytes)) {
    const coord = findCoordinates(text)[0];
    out.add({
      category: classifyTag('comment', text) ?? 'identity', source: 'exif', field: 'gif.comment', value: text, file,
      ...(coord?.lat !== undefined ? { lat: coord.lat } : {}), ...(coord?.lon !== undefined ? { lon: coord.lon } : {}),
    });
  }
  const parsed = (await exifr.parse(exifSource(bytes), EXIFR_ALL).catch(() => undefined)) as Record<string, unknown> | undefined;
  if (!parsed) return;
  for (const [segment, fields] of Object.entries(parsed)) {
    const flat: Array<[string, string]> = [];
    flatten('', fields, flat);
    for (const [key, value] of flat) {
      const leaf = key.split('.').pop() ?? key;
      if (/IFD$/.test(leaf)) continue; // offsets of sub-directories, not values
      const category = segment === 'gps' ? 'location' : classifyTag(leaf, value);
      if (!category) continue;
      // exifr computes decimal degrees as floats (151.20929999999998); report them as cameras print them.
      const shown = segment === 'gps' && /^(latitude|longitude)$/.test(leaf) ? Number(value).toFixed(6) : value;
      const f = { category, source: sourceFor(segment, leaf, value), field: `${segment}.${key}`, value: shown, file };
      const coord = segment === 'gps' && /^latitude$/i.test(leaf) ? { lat: Number(value) } : segment === 'gps' && /^longitude$/i.test(leaf) ? { lon: Number(value) } : findCoordinates(value)[0] ?? {};
      const lat = 'lat' in coord ? coord.lat : undefined;
      const lon = 'lon' in coord ? coord.lon : undefined;
      out.add({ ...f, ...(lat !== undefined && Number.isFinite(lat) ? { lat } : {}), ...(lon !== undefined && Number.isFinite(lon) ? { lon } : {}) });
    }
  }
}
