/** A coordinate (or one half of one) spotted in free text: sidecars, subtitles, tags, raw bytes. */
export interface CoordinateHit {
  raw: string;
  lat?: number;
  lon?: number;
}

const D = String.raw`-?\d{1,3}\.\d+`;
// Each pattern names the notation cameras actually write; matching is deliberately generous (fail closed).
const ISO6709 = /([+-]\d{2}(?:\.\d+)?)([+-]\d{3}(?:\.\d+)?)(?:[+-]\d+(?:\.\d+)?)?(?:CRS[\w:]*)?(\/)?/g;
const KEYED = new RegExp(String.raw`\b(lat(?:itude)?|lon(?:gitude)?|lng|long)\b["']?\s*(?:value=)?["']?\s*[:=]?\s*["']?(${D})`, 'gi');
const DJI_GPS = new RegExp(String.raw`\b(?:GPS|HOME)\s*\(\s*(${D})\s*,\s*(${D})`, 'gi');
const PAIR = new RegExp(String.raw`(?<![\d.])(-?\d{1,2}\.\d{4,})\s*[,;]\s*(-?\d{1,3}\.\d{4,})(?![\d.])`, 'g');
const DMS = /(\d{1,3})\s*(?:°|deg)\s*(\d{1,2})\s*['′]\s*(\d{1,2}(?:\.\d+)?)\s*(?:["″]|'')\s*([NSEW])?/gi;
const XMP_GPS = /\b(\d{1,3}),(\d{1,2}(?:\.\d+)?)([NSEW])/g;

const isLat = (n: number) => Math.abs(n) <= 90;
const isLon = (n: number) => Math.abs(n) <= 180;

/**
 * Finds coordinates in text. Returns each raw match plus the parsed lat/lon where the notation says which is
 * which; single keyed values (e.g. `latitude="51.5074"` in an XML sidecar) are returned on their own.
 */
export function findCoordinates(text: string): CoordinateHit[] {
  const hits: CoordinateHit[] = [];
  for (const m of text.matchAll(ISO6709)) {
    const [raw, a, b, slash] = m;
    // "+52+013" alone is too weak; require decimals or the ISO terminator.
    if (!slash && !(a?.includes('.') && b?.includes('.'))) continue;
    const lat = Number(a);
    const lon = Number(b);
    if (isLat(lat) && isLon(lon)) hits.push({ raw, lat, lon });
  }
  for (const m of text.matchAll(KEYED)) {
    const key = (m[1] ?? '').toLowerCase();
    const v = Number(m[2]);
    if (key.startsWith('lat') ? isLat(v) : isLon(v)) hits.push(key.startsWith('lat') ? { raw: m[0], lat: v } : { raw: m[0], lon: v });
  }
  for (const m of text.matchAll(DJI_GPS)) {
    // DJI writes GPS(lon,lat,alt); guess by range when ambiguous.
    const a = Number(m[1]);
    const b = Number(m[2]);
    const [lat, lon] = isLat(b) ? [b, a] : [a, b];
    hits.push({ raw: m[0], lat, lon });
  }
  for (const m of text.matchAll(PAIR)) {
    const lat = Number(m[1]);
    const lon = Number(m[2]);
    if (isLat(lat) && isLon(lon)) hits.push({ raw: m[0], lat, lon });
  }
  for (const m of text.matchAll(DMS)) {
    const v = Number(m[1]) + Number(m[2]) / 60 + Number(m[3]) / 3600;
    const sign = /[SW]/i.test(m[4] ?? '') ? -1 : 1;
    hits.push(/[EW]/i.test(m[4] ?? '') ? { raw: m[0], lon: sign * v } : { raw: m[0], lat: sign * v });
  }
  for (const m of text.matchAll(XMP_GPS)) {
    const v = Number(m[1]) + Number(m[2]) / 60;
    const sign = /[SW]/.test(m[3] ?? '') ? -1 : 1;
    hits.push(/[EW]/.test(m[3] ?? '') ? { raw: m[0], lon: sign * v } : { raw: m[0], lat: sign * v });
  }
  return hits;
}

// Serial numbers as cameras label them in XML/TXT sidecars and free text.
const SERIAL = /\b(serial[\s_-]*(?:no|number|num)?|serialNo|SN|body[\s_-]*serial|lens[\s_-]*serial)\b["']?\s*[:=#]?\s*["']?([A-Z0-9][A-Z0-9-]{3,})/gi;

export function findSerials(text: string): string[] {
  return [...text.matchAll(SERIAL)].map((m) => m[2] ?? '').filter((s) => /\d/.test(s));
}
