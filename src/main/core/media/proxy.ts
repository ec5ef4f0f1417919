import { existsSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { SafehouseError } from '../../../shared/errors';
import type { ProtectionPlan } from '../subjects/protection-plan';
import type { UnlockedVault } from '../vault/vault';
import { createProgressParser, type ProgressSample } from './ffmpeg-progress';
import type { MediaTools } from './media-tools';
import { probeStream } from './probe';
import { buildProxyGraph, type ProxyGraph, type ProxySource } from './proxy-filters';
import { lastLine, runTool } from './run-tool';
import { seiFilterFor } from './sanitize';
import { defaultToolLimits, guardStall, spawnTool } from './tool-process';

/**
 * Makes a clip's proxy from its decrypted master, through pipes only (DESIGN.md principle 2):
 *
 *   vault.streamObject(master) ─stdin→ ffmpeg ─stdout (fMP4)→ vault writer (proxy class)
 *                                             └pipe:4 (JPEG strip)→ memory → vault (proxy class)
 *
 * Container choice: `-movflags +faststart` needs a seekable output (ffmpeg rewrites the file to move the
 * moov atom forward), and the only seekable output we could give it is a plaintext file. So the stored
 * proxy is fragmented MP4 with `empty_moov`: the moov (all codec setup) is the first box, fragments
 * follow, so a player can start from the first bytes: fast start in practice, no seeking needed. The
 * editor's exported copy is remuxed to a classic fast-start MP4 at export time (export.ts), where writing
 * plaintext to the chosen folder is the point.
 *
 * The thumbnail strip is split off the anonymised frames inside the same filter graph, so it can never
 * show more than the proxy does, and the master is decrypted and decoded only once.
 */

export interface MakeProxyOptions {
  masterObjectId: string;
  plan: ProtectionPlan;
  clipCode: string;
  timecode: string | null;
  /** From the catalog; the frame rate and stream layout are read from the master itself. */
  durationSeconds: number | null;
  onProgress?: (sample: ProgressSample & { fraction: number | null }) => void;
  /** Threads per ffmpeg (the queue splits the cores between the ffmpegs it runs). */
  threads?: number;
}

export interface MadeProxy {
  proxy: { id: string; plainSize: number };
  thumbs: { id: string; plainSize: number } | null;
  width: number;
  height: number;
}

/** Generic value for the MP4 compressorname field (the one used by the spec's own examples). */
export const PROXY_COMPRESSOR_NAME = 'AVC Coding';
const HEAD_BYTES = 4 * 1024 * 1024;
const MAX_THUMB_BYTES = 8 * 1024 * 1024;
const FONT_CANDIDATES = [
  '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/dejavu/DejaVuSans.ttf',
  '/usr/local/share/fonts/DejaVuSans.ttf',
  '/Library/Fonts/Arial.ttf',
  'C:/Windows/Fonts/arial.ttf',
];

/** The burn-in font: SAFEHOUSE_PROXY_FONT, else DejaVu Sans (fonts-dejavu-core). No font → no proxy. */
export function findProxyFont(env: NodeJS.ProcessEnv = process.env): string {
  const override = env.SAFEHOUSE_PROXY_FONT;
  if (override) {
    if (existsSync(override)) return override;
    throw new SafehouseError('FONT_MISSING', `SAFEHOUSE_PROXY_FONT points at ${override}, which does not exist.`);
  }
  const found = FONT_CANDIDATES.find((candidate) => existsSync(candidate));
  if (!found) throw new SafehouseError('FONT_MISSING');
  return found;
}

const rubberbandCache = new Map<string, Promise<boolean>>();
/** rubberband gives a better pitch/formant shift than asetrate; Debian's ffmpeg has it, others may not. */
export function hasRubberband(tools: MediaTools): Promise<boolean> {
  let cached = rubberbandCache.get(tools.ffmpeg);
  if (!cached) {
    cached = runTool(tools.ffmpeg, ['-hide_banner', '-filters'], { timeoutMs: 15_000 }).then((run) => /\srubberband\s/.test(run.stdout.toString('utf8')));
    rubberbandCache.set(tools.ffmpeg, cached);
  }
  return cached;
}

/** Encoder and muxer arguments shared by the vault pipeline and the benchmark's bare command. */
export function proxyOutputArgs(graph: ProxyGraph, fps: number, proxyOut: string, thumbOut: string, threads?: number): string[] {
  const args = ['-filter_complex', graph.graph];
  if (threads) args.push('-threads', String(threads));
  if (graph.hasVideo) {
    // GOP of about 2 s: editors scrub and cut proxies; x264's SEI (encoder name and settings) is cut out.
    args.push('-map', '[v]', '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '28', '-pix_fmt', 'yuv420p', '-g', String(Math.max(1, Math.round(fps * 2))));
    args.push('-bsf:v', seiFilterFor('h264')!);
  }
  if (graph.hasAudio) args.push('-map', '[a]', '-c:a', 'aac', '-b:a', '128k');
  args.push(
    '-map_metadata', '-1', '-map_chapters', '-1',
    '-fflags', '+bitexact', '-flags:v', '+bitexact', '-flags:a', '+bitexact',
    // ffmpeg would name itself ("Lavc libx264") in the avc1 compressorname field; a fixed generic value replaces it.
    ...(graph.hasVideo ? ['-metadata:s:v', 'handler_name=VideoHandler', '-metadata:s:v', `encoder=${PROXY_COMPRESSOR_NAME}`] : []),
    ...(graph.hasAudio ? ['-metadata:s:a', 'handler_name=SoundHandler'] : []),
    '-movflags', 'frag_keyframe+empty_moov+default_base_moof', '-f', 'mp4', proxyOut,
  );
  if (graph.hasVideo) {
    args.push('-map', '[thumb]', '-frames:v', '1', '-c:v', 'mjpeg', '-q:v', '5', '-fflags', '+bitexact', '-flags:v', '+bitexact', '-map_metadata', '-1', '-f', 'image2pipe', thumbOut);
  }
  return args;
}

/**
 * The master arrives on stdin. ffmpeg 5.x reads a single input on its main thread, so whenever the pipe
 * runs dry for a moment (Node busy, a loaded laptop) filtering and encoding stall with it; a file never
 * runs dry, which is most of the gap to a bare ffmpeg. A second, unused one-frame input makes ffmpeg read
 * every input on its own thread with a packet queue, decoupling the pipe from the encoder (ffmpeg ≥ 6 does
 * this always). The filter graph only ever references input 0.
 */
export const PIPE_INPUT = ['-thread_queue_size', '256', '-i', 'pipe:0', '-f', 'lavfi', '-i', 'nullsrc=s=16x16:r=1:d=1'];

/** Pulls the first few MiB of the decrypted master for ffprobe, and hands back the rest of the stream. */
export async function splitHead(stream: AsyncGenerator<Buffer>): Promise<{ head: Buffer; rest: AsyncGenerator<Buffer> }> {
  const chunks: Buffer[] = [];
  let size = 0;
  while (size < HEAD_BYTES) {
    const next = await stream.next();
    if (next.done) break;
    chunks.push(next.value);
    size += next.value.length;
  }
  return { head: Buffer.concat(chunks), rest: stream };
}

export async function* concat(head: Buffer, rest: AsyncGenerator<Buffer>): AsyncGenerator<Buffer> {
  if (head.length > 0) yield head;
  yield* rest;
}

export async function makeProxy(vault: UnlockedVault, tools: MediaTools, options: MakeProxyOptions): Promise<MadeProxy> {
  if (options.plan.excluded) throw new SafehouseError('NOT_SAFE', 'A subject of this clip is excluded: it gets no proxy.');
  const fontFile = findProxyFont();
  const rubberband = await hasRubberband(tools);
  const master = vault.streamObject(options.masterObjectId);
  const { head, rest } = await splitHead(master);
  let probe;
  try {
    probe = await probeStream(tools, head);
  } catch (error) {
    await master.return(undefined);
    throw error;
  }
  const video = probe.streams.find((s) => s.type === 'video' && !s.attachedPic);
  const audio = probe.streams.find((s) => s.type === 'audio');
  const duration = options.durationSeconds ?? probe.duration ?? 0;
  const source: ProxySource = {
    width: video?.width ?? 0,
    height: video?.height ?? 0,
    fps: video?.fps ?? 25,
    durationSeconds: duration,
    hasVideo: video !== undefined,
    hasAudio: audio !== undefined,
  };
  const graph = buildProxyGraph(options.plan, source, { clipCode: options.clipCode, timecode: options.timecode, fontFile }, { rubberband });
  return encodeProxy(vault, tools, concat(head, rest), {
    graph,
    fps: source.fps,
    durationSeconds: duration,
    meta: { role: 'proxy', clipCode: options.clipCode, mode: options.plan.mode },
    ...(options.threads ? { threads: options.threads } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
}

export interface EncodeProxyOptions {
  graph: ProxyGraph;
  fps: number;
  durationSeconds: number;
  /** Metadata of the proxy object (sealed inside it). */
  meta: Record<string, unknown>;
  /** Decoder options placed before the input (a field mosaic decodes cheaply: field-proxy.ts). */
  decoderArgs?: string[];
  threads?: number;
  onProgress?: MakeProxyOptions['onProgress'];
}

/**
 * Runs ffmpeg over `input` (a sanitized master's bytes, in order) with the proxy's filter graph and seals
 * its outputs to the proxy class: the fMP4 streamed into the vault as it is made, the thumbnail strip
 * from memory. Nothing is committed unless every leg succeeded.
 */
export async function encodeProxy(vault: UnlockedVault, tools: MediaTools, input: AsyncIterable<Buffer>, options: EncodeProxyOptions): Promise<MadeProxy> {
  const { graph } = options;
  const duration = options.durationSeconds;
  const args = ['-hide_banner', '-nostdin', '-loglevel', 'error', '-nostats', '-progress', 'pipe:3', ...(options.decoderArgs ?? []), ...PIPE_INPUT, ...proxyOutputArgs(graph, options.fps, 'pipe:1', 'pipe:4', options.threads)];

  const writer = await vault.createObjectWriter('proxy', options.meta);
  // Own process group under the watchdog, killed when it stops moving bytes (tool-process.ts).
  const tool = spawnTool(tools.ffmpeg, args, ['pipe', 'pipe', 'pipe', 'pipe', 'pipe']);
  const child = tool.child;
  guardStall(tool, (tools.limits ?? defaultToolLimits).stallMs);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.on('error', (cause) => reject(new SafehouseError('FFMPEG_MISSING', undefined, { cause })));
    child.on('close', (code, signal) => resolve({ code, signal }));
  });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => {
    if (stderr.length < 16_384) stderr += c.toString('utf8');
  });
  const parser = createProgressParser((sample) => {
    const fraction = duration > 0 && sample.outTimeSeconds !== undefined ? Math.min(1, sample.outTimeSeconds / duration) : null;
    options.onProgress?.({ ...sample, fraction: sample.done ? 1 : fraction });
  });
  const progressPipe = child.stdio[3] as Readable;
  progressPipe.setEncoding('utf8');
  progressPipe.on('data', (text: string) => parser.push(text));
  progressPipe.on('error', () => {});
  const thumbChunks: Buffer[] = [];
  let thumbBytes = 0;
  const thumbPipe = child.stdio[4] as Readable;
  thumbPipe.on('data', (c: Buffer) => {
    thumbBytes += c.length;
    if (thumbBytes <= MAX_THUMB_BYTES) thumbChunks.push(c);
  });
  thumbPipe.on('error', () => {});

  // Three legs run at once: decrypted master → ffmpeg, ffmpeg → encrypted proxy, and ffmpeg's exit.
  // Every leg is awaited; if any fails (INTEGRITY from the master, a full disk, ffmpeg), nothing is committed.
  const feed = pipeline(Readable.from(input), child.stdin!).catch((error: unknown) => {
    // ffmpeg closing its stdin early is its own failure (reported by its exit code); a bad master is ours.
    if ((error as { code?: string }).code === 'EPIPE' || (error as { code?: string }).code === 'ERR_STREAM_PREMATURE_CLOSE') return;
    tool.killGroup();
    throw error;
  });
  const store = (async () => {
    for await (const chunk of child.stdout! as AsyncIterable<Buffer>) await writer.write(chunk);
  })().catch((error: unknown) => {
    tool.killGroup();
    throw error;
  });
  const results = await Promise.allSettled([feed, store, exited]);
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  const exit = results[2].status === 'fulfilled' ? results[2].value : null;
  if (failure || !exit || exit.code !== 0) {
    await writer.abort();
    if (failure) throw failure.reason;
    throw new SafehouseError('PROXY_FAILED', undefined, { cause: new Error(`ffmpeg exited ${exit?.code ?? exit?.signal}: ${lastLine(stderr)}`) });
  }
  const proxy = await writer.commit();
  let thumbs: MadeProxy['thumbs'] = null;
  if (graph.hasVideo && thumbBytes > 0 && thumbBytes <= MAX_THUMB_BYTES) {
    try {
      thumbs = await vault.writeObject('proxy', Buffer.concat(thumbChunks), { ...options.meta, role: 'proxy-thumbs' });
    } catch (error) {
      await vault.deleteObject(proxy.id).catch(() => undefined);
      throw error;
    }
  }
  return { proxy, thumbs, width: graph.outWidth, height: graph.outHeight };
}
