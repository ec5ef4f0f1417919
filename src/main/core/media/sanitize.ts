import { EventEmitter } from 'node:events';
import { resolve } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { SafehouseError } from '../../../shared/errors';
import { createProgressParser, type ProgressSample } from './ffmpeg-progress';
import type { MediaTools } from './media-tools';
import { lastLine, mediaInputArg } from './run-tool';
import { transientToolFailure } from './tool-failure';
import { defaultToolLimits, runTimeoutMs, spawnTool, type ToolLimits } from './tool-process';
import { masterContainerFor, muxerArgs, type MasterContainer } from './containers';

export interface SanitizeOptions {
  hasVideo: boolean;
  hasAudio: boolean;
  videoCodec?: string;
  /** Codecs of the audio streams; PCM (recorders, some cameras) forces a MOV container. */
  audioCodecs?: string[];
  onProgress?: (sample: ProgressSample) => void;
  /** Size of the input: the run's timeout scales with it. */
  inputBytes?: number;
  limits?: ToolLimits;
}

export interface SanitizeRun {
  /** Fragmented MP4/MOV bytes: pipe straight into the encryptor and the prover. */
  output: Readable;
  /** Resolves when ffmpeg exited cleanly; rejects SANITIZE_FAILED otherwise. */
  done: Promise<void>;
  kill(): void;
  /** Emits 'progress' with ProgressSample. */
  progress: EventEmitter;
  container: MasterContainer;
}

/**
 * SEI NAL units carry free-form user data (drones and some cameras write GPS there) and survive
 * `-map_metadata -1`, so they are cut out of the bitstream: type 6 in H.264, prefix/suffix SEI 39/40 in HEVC.
 */
export function seiFilterFor(videoCodec: string | undefined): string | undefined {
  if (videoCodec === 'h264') return 'filter_units=remove_types=6';
  if (videoCodec === 'hevc') return 'filter_units=remove_types=39|40';
  return undefined;
}

export function containerFor(opts: Pick<SanitizeOptions, 'hasVideo' | 'videoCodec' | 'audioCodecs'>): MasterContainer {
  return masterContainerFor([...(opts.hasVideo ? [opts.videoCodec] : []), ...(opts.audioCodecs ?? [undefined])]);
}

/** The ffmpeg argument vector (exported so tests and reports can show exactly what was run). */
export function sanitizeArgs(inputPath: string, opts: SanitizeOptions): string[] {
  const args = ['-hide_banner', '-nostdin', '-loglevel', 'error', '-nostats', '-progress', 'pipe:3'];
  args.push('-i', mediaInputArg(inputPath));
  // V (capital) = video that is not an attached picture: cover art / thumbnails are dropped. Only the first
  // video stream is kept; extra ones on camera files are previews. All audio tracks are kept (multi-mic).
  if (opts.hasVideo) args.push('-map', '0:V:0?');
  if (opts.hasAudio) args.push('-map', '0:a?');
  args.push('-c', 'copy');
  const bsf = opts.hasVideo ? seiFilterFor(opts.videoCodec) : undefined;
  if (bsf) args.push('-bsf:v', bsf);
  // AAC from MPEG-TS (AVCHD) is ADTS-framed; MP4/MOV need raw AAC. Per output stream, since codecs may differ.
  if (opts.hasAudio) opts.audioCodecs?.forEach((c, i) => c === 'aac' && args.push(`-bsf:a:${i}`, 'aac_adtstoasc'));
  args.push(
    '-map_metadata', '-1', '-map_metadata:s:v', '-1', '-map_metadata:s:a', '-1', '-map_chapters', '-1',
    // bitexact: no versioned "encoder=Lavf…" tag, zeroed creation times (and zeroed vendor ids in MP4).
    '-fflags', '+bitexact', '-flags:v', '+bitexact', '-flags:a', '+bitexact',
  );
  const container = containerFor(opts);
  // Matroska (WMV/ASF and other codecs no ISO container takes) has no handler names and no timecode track.
  if (container === 'mkv') return [...args, ...muxerArgs(container, codecsOf(opts)), 'pipe:1'];
  args.push('-metadata:s:v', 'handler_name=VideoHandler', '-metadata:s:a', 'handler_name=SoundHandler', '-write_tmcd', '0');
  return [...args, ...muxerArgs(container, codecsOf(opts)), 'pipe:1'];
}

