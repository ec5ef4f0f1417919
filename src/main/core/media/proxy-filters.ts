import type { ProtectionPlan, RegionKeyframe } from '../subjects/protection-plan';

/**
 * Pure: turns a clip's ProtectionPlan into the ffmpeg filter graph that makes its proxy. Everything that
 * hides a person is decided here, so it is unit-tested without ffmpeg and measured on pixels in the
 * integration tests.
 *
 * Why these choices (DESIGN.md "Proxies and anonymisation"):
 * - full: the frame is averaged down to a 16-column mosaic (blocks of 60 px at 960 wide) and upscaled with
 *   nearest neighbour. Area averaging throws the detail away before encoding, so nothing can be "unblurred";
 *   the editor still sees cuts and rough movement. A light blur is reversible and is never used.
 * - regions: each track is sampled into short segments; each segment is covered by a solid, opaque drawbox
 *   over the union of the box at both ends of the segment (so a moving face is covered for the whole
 *   segment), padded by a margin because tracks are approximate. Before the first / after the last keyframe
 *   the nearest box is held: a track that stops does not mean the face left (fail closed).
 * - burn-in (drawn last, so it is legible over the mask): clip code + running source timecode top left, a
 *   CONFIDENTIAL mark bottom centre. Tests exclude those bands when comparing pixels.
 */

export interface ProxySource {
  width: number;
  height: number;
  /** Frames per second of the master, for the timecode counter. */
  fps: number;
  durationSeconds: number;
  hasVideo: boolean;
  hasAudio: boolean;
}

export interface BurnIn {
  clipCode: string;
  /** HH:MM:SS:FF (or ;FF for drop-frame) from the camera; 00:00:00:00 when the source had none. */
  timecode: string | null;
  fontFile: string;
}

export interface ProxyGraph {
  /** -filter_complex value; outputs [v] (and [thumb] for the strip) and/or [a]. */
  graph: string;
  outWidth: number;
  outHeight: number;
  hasVideo: boolean;
  hasAudio: boolean;
}

export const PROXY_WIDTH = 960;
export const THUMB_COUNT = 8;
export const THUMB_WIDTH = 160;
/** Sampling step of region tracks (seconds): short enough that a box moving across the frame stays covered. */
export const REGION_STEP = 0.1;
/** Margin added on every side of a region box, as a fraction of the frame. */
export const REGION_MARGIN = 0.03;
/** Extra seconds of voice protection before and after each range: filters have latency, speech has onsets. */
export const VOICE_PAD = 0.25;
/** rubberband pitch factor (0.75 ≈ 5 semitones down, formants shifted with it). */
export const PITCH_FACTOR = 0.75;

const even = (n: number) => Math.max(2, Math.round(n / 2) * 2);
const num = (n: number) => String(Math.round(n * 1000) / 1000);

/** Proxy frame size: about 960 wide (never upscaled), even dimensions for H.264 4:2:0. */
export function proxySize(width: number, height: number): { width: number; height: number } {
  const w = even(Math.min(PROXY_WIDTH, width));
  return { width: w, height: even((height * w) / width) };
}

/**
 * Escapes a value for an ffmpeg filter option inside a filter graph: first the option level (\ ' :),
 * then the graph level (\ ' [ ] , ;). Needed for the font path and timecode; texts are also whitelisted.
 */
