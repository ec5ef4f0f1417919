import type { MetadataFinding } from './findings';
import { findCoordinates } from './coords-text';

/**
 * Shortest needle searched in sanitized bytes. Shorter values (a 4-letter first name, "Sony") would match
 * by chance in gigabytes of compressed video and quarantine every clip; their fields are removed structurally
 * and checked by ffprobe/exifr instead.
 */
export const MIN_NEEDLE_BYTES = 6;

const trunc = (v: number, d: number) => (Math.trunc(v * 10 ** d) / 10 ** d).toFixed(d);

function decimalForms(v: number): string[] {
  const out: string[] = [];
  for (const d of [4, 5, 6]) out.push(v.toFixed(d), trunc(v, d));
  return out;
}

function dms(v: number): { d: number; m: number; s: number } {
  const a = Math.abs(v);
  const d = Math.floor(a);
  const m = Math.floor((a - d) * 60);
  const s = (a - d - m / 60) * 3600;
  return { d, m, s };
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

function rational(num: number, den: number, le: boolean): Buffer {
  const g = gcd(num, den) || 1;
  const b = Buffer.alloc(8);
  if (le) {
    b.writeUInt32LE(num / g, 0);
    b.writeUInt32LE(den / g, 4);
  } else {
    b.writeUInt32BE(num / g, 0);
    b.writeUInt32BE(den / g, 4);
  }
  return b;
}

/** EXIF GPS rational triples (deg/1, min/1, sec/den) as cameras and exiftool write them, both byte orders. */
function exifRationals(v: number): Buffer[] {
  const { d, m, s } = dms(v);
  const out: Buffer[] = [];
  for (const le of [false, true]) {
    for (const den of [1, 100, 1000, 10000]) {
      out.push(Buffer.concat([rational(d, 1, le), rational(m, 1, le), rational(Math.round(s * den), den, le)]));
    }
    // Some cameras write decimal minutes and 0 seconds.
    out.push(Buffer.concat([rational(d, 1, le), rational(Math.round((m + s / 60) * 10000), 10000, le), rational(0, 1, le)]));
  }
  return out;
}

/** Every textual notation of one latitude or longitude. */
export function coordinateNotations(v: number, axis: 'lat' | 'lon'): string[] {
  const sign = v < 0 ? '-' : '+';
  const a = Math.abs(v);
  const { d, m, s } = dms(v);
  const hemi = axis === 'lat' ? (v < 0 ? 'S' : 'N') : v < 0 ? 'W' : 'E';
  const pad = axis === 'lat' ? 2 : 3;
  const forms = [
    ...decimalForms(a), // covers "-33.8688", "33.868800", and the digits inside ISO 6709 strings
    `${sign}${a.toFixed(4).padStart(pad + 5, '0')}`, // ISO 6709 component
    `${d}°${m}'${Math.round(s)}`, `${d}°${m}'${s.toFixed(1)}`, `${d}°${m}'${s.toFixed(2)}`,
    `${d} deg ${m}' ${s.toFixed(2)}`, // exiftool print form
    `${d},${(m + s / 60).toFixed(3)}${hemi}`, // XMP exif:GPSLatitude
    `${String(d).padStart(pad, '0')}${String(m).padStart(2, '0')}.${trunc((m + s / 60) % 1, 4).slice(2)}`, // NMEA ddmm.mmmm
  ];
  return forms;
}

/** Bytes to search for in sanitized output: each found value plus every notation of each coordinate. */
export function needlesFromFindings(findings: readonly MetadataFinding[]): Buffer[] {
  const text = new Set<string>();
  const binary: Buffer[] = [];
  const coords: Array<[number, 'lat' | 'lon']> = [];
  for (const f of findings) {
    text.add(f.value);
    // Long values (descriptions) also contribute their words, since a muxer may keep part of a field.
    for (const word of f.value.split(/[\s,;/]+/)) if (/[A-Za-z]{3,}.*\d|\d{5,}|[A-Za-z]{6,}/.test(word)) text.add(word);
    if (f.lat !== undefined) coords.push([f.lat, 'lat']);
    if (f.lon !== undefined) coords.push([f.lon, 'lon']);
    if (f.category === 'location' && f.lat === undefined && f.lon === undefined) {
      for (const hit of findCoordinates(f.value)) {
        if (hit.lat !== undefined) coords.push([hit.lat, 'lat']);
        if (hit.lon !== undefined) coords.push([hit.lon, 'lon']);
      }
    }
  }
  for (const [v, axis] of coords) {
    if (!Number.isFinite(v)) continue;
    for (const form of coordinateNotations(v, axis)) text.add(form);
    binary.push(...exifRationals(v));
  }
  const out: Buffer[] = [];
  const seen = new Set<string>();
  for (const t of text) {
    const b = Buffer.from(t, 'utf8');
    const key = b.toString('hex');
    if (b.length >= MIN_NEEDLE_BYTES && !seen.has(key)) {
      seen.add(key);
      out.push(b);
    }
    // Latin-1 writers (old cameras, RIFF INFO) store "°" as one byte.
    if (/[\u0080-\u00ff]/.test(t)) {
      const l = Buffer.from(t, 'latin1');
      if (!seen.has(l.toString('hex'))) {
        seen.add(l.toString('hex'));
        out.push(l);
      }
    }
  }
  for (const b of binary) {
    if (seen.has(b.toString('hex'))) continue;
    seen.add(b.toString('hex'));
    out.push(b);
  }
  return out;
}