const codecsOf = (opts: Pick<SanitizeOptions, 'hasVideo' | 'hasAudio' | 'videoCodec' | 'audioCodecs'>): string[] =>
  [...(opts.hasVideo && opts.videoCodec ? [opts.videoCodec] : []), ...(opts.hasAudio ? (opts.audioCodecs ?? []) : [])];

/**
 * Re-muxes a source into clean fragmented MP4 (MOV when a codec needs it, Matroska for codecs neither takes,
 * such as WMV) on stdout: only audio and video, no container, stream or chapter metadata, no SEI, no
 * timecode track, no re-encode. Audio-only input (WAV/AIFF from recorders) becomes PCM in fragmented MOV:
 * lossless and re-encode-free like the video path, and MOV has no home for bext/iXML/LIST-INFO/ID3; a WAV
 * written to a pipe cannot carry valid sizes. FLAC stays FLAC, in MP4. Nothing is written to disk.
 */
export function sanitizeAv(tools: MediaTools, inputPath: string, opts: SanitizeOptions): SanitizeRun {
  if (!opts.hasVideo && !opts.hasAudio) throw new SafehouseError('CANNOT_SANITIZE');
  const progress = new EventEmitter();
  const tool = spawnTool(tools.ffmpeg, sanitizeArgs(inputPath, opts), ['ignore', 'pipe', 'pipe', 'pipe']);
  const { child } = tool;
  // Bounded twice: a whole-run limit from the input size, and a stall limit reset by every progress line
  // and every output chunk (a reader that stops pulling also stops ffmpeg, so that is the caller's stall).
  const limits = opts.limits ?? tools.limits ?? defaultToolLimits;
  let timedOut = false;
  const expire = () => {
    timedOut = true;
    tool.killGroup();
  };
  const runTimer = setTimeout(expire, runTimeoutMs(limits, opts.inputBytes ?? 0));
  let stallTimer = setTimeout(expire, limits.stallMs);
  const alive = () => {
    clearTimeout(stallTimer);
    stallTimer = setTimeout(expire, limits.stallMs);
  };
  const parser = createProgressParser((s) => {
    alive();
    progress.emit('progress', s);
    opts.onProgress?.(s);
  });
  const progressPipe = child.stdio[3] as Readable | null;
  progressPipe?.setEncoding('utf8');
  progressPipe?.on('data', (t: string) => parser.push(t));
  progressPipe?.on('error', () => {});
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => {
    if (stderr.length < 16_384) stderr += c.toString('utf8');
  });
  let killed = false;
  const done = new Promise<void>((res, rej) => {
    child.on('error', (cause) => rej(new SafehouseError('FFMPEG_MISSING', undefined, { cause })));
    child.on('close', (code, signal) => {
      clearTimeout(runTimer);
      clearTimeout(stallTimer);
      if (code === 0 && !timedOut) return res();
      if (killed) return rej(new SafehouseError('SANITIZE_FAILED', undefined, { cause: new Error('cancelled') }));
      const transient = transientToolFailure({ code, signal, timedOut, stderr });
      if (transient) return rej(transient);
      rej(new SafehouseError('SANITIZE_FAILED', undefined, { cause: new Error(`ffmpeg exited ${code ?? signal}: ${lastLine(stderr, resolve(inputPath))}`) }));
    });
  });
  done.catch(() => {}); // callers await it; this only prevents an unhandled rejection if they abort first
  // Node resumes a child's stdio streams that nobody reads yet when the child exits (flushStdio), which
  // drops their buffered data: a small file sanitized before the caller starts reading came out "empty".
  // Piping into a PassThrough right away keeps every byte, with backpressure, until the caller reads.
  const output = (child.stdout as Readable).pipe(new PassThrough({ highWaterMark: 1024 * 1024 }));
  child.stdout?.on('data', alive);
  child.stdout?.on('error', (error) => output.destroy(error));
  return {
    output,
    done,
    progress,
    container: containerFor(opts),
    kill() {
      killed = true;
      clearTimeout(runTimer);
      clearTimeout(stallTimer);
      tool.killGroup();
    },
  };
}
