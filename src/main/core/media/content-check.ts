/**
 * Proves a sanitized master holds everything the original held: each kept stream's packets are counted in
 * the original (a demux of the card file) and in the sanitized bytes as they stream into the vault (a demux
 * through a pipe), and the first seconds of every kept stream of the original are decoded (to nowhere: no
 * frame is written anywhere). A master with fewer packets, a shorter stream, or a stream that does not decode
 * at all is never called verified; the clip is quarantined with its original instead. Runs beside the
 * sanitizer, so it costs little wall time: the card file is read by the two at the same time.
 */
import type { Writable } from 'node:stream';
import type { MediaTools } from './media-tools';
import { mediaInputArg, runTool } from './run-tool';
import { transientToolFailure } from './tool-failure';
import { defaultToolLimits, runTimeoutMs, spawnTool } from './tool-process';

export interface StreamCount {
  index: number;
  type: string;
  codec: string;
  attachedPic: boolean;
  /** Packets demuxed (-count_packets) or frames decoded (-count_frames), by which run made it. */
  count: number;
  duration?: number;
}

export type ContentProblem =
  | { code: 'content-lost'; stream: number; type: string; source: number; kept: number; what: 'packets' | 'seconds' }
  | { code: 'does-not-decode'; stream: number; type: string };

const ENTRIES = 'stream=index,codec_type,codec_name,nb_read_packets,nb_read_frames,duration:stream_disposition=attached_pic';

/** Pure: ffprobe's JSON (-show_entries ENTRIES) as stream counts. */
export function parseStreamCounts(json: string): StreamCount[] {
  const root = JSON.parse(json) as { streams?: Record<string, unknown>[] };
  return (root.streams ?? []).map((s, i) => {
    const count = Number(s['nb_read_packets'] ?? s['nb_read_frames'] ?? 0);
    const duration = Number(s['duration']);
    const disposition = (s['disposition'] ?? {}) as Record<string, unknown>;
    return {
      index: typeof s['index'] === 'number' ? s['index'] : i,
      type: typeof s['codec_type'] === 'string' ? s['codec_type'] : 'unknown',
      codec: typeof s['codec_name'] === 'string' ? s['codec_name'] : 'unknown',
      attachedPic: disposition['attached_pic'] === 1,
      count: Number.isFinite(count) ? count : 0,
      ...(Number.isFinite(duration) && duration > 0 ? { duration } : {}),
    };
  });
}

/** The streams the sanitizer keeps, in its output order: the first real video stream, then every audio one. */
export function keptStreams(streams: StreamCount[]): StreamCount[] {
  const video = streams.find((s) => s.type === 'video' && !s.attachedPic);
  return [...(video ? [video] : []), ...streams.filter((s) => s.type === 'audio')];
}

/** Slack for container rounding: a stream may end this much earlier in the master (seconds, or a fraction). */
const DURATION_SLACK_SECONDS = 1;
const DURATION_SLACK_FRACTION = 0.05;

/** Pure: what the master lost, or null when it holds every kept stream whole and each one decodes. */
export function compareContent(source: StreamCount[], decoded: StreamCount[], output: StreamCount[]): ContentProblem | null {
  const kept = keptStreams(source);
  // The sanitizer only runs on a file whose probe found audio or video: if counting finds none, the count
  // failed, and a check that could not run must not pass.
  if (kept.length === 0) return { code: 'does-not-decode', stream: -1, type: 'none' };
  for (const [position, stream] of kept.entries()) {
    const frames = decoded.find((d) => d.index === stream.index)?.count ?? 0;
    if (stream.count === 0 || frames === 0) return { code: 'does-not-decode', stream: stream.index, type: stream.type };
    const out = output[position];
    // PCM has no natural packet: WAV and MOV cut the same samples into different packets, so only its
    // duration can be compared.
    const packetsComparable = !stream.codec.startsWith('pcm_');
    if (!out || out.type !== stream.type || (packetsComparable && out.count < stream.count)) {
      return { code: 'content-lost', stream: stream.index, type: stream.type, source: stream.count, kept: out?.count ?? 0, what: 'packets' };
    }
    if (stream.duration !== undefined && out.duration !== undefined) {
      const slack = Math.max(DURATION_SLACK_SECONDS, stream.duration * DURATION_SLACK_FRACTION);
      if (out.duration + slack < stream.duration) {
        return { code: 'content-lost', stream: stream.index, type: stream.type, source: stream.duration, kept: out.duration, what: 'seconds' };
      }
    }
  }
  return null;
}

