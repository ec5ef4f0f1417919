import exifr from 'exifr';
import { StreamingMatcher } from './byte-matcher';
import type { MediaTools } from './media-tools';
import { probeStream } from './probe';
import type { ProbeResult } from './ffprobe-parse';
import { createRunFinder } from './text-runs';
import { cleanStill } from './still-clean';
import { EXIFR_ALL } from './still-scan';

export interface ProofResult {
  clean: boolean;
  problems: string[];
}

export interface ProverOptions {
  needles: readonly Buffer[];
  kind: 'video' | 'audio' | 'still';
  /** For stills: extension, so the structural re-clean check knows the format. */
  ext?: string;
  /** Bytes of the head kept for ffprobe (the fragmented MP4 moov is at the start). */
  headBytes?: number;
}

export interface CleanlinessProver {
  push(chunk: Buffer): void;
  finish(): Promise<ProofResult>;
}

// Location markers that must never appear, whatever the scan found (long enough not to match by chance).
const MARKERS = ['com.apple.quicktime.location', 'exif:GPS', 'GPSLatitude', 'GPSLongitude', 'latitude', 'longitude'];
// Still-only structural markers: EXIF/XMP/IPTC headers (the EXIF GPS IFD cannot exist without the Exif header).
const STILL_MARKERS = ['Exif\0\0', 'http://ns.adobe.com/xap/1.0/', 'Photoshop 3.0\0', '<x:xmpmeta'];

/**
 * What ffmpeg itself writes into a clean master, named one by one (anything else fails the proof):
 * - `encoder` "Lavf": Matroska's muxing/writing app under +bitexact (no version number);
 * - `vendor_id` "FFMP": the MOV muxer's own vendor code in a video sample description (it ignores
 *   +bitexact there), or zeros;
 * - ISO brands, three-letter languages and ffmpeg's default handler names.
 */
export const FFMPEG_OWN_FORMAT_TAGS: Record<string, (v: string) => boolean> = {
  major_brand: (v) => /^[a-z0-9 ]{4}$/i.test(v),
  minor_version: (v) => /^\d+$/.test(v),
  compatible_brands: (v) => /^([a-z0-9 ]{4})*$/i.test(v),
  encoder: (v) => v === 'Lavf',
};
export const FFMPEG_OWN_STREAM_TAGS: Record<string, (v: string) => boolean> = {
  language: (v) => /^[a-z]{3}$/.test(v),
  handler_name: (v) => v === 'VideoHandler' || v === 'SoundHandler',
  vendor_id: (v) => v === '[0][0][0][0]' || v === 'FFMP',
};

const IHDR_FIELDS = new Set(['ImageWidth', 'ImageHeight', 'BitDepth', 'ColorType', 'Compression', 'Filter', 'Interlace']);

/** Runs of digits/signs/dots that look like an ISO 6709 position or a high-precision decimal degree. */
const NUMERIC_CLASS = String.raw`0-9+\-.`;
// Both patterns below hold a digit, a dot and two more digits: the rare decimal the run finder looks for.
const NUMERIC_DECIMALS = 2;
const ISO6709_RUN = /[+-]\d{2}\.\d{2,}[+-]\d{3}\.\d{2,}/;
const DEGREE_RUN = /(?:^|[^\d])[+-]?\d{1,3}\.\d{5,}(?![\d])/;
const looksLikeCoordinate = (run: string) => ISO6709_RUN.test(run) || DEGREE_RUN.test(run);

function checkProbe(probe: ProbeResult, problems: string[]): void {
  if (probe.streams.length === 0) problems.push('the output has no audio or video stream');
  for (const s of probe.streams) {
    if (s.type !== 'video' && s.type !== 'audio') problems.push(`stream ${s.index} is ${s.type}, only audio and video are allowed`);
    if (s.attachedPic) problems.push(`stream ${s.index} is an attached picture`);
    for (const [k, v] of Object.entries(s.tags)) {
      if (!FFMPEG_OWN_STREAM_TAGS[k]?.(v)) problems.push(`stream ${s.index} carries the tag "${k}"`);
    }
  }
  for (const [k, v] of Object.entries(probe.tags)) if (!FFMPEG_OWN_FORMAT_TAGS[k]?.(v)) problems.push(`the container carries the tag "${k}"`);
  if (probe.chapters.length > 0) problems.push('the output has chapters');
  if (probe.programs.some((p) => Object.keys(p.tags).length > 0)) problems.push('the output has program tags');
}

