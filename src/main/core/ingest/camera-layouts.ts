/**
 * Recognises where a file sits in a camera's card layout, and whether it is a clip (primary) or a sidecar
 * of one. Purely name-based: nothing here touches the disk. Names are compared upper-cased because FAT and
 * exFAT cards are case-insensitive and some readers or phones present lower-case names.
 */

export type MediaKind = 'video' | 'audio' | 'still';
export type SidecarKind = 'xml' | 'srt' | 'thumbnail' | 'lowres' | 'aae' | 'other';

/** groupKey ties sidecars to their primary; it is only compared, never shown. */
export type FileClass =
  | { role: 'primary'; layout: string; kind: MediaKind; groupKey: string }
  | {
      role: 'sidecar';
      layout: string;
      sidecarKind: SidecarKind;
      /**
       * True when the format can hold location or device identity (GPS telemetry, camera serials, EXIF).
       * Such sidecars never go into the vault. It fails closed: every format that *can* carry it is marked.
       */
      carriesLocation: boolean;
      groupKey: string;
      /** Which primary of the group the sidecar describes when stills and video share a name (DJI, Live Photos). */
      belongsTo: MediaKind | 'any';
    };

const videoExt = new Set(['MP4', 'MOV', 'MTS', 'M2TS', 'MXF', 'AVI', 'MKV', 'M4V', '3GP', 'MPG', 'MPEG', 'WEBM', 'INSV', 'WMV', 'ASF']);
const audioExt = new Set(['WAV', 'BWF', 'MP3', 'M4A', 'AAC', 'FLAC', 'AIF', 'AIFF', 'AIFC', 'OGG', 'OPUS', 'WMA']);
const stillExt = new Set([
  'JPG', 'JPEG', 'HEIC', 'HEIF', 'PNG', 'DNG', 'CR2', 'CR3', 'NEF', 'NRW', 'ARW', 'RW2', 'ORF', 'RAF', 'PEF',
  'SRW', 'GPR', 'TIF', 'TIFF', 'WEBP', 'INSP', 'HIF', 'AVIF', 'JXL', 'BMP', 'GIF',
]);

export function mediaKindOf(extUpper: string): MediaKind | null {
  if (videoExt.has(extUpper)) return 'video';
  if (audioExt.has(extUpper)) return 'audio';
  if (stillExt.has(extUpper)) return 'still';
  return null;
}

type SidecarSpec = { sidecarKind: SidecarKind; carriesLocation: boolean; belongsTo: MediaKind | 'any' };

/** Sidecars that sit next to their primary under the same stem (DCIM folders and the generic fallback). */
const sameStemSidecars: Record<string, SidecarSpec> = {
  SRT: { sidecarKind: 'srt', carriesLocation: true, belongsTo: 'video' }, // DJI per-frame GPS, altitude, camera
  LRV: { sidecarKind: 'lowres', carriesLocation: true, belongsTo: 'video' }, // GoPro proxy keeps GPMF GPS track
  LRF: { sidecarKind: 'lowres', carriesLocation: true, belongsTo: 'video' }, // DJI low-res proxy
  THM: { sidecarKind: 'thumbnail', carriesLocation: true, belongsTo: 'video' }, // JPEG; Canon's holds full EXIF
  AAE: { sidecarKind: 'aae', carriesLocation: true, belongsTo: 'still' }, // iPhone edit plist
  XML: { sidecarKind: 'xml', carriesLocation: true, belongsTo: 'any' }, // camera metadata: serials, GPS
  XMP: { sidecarKind: 'xml', carriesLocation: true, belongsTo: 'any' }, // XMP often carries GPS and names
};

interface Parsed {
  segs: string[];
  up: string[];
  dirKey: string;
  stem: string;
  ext: string;
}

function parse(relPath: string): Parsed {
  const segs = relPath.split('/');
  const up = segs.map((s) => s.toUpperCase());
  const name = up[up.length - 1] ?? '';
  const dot = name.lastIndexOf('.');
  return {
    segs,
    up,
    dirKey: up.slice(0, -1).join('/'),
    stem: dot > 0 ? name.slice(0, dot) : name,
    ext: dot > 0 ? name.slice(dot + 1) : '',
  };
}

/** Index of `name` such that the file sits exactly `depth` levels below it, or -1. */
function anchor(p: Parsed, names: string[], depth: number): number {
  const i = p.up.length - 1 - depth;
  if (i < 0) return -1;
  for (let k = 0; k < names.length; k++) if (p.up[i + k] !== names[k]) return -1;
  return i;
}

function primary(layout: string, kind: MediaKind, groupKey: string): FileClass {
  return { role: 'primary', layout, kind, groupKey };
}
function sidecar(layout: string, spec: SidecarSpec, groupKey: string): FileClass {
  return { role: 'sidecar', layout, groupKey, ...spec };
}

// Each rule answers: undefined = not this layout; null = this layout's folder, but not a file we ingest.
type Rule = (p: Parsed) => FileClass | null | undefined;