/** Seconds from the start of the original decoded as the sample. */
const DECODE_SAMPLE_SECONDS = 1;

async function probeCounts(tools: MediaTools, args: string[], timeoutMs: number): Promise<StreamCount[]> {
  const run = await runTool(tools.ffprobe, ['-v', 'error', ...args, '-show_entries', ENTRIES, '-of', 'json'], { timeoutMs });
  const transient = transientToolFailure(run);
  if (transient) throw transient;
  // A file ffprobe cannot open at all was already quarantined by the first probe; here it counts as empty.
  return run.code === 0 ? parseStreamCounts(run.stdout.toString('utf8')) : [];
}

export interface ContentCheck {
  /** Every chunk of the sanitized output, in order; resolves when the counter can take more. */
  push(chunk: Buffer): Promise<void>;
  /** Call after the last chunk. Rejects with a transient tool failure (TOOL_CRASHED, TOOL_TIMEOUT …). */
  finish(): Promise<ContentProblem | null>;
  abort(): void;
}

export function startContentCheck(tools: MediaTools, sourcePath: string, sourceBytes: number): ContentCheck {
  const limits = tools.limits ?? defaultToolLimits;
  const timeoutMs = runTimeoutMs(limits, sourceBytes);
  const file = mediaInputArg(sourcePath);
  const source = probeCounts(tools, ['-count_packets', '-i', file], timeoutMs);
  const decoded = probeCounts(tools, ['-count_frames', '-read_intervals', `%+${DECODE_SAMPLE_SECONDS}`, '-i', file], timeoutMs);
  source.catch(() => undefined);
  decoded.catch(() => undefined);

  // The sanitized bytes are counted as they stream past, through ffprobe's stdin: never on disk.
  const counter = spawnTool(tools.ffprobe, ['-v', 'error', '-count_packets', '-show_entries', ENTRIES, '-of', 'json', '-i', 'pipe:0'], ['pipe', 'pipe', 'pipe']);
  const stdin = counter.child.stdin as Writable;
  stdin.on('error', () => undefined); // ffprobe may stop reading early; its exit status says why
  let stdout = '';
  let stderr = '';
  counter.child.stdout?.on('data', (c: Buffer) => void (stdout.length < 1_000_000 && (stdout += c.toString('utf8'))));
  counter.child.stderr?.on('data', (c: Buffer) => void (stderr.length < 16_384 && (stderr += c.toString('utf8'))));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    counter.killGroup();
  }, timeoutMs);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    counter.child.on('error', () => resolve({ code: null, signal: null }));
    counter.child.on('close', (code, signal) => resolve({ code, signal }));
  });

  return {
    async push(chunk) {
      if (stdin.destroyed || stdin.writableEnded) return;
      if (!stdin.write(chunk)) await new Promise<void>((resolve) => {
        const done = () => {
          stdin.off('drain', done);
          stdin.off('close', done);
          resolve();
        };
        stdin.on('drain', done);
        stdin.on('close', done);
      });
    },
    async finish() {
      stdin.end();
      const exit = await exited;
      clearTimeout(timer);
      const transient = transientToolFailure({ ...exit, timedOut, stderr });
      if (transient) throw transient;
      const output = exit.code === 0 ? parseStreamCounts(stdout) : [];
      return compareContent(await source, await decoded, output);
    },
    abort() {
      clearTimeout(timer);
      counter.killGroup();
    },
  };
}