/**
 * Proves sanitized bytes clean while they stream past (before they are committed): none of the scan's
 * values in any notation, no generic location markers, and — by ffprobe on the head (audio/video) or exifr
 * plus a structural re-clean (stills) — no streams or tags outside a tiny allow-list. Memory stays bounded:
 * a short carry of the last bytes per scan, and the head (stills are small and already in memory).
 */
export function createCleanlinessProver(tools: MediaTools, opts: ProverOptions): CleanlinessProver {
  const markers = [...MARKERS, ...(opts.kind === 'still' ? STILL_MARKERS : [])].map((m) => Buffer.from(m, 'latin1'));
  const matcher = new StreamingMatcher([...opts.needles, ...markers]);
  const headLimit = opts.kind === 'still' ? Number.MAX_SAFE_INTEGER : (opts.headBytes ?? 4 * 1024 * 1024);
  const head: Buffer[] = [];
  let headLen = 0;
  let total = 0;
  const numericHits: string[] = [];
  // Numeric runs: the first 64 characters of a run are what the byte-loop version tested; the whole run
  // is tested too (fails closed: a coordinate past character 64 of a long run is reported as well).
  const numericRuns = createRunFinder({
    memberClass: NUMERIC_CLASS,
    decimals: NUMERIC_DECIMALS,
    minRun: 8,
    maxRun: 4096,
    overlap: 64,
    onRun(run, end) {
      if (run.length >= 8 && numericHits.length < 10 && (looksLikeCoordinate(run.slice(0, 64)) || looksLikeCoordinate(run))) numericHits.push(`byte ${end}`);
    },
  });
  // ffprobe of the head, started as soon as the head is complete (or at finish for a shorter output), so
  // its process runs while the rest of the clip is still being sealed. Resolves null if ffprobe fails.
  let headProbe: Promise<ProbeResult | null> | undefined;
  const probeHead = (): Promise<ProbeResult | null> =>
    (headProbe ??= probeStream(tools, Buffer.concat(head)).catch(() => null));
  return {
    push(chunk: Buffer) {
      matcher.push(chunk);
      numericRuns.push(chunk);
      total += chunk.length;
      if (headLen < headLimit) {
        const part = chunk.subarray(0, Math.min(chunk.length, headLimit - headLen));
        head.push(Buffer.from(part)); // copy: the caller may reuse its buffer
        headLen += part.length;
        if (headLen === headLimit && opts.kind !== 'still') probeHead(); // while the rest streams past
      }
    },
    async finish() {
      numericRuns.finish();
      const problems: string[] = [];
      const needleCount = opts.needles.length;
      for (const m of matcher.matches) {
        // Never echo the value itself: problems end up in logs and the CLI output.
        if (m.needle < needleCount) problems.push(`value #${m.needle + 1} found by the metadata scan is still present at byte ${m.offset}`);
        else problems.push(`a location marker is present at byte ${m.offset}`);
      }
      for (const where of numericHits) problems.push(`a coordinate-like number is present near ${where}`);
      if (total === 0) problems.push('the output is empty');
      else if (opts.kind === 'still') {
        const bytes = Buffer.concat(head);
        const meta = (await exifr.parse(bytes, EXIFR_ALL).catch(() => undefined)) as Record<string, unknown> | undefined;
        // exifr files PNG text chunks under "ihdr" next to the header's own numeric fields.
        for (const [segment, fields] of Object.entries(meta ?? {})) {
          const extra = segment === 'ihdr' ? Object.keys(fields as object).filter((k) => !IHDR_FIELDS.has(k)) : [segment];
          if (segment !== 'jfif' && extra.length > 0) problems.push(`the image still has ${segment} metadata`);
        }
        try {
          if (!cleanStill(bytes, opts.ext ?? '').equals(bytes)) problems.push('the image still has metadata segments');
        } catch {
          problems.push('the image structure could not be verified');
        }
      } else {
        const probe = await probeHead();
        if (probe) checkProbe(probe, problems);
        else problems.push('the output could not be read back as audio/video');
      }
      return { clean: problems.length === 0, problems };
    },
  };
}