export function filterValue(value: string): string {
  const option = value.replace(/[\\':]/g, (c) => `\\${c}`);
  return option.replace(/[\\'[\],;]/g, (c) => `\\${c}`);
}

/** ffmpeg's drawtext `rate` as a rational, so 29.97 stays exact for the timecode. */
export function timecodeRate(fps: number): string {
  const ntsc: Record<string, string> = { '23.976': '24000/1001', '29.97': '30000/1001', '59.94': '60000/1001' };
  const key = (Math.round(fps * 1000) / 1000).toFixed(3).replace(/0+$/, '').replace(/\.$/, '');
  if (ntsc[key]) return ntsc[key];
  const rounded = Math.round(fps);
  return rounded >= 1 && rounded <= 120 ? String(rounded) : '25';
}

export function normaliseTimecode(timecode: string | null): string {
  return timecode && /^\d{2}:\d{2}:\d{2}[:;.]\d{2}$/.test(timecode) ? timecode.replace('.', ':') : '00:00:00:00';
}

interface Box { x: number; y: number; w: number; h: number }

function lerp(a: RegionKeyframe, b: RegionKeyframe, t: number): Box {
  const f = b.t === a.t ? 0 : Math.min(1, Math.max(0, (t - a.t) / (b.t - a.t)));
  return { x: a.x + (b.x - a.x) * f, y: a.y + (b.y - a.y) * f, w: a.w + (b.w - a.w) * f, h: a.h + (b.h - a.h) * f };
}

/** The box of a track at time t (linear between keyframes, held before the first and after the last). */
export function boxAt(track: RegionKeyframe[], t: number): Box {
  const sorted = [...track].sort((a, b) => a.t - b.t);
  const first = sorted[0]!;
  if (t <= first.t) return first;
  for (let i = 1; i < sorted.length; i += 1) if (t <= sorted[i]!.t) return lerp(sorted[i - 1]!, sorted[i]!, t);
  return sorted[sorted.length - 1]!;
}

function union(a: Box, b: Box): Box {
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return { x, y, w: Math.max(a.x + a.w, b.x + b.w) - x, h: Math.max(a.y + a.h, b.y + b.h) - y };
}

export interface Segment { from: number; to: number; box: Box }

/**
 * Pixel boxes (in the proxy frame) covering a track over [0, duration]: one per REGION_STEP while the box
 * moves, merged while it stands still, so a static face costs one filter instead of thousands.
 */
export function regionSegments(
  track: RegionKeyframe[],
  durationSeconds: number,
  frame: { width: number; height: number },
  span: 'clip' | 'keyframes' = 'clip',
): Segment[] {
  if (track.length === 0) return [];
  const bounded = span === 'keyframes';
  const times = track.map((k) => k.t);
  // A face track covers its own span (lead and hold are in its keyframes); a drawn region the whole clip.
  const start = bounded ? Math.max(0, Math.min(...times)) : 0;
  const end = bounded ? Math.max(start + REGION_STEP, Math.max(...times)) : Math.max(durationSeconds, REGION_STEP);
  const segments: Segment[] = [];
  for (let from = start; from < end - 1e-9; from += REGION_STEP) {
    const to = Math.min(end, from + REGION_STEP);
    const b = union(boxAt(track, from), boxAt(track, to));
    const x0 = Math.max(0, Math.floor((b.x - REGION_MARGIN) * frame.width));
    const y0 = Math.max(0, Math.floor((b.y - REGION_MARGIN) * frame.height));
    const x1 = Math.min(frame.width, Math.ceil((b.x + b.w + REGION_MARGIN) * frame.width));
    const y1 = Math.min(frame.height, Math.ceil((b.y + b.h + REGION_MARGIN) * frame.height));
    const box = { x: x0, y: y0, w: Math.max(1, x1 - x0), h: Math.max(1, y1 - y0) };
    const last = segments[segments.length - 1];
    if (last && last.box.x === box.x && last.box.y === box.y && last.box.w === box.w && last.box.h === box.h) last.to = to;
    else segments.push({ from, to, box });
  }
  if (bounded) return segments;
  // The last segment runs to the end of the stream whatever the container says the duration is.
  segments[segments.length - 1]!.to = Number.POSITIVE_INFINITY;
  segments[0]!.from = Number.NEGATIVE_INFINITY;
  return segments;
}

function enableExpr(from: number, to: number): string {
  if (from === Number.NEGATIVE_INFINITY && to === Number.POSITIVE_INFINITY) return '';
  if (from === Number.NEGATIVE_INFINITY) return `:enable='lt(t,${num(to)})'`;
  if (to === Number.POSITIVE_INFINITY) return `:enable='gte(t,${num(from)})'`;
  return `:enable='between(t,${num(from)},${num(to)})'`;
}

function maskFilters(plan: ProtectionPlan, size: { width: number; height: number }, duration: number): string[] {
  if (plan.mode === 'full') {
    const cols = 16;
    const rows = Math.max(2, Math.round((cols * size.height) / size.width));
    return [`scale=${cols}:${rows}:flags=area`, `scale=${size.width}:${size.height}:flags=neighbor`];
  }
  if (plan.mode === 'none') return [];
  const boxes = [
    ...plan.regions.flatMap((track) => regionSegments(track, duration, size)),
    ...(plan.faces ?? []).flatMap((track) => regionSegments(track, duration, size, 'keyframes')),
  ];
  return boxes.map(({ from, to, box }) => `drawbox=x=${box.x}:y=${box.y}:w=${box.w}:h=${box.h}:color=black:t=fill${enableExpr(from, to)}`);
}

function burnInFilters(burn: BurnIn, source: ProxySource, size: { width: number; height: number }): string[] {
  if (!/^[A-Za-z0-9_-]{1,32}$/.test(burn.clipCode)) throw new Error(`clip code ${JSON.stringify(burn.clipCode)} cannot be burned in`);
  const font = `fontfile=${filterValue(burn.fontFile)}`;
  const small = Math.max(12, Math.round(size.height / 22));
  const big = Math.max(14, Math.round(size.height / 14));
  return [
    `drawtext=${font}:text=${filterValue(`${burn.clipCode}  `)}:timecode=${filterValue(normaliseTimecode(burn.timecode))}:rate=${timecodeRate(source.fps)}` +
      `:fontsize=${small}:fontcolor=white:box=1:boxcolor=black@0.7:boxborderw=6:x=10:y=10`,
    `drawtext=${font}:text=CONFIDENTIAL:fontsize=${big}:fontcolor=red@0.85:box=1:boxcolor=black@0.5:boxborderw=6:x=(w-text_w)/2:y=h-text_h-16`,
  ];
}

function rangesExpr(ranges: { from: number; to: number }[]): string {
  return ranges.map((r) => `between(t,${num(Math.max(0, r.from - VOICE_PAD))},${num(r.to + VOICE_PAD)})`).join('+');
}

/** Audio chain from [0:a:0] to [a]: voice protection over ranges or the whole clip, then resampled. */
export function audioGraph(voice: ProtectionPlan['voice'], options: { rubberband: boolean; sampleRate?: number }): string {
  const out = 'aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo';
  const shift = options.rubberband
    ? `rubberband=pitch=${PITCH_FACTOR}`
    : // Without rubberband: resample-based shift. Playing at 0.8× lowers pitch and formants; atempo restores the length.
      `aresample=48000,asetrate=${48000 * PITCH_FACTOR},aresample=48000,atempo=${num(1 / PITCH_FACTOR)}`;
  if (!voice || (voice.ranges !== 'all' && voice.ranges.length === 0)) return `[0:a:0]${out}[a]`;
  if (voice.method === 'mute') {
    return voice.ranges === 'all' ? `[0:a:0]volume=0,${out}[a]` : `[0:a:0]volume=0:enable='${rangesExpr(voice.ranges)}',${out}[a]`;
  }
  if (voice.ranges === 'all') return `[0:a:0]${shift},${out}[a]`;
  // Pitch over ranges: a shifted and a clean copy, each silenced where the other is heard, then summed.
  const where = rangesExpr(voice.ranges);
  return (
    `[0:a:0]${out},asplit=2[va][vb];[va]${shift},${out},volume=0:enable='not(${where})'[vs];` +
    `[vb]volume=0:enable='${where}'[vc];[vs][vc]amix=inputs=2:normalize=0:duration=first[a]`
  );
}

/** [tv] → the thumbnail strip: THUMB_COUNT frames spread over the clip, tiled side by side. */
function thumbStrip(durationSeconds: number): string {
  const every = Math.max(durationSeconds, 0.1) / THUMB_COUNT;
  return `[tv]fps=fps=1/${num(every)}:start_time=0,scale=${THUMB_WIDTH}:-2,tile=${THUMB_COUNT}x1[thumb]`;
}

/** Frame rate of a field mosaic: it changes at most once per decoded keyframe, so more frames would be copies. */
export const FIELD_MOSAIC_FPS = 5;

/**
 * A field mosaic (proxies/field-proxy.ts): the full mosaic of an unreviewed clip, without sound, made at
 * offload time from keyframes only, at FIELD_MOSAIC_FPS. The area average goes straight from the source
 * size to the 16 columns (no intermediate scale), and the burn-in counts from 00:00:00:00 (the clip's own
 * timecode is kept for HQ's proxy). Video only: [v] and [thumb].
 */
export function fieldMosaicGraph(source: Pick<ProxySource, 'width' | 'height' | 'durationSeconds'>, burn: Omit<BurnIn, 'timecode'>): ProxyGraph {
  const size = proxySize(source.width || PROXY_WIDTH, source.height || (PROXY_WIDTH * 9) / 16);
  const full: ProtectionPlan = { mode: 'full', regions: [], voice: null, excluded: false, fingerprint: '' };
  const stream: ProxySource = { ...source, fps: FIELD_MOSAIC_FPS, hasVideo: true, hasAudio: false };
  const chain = [`fps=fps=${FIELD_MOSAIC_FPS}`, ...maskFilters(full, size, source.durationSeconds), 'setsar=1', ...burnInFilters({ ...burn, timecode: null }, stream, size), 'format=yuv420p'];
  const graph = `[0:v:0]${chain.join(',')},split=2[v][tv];${thumbStrip(source.durationSeconds)}`;
  return { graph, outWidth: size.width, outHeight: size.height, hasVideo: true, hasAudio: false };
}

/**
 * The whole -filter_complex: [0:v:0] → mask → scale → burn-in → [v], split off to [thumb] (8 frames tiled
 * into one strip, taken from the anonymised frames, never the master), and [0:a:0] → voice → [a].
 */
export function buildProxyGraph(plan: ProtectionPlan, source: ProxySource, burn: BurnIn, options: { rubberband: boolean }): ProxyGraph {
  const size = proxySize(source.width || PROXY_WIDTH, source.height || (PROXY_WIDTH * 9) / 16);
  const parts: string[] = [];
  if (source.hasVideo) {
    // Scale first: masks are computed in proxy pixels, and everything after runs on the small frame.
    const chain = [`scale=${size.width}:${size.height}:flags=bicubic`, 'setsar=1', ...maskFilters(plan, size, source.durationSeconds), ...burnInFilters(burn, source, size), 'format=yuv420p'];
    parts.push(`[0:v:0]${chain.join(',')},split=2[v][tv]`);
    parts.push(thumbStrip(source.durationSeconds));
  }
  if (source.hasAudio) parts.push(audioGraph(plan.voice, options));
  return { graph: parts.join(';'), outWidth: size.width, outHeight: size.height, hasVideo: source.hasVideo, hasAudio: source.hasAudio };
}
