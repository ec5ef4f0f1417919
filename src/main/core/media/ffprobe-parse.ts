import { SafehouseError } from '../../../shared/errors';

export type StreamType = 'video' | 'audio' | 'subtitle' | 'data' | 'attachment' | 'unknown';

export interface ProbeStream {
  index: number;
  type: StreamType;
  codec: string;
  codecTag?: string;
  width?: number;
  height?: number;
  fps?: number;
  /** Display-matrix rotation in degrees (phones filming upright write ±90); pixels are stored unrotated. */
  rotation?: number;
  sampleRate?: number;
  channels?: number;
  /** Cover art / thumbnails muxed as a video stream; the sanitizer drops them. */
  attachedPic: boolean;
  tags: Record<string, string>;
}

export interface ProbeChapter {
  id: number;
  start: number;
  end: number;
  tags: Record<string, string>;
}

export interface ProbeResult {
  formatName: string;
  duration?: number;
  size?: number;
  bitRate?: number;
  streams: ProbeStream[];
  tags: Record<string, string>;
  chapters: ProbeChapter[];
  /** MPEG-TS programs: service_name / service_provider often name the camera. */
  programs: Array<{ id: number; tags: Record<string, string> }>;
  timecode?: string;
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function num(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

/** ffprobe prints rates as "30000/1001"; "0/0" means unknown. */
export function parseRate(v: unknown): number | undefined {
  const s = str(v);
  if (!s) return undefined;
  const [a, b] = s.split('/');
  const n = Number(a);
  const d = b === undefined ? 1 : Number(b);
  if (!Number.isFinite(n) || !Number.isFinite(d) || d === 0 || n === 0) return undefined;
  return Math.round((n / d) * 1000) / 1000;
}

function tags(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(obj(v))) {
    const s = str(val);
    if (s !== undefined) out[k] = s;
  }
  return out;
}

const TYPES: readonly StreamType[] = ['video', 'audio', 'subtitle', 'data', 'attachment'];

/** Pure: turns `ffprobe -print_format json -show_format -show_streams -show_chapters` output into a ProbeResult. */
export function parseProbe(json: string): ProbeResult {
  let root: Json;
  try {
    root = obj(JSON.parse(json));
  } catch (cause) {
    throw new SafehouseError('NOT_MEDIA', undefined, { cause });
  }
  const format = obj(root.format);
  const formatName = str(format.format_name);
  if (!formatName) throw new SafehouseError('NOT_MEDIA');
  const streams: ProbeStream[] = arr(root.streams).map((raw, i) => {
    const s = obj(raw);
    const type = TYPES.find((t) => t === s.codec_type) ?? 'unknown';
    const stream: ProbeStream = {
      index: num(s.index) ?? i,
      type,
      codec: str(s.codec_name) ?? 'unknown',
      attachedPic: num(obj(s.disposition).attached_pic) === 1,
      tags: tags(s.tags),
    };
    const tag = str(s.codec_tag_string);
    if (tag) stream.codecTag = tag;
    if (type === 'video') {
      const w = num(s.width);
      const h = num(s.height);
      const fps = parseRate(s.avg_frame_rate) ?? parseRate(s.r_frame_rate);
      if (w !== undefined) stream.width = w;
      if (h !== undefined) stream.height = h;
      if (fps !== undefined) stream.fps = fps;
      const rotation = arr(s.side_data_list).map((d) => num(obj(d).rotation)).find((r) => r !== undefined);
      if (rotation !== undefined && rotation !== 0) stream.rotation = rotation;
    }
    if (type === 'audio') {
      const sr = num(s.sample_rate);
      const ch = num(s.channels);
      if (sr !== undefined) stream.sampleRate = sr;
      if (ch !== undefined) stream.channels = ch;
    }
    return stream;
  });
  const chapters: ProbeChapter[] = arr(root.chapters).map((raw, i) => {
    const c = obj(raw);
    return { id: num(c.id) ?? i, start: num(c.start_time) ?? 0, end: num(c.end_time) ?? 0, tags: tags(c.tags) };
  });
  const programs = arr(root.programs).map((raw, i) => {
    const p = obj(raw);
    return { id: num(p.program_id) ?? i, tags: tags(p.tags) };
  });
  const result: ProbeResult = { formatName, streams, tags: tags(format.tags), chapters, programs };
  const duration = num(format.duration);
  const size = num(format.size);
  const bitRate = num(format.bit_rate);
  if (duration !== undefined) result.duration = duration;
  if (size !== undefined) result.size = size;
  if (bitRate !== undefined) result.bitRate = bitRate;
  // Timecode lives on the container, on a tmcd data stream or on the video stream depending on the camera.
  const timecode = result.tags.timecode ?? streams.map((s) => s.tags.timecode).find((t) => t !== undefined);
  if (timecode !== undefined) result.timecode = timecode;
  return result;
}