/** Sony XAVC (PRIVATE/M4ROOT) and XDCAM (XDROOT): clip, NRT XML (…M01.XML), thumbnail (…T01.JPG), proxy (…S03.MP4). */
const sony: Rule = (p) => {
  const m4 = anchor(p, ['PRIVATE', 'M4ROOT'], 3);
  const xd = anchor(p, ['XDROOT'], 2);
  const i = m4 >= 0 ? m4 + 1 : xd;
  if (i < 0) return undefined;
  const layout = m4 >= 0 ? 'sony-xavc' : 'sony-xdcam';
  const base = p.up.slice(0, i + 1).join('/') + '|';
  const sub = p.up[i + 1];
  const xml = /^(.+)M\d\d$/.exec(p.stem);
  if (sub === 'CLIP' && (p.ext === 'MP4' || p.ext === 'MXF')) return primary(layout, 'video', base + p.stem);
  if (sub === 'CLIP' && p.ext === 'XML' && xml) return sidecar(layout, sameStemSidecars.XML!, base + xml[1]);
  const thumb = /^(.+)T\d\d$/.exec(p.stem);
  if (sub === 'THMBNL' && p.ext === 'JPG' && thumb) return sidecar(layout, sameStemSidecars.THM!, base + thumb[1]);
  const proxy = /^(.+)S\d\d$/.exec(p.stem);
  if (sub === 'SUB' && p.ext === 'MP4' && proxy) return sidecar(layout, sameStemSidecars.LRV!, base + proxy[1]);
  return null;
};

/** Canon Cinema EOS: CONTENTS/CLIPS001/<clip>.MP4|MXF with a same-stem XML (serial, lens, GPS). */
const canonCinema: Rule = (p) => {
  const i = anchor(p, ['CONTENTS'], 2);
  if (i < 0 || !/^CLIPS\d{3}$/.test(p.up[i + 1] ?? '')) return undefined;
  const key = p.dirKey + '|' + p.stem;
  if (p.ext === 'MP4' || p.ext === 'MXF' || p.ext === 'MOV') return primary('canon-cinema', 'video', key);
  if (p.ext === 'XML') return sidecar('canon-cinema', sameStemSidecars.XML!, key);
  return null;
};

/** AVCHD (Panasonic, older Sony): BDMV/STREAM/*.MTS with BDMV/CLIPINF/*.CPI; playlists and indexes stay unknown. */
const avchd: Rule = (p) => {
  const i = anchor(p, ['AVCHD', 'BDMV'], 3);
  if (i < 0) return p.up.includes('AVCHD') && p.up.includes('BDMV') ? null : undefined;
  const base = p.up.slice(0, i + 2).join('/') + '|';
  const sub = p.up[i + 2];
  if (sub === 'STREAM' && (p.ext === 'MTS' || p.ext === 'M2TS')) return primary('panasonic-avchd', 'video', base + p.stem);
  // CPI is binary stream/timing info with no location fields known; it is still never needed in the vault.
  const cpi: SidecarSpec = { sidecarKind: 'other', carriesLocation: false, belongsTo: 'video' };
  if (sub === 'CLIPINF' && p.ext === 'CPI') return sidecar('panasonic-avchd', cpi, base + p.stem);
  return null;
};

const dcimFolders: [RegExp, string][] = [
  [/^\d{3}CANON$/, 'canon'],
  [/^\d{3}_PANA$/, 'panasonic'],
  [/^\d{3}GOPRO$/, 'gopro'],
  [/^(100MEDIA|DJI_\d{3})$/, 'dji'],
  [/^\d{3}APPLE$/, 'phone'],
  [/^CAMERA$/, 'phone'],
];

/** DCIM/<folder>/<file> for the recognised camera folders; other DCIM folders fall through to generic. */
const dcim: Rule = (p) => {
  const i = anchor(p, ['DCIM'], 2);
  if (i < 0) return undefined;
  const folder = p.up[i + 1] ?? '';
  const layout = dcimFolders.find(([re]) => re.test(folder))?.[1];
  if (!layout) return undefined;
  let stem = p.stem;
  // GoPro names the proxy GL010001.LRV for the clip GX010001.MP4 (or GH…): the chapter+number is the key.
  if (layout === 'gopro') stem = stem.replace(/^G[A-Z](\d{6})$/, 'G*$1');
  // iPhone edits are IMG_E0001.JPG and adjustments IMG_O0001.AAE for the original IMG_0001.
  if (layout === 'phone') stem = stem.replace(/^IMG_[EO](\d+)$/, 'IMG_$1');
  const key = p.dirKey + '|' + stem;
  const kind = mediaKindOf(p.ext);
  // Voice memos (Canon, Panasonic) are WAVs beside the photo: recorded speech is media and gets sanitized.
  if (kind) return primary(layout, kind, key);
  const spec = sameStemSidecars[p.ext];
  return spec ? sidecar(layout, spec, key) : null;
};

/** Field recorders write plain WAV/BWF; each track file is its own clip because each carries its own iXML/bext. */
const fieldRecorder: Rule = (p) => {
  if (!['WAV', 'BWF'].includes(p.ext)) return undefined;
  let layout = 'field-recorder'; // Sound Devices and anything else writing broadcast WAV
  if (/^ZOOM\d+/.test(p.stem) || /_TR[0-9A-Z]+$/.test(p.stem) || p.up.some((s) => /^ZOOM\d+$/.test(s))) layout = 'zoom';
  else if (/^TASCAM_/.test(p.stem)) layout = 'tascam';
  return primary(layout, 'audio', p.dirKey + '|' + p.stem);
};

/** Any media by extension anywhere, with same-stem sidecars beside it. */
const generic: Rule = (p) => {
  const kind = mediaKindOf(p.ext);
  const key = p.dirKey + '|' + p.stem;
  if (kind) return primary('generic', kind, key);
  const spec = sameStemSidecars[p.ext];
  return spec ? sidecar('generic', spec, key) : null;
};

const rules: Rule[] = [sony, canonCinema, avchd, dcim, fieldRecorder, generic];

/** Classifies a card-relative path ('/'-separated); null means "not something we ingest". */
export function classifyCardPath(relPath: string): FileClass | null {
  const p = parse(relPath);
  for (const rule of rules) {
    const c = rule(p);
    if (c !== undefined) return c;
  }
  return null;
}
