import { spawn } from 'node:child_process';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { SafehouseError } from '../../../shared/errors';
import type { MediaTools } from '../media/media-tools';
import { probeStream } from '../media/probe';
import { concat, PIPE_INPUT, splitHead } from '../media/proxy';
import { lastLine } from '../media/run-tool';
import type { UnlockedVault } from '../vault/vault';
import { startFaceWorker, type FaceWorker } from './face-worker-client';
import { isSceneCut } from './scene-cuts';
import { DEFAULT_TRACKER, trackFaces, type FaceTrackOut, type Sample, type TrackerOptions } from './tracker';
import { descriptorsForTracks, type DescribedSighting } from './track-descriptors';

/**
 * Analyses one clip: the master is decrypted in memory and piped into ffmpeg, which decodes it, keeps
 * `sampleFps` frames a second, scales them to the detection size and writes raw RGB to a pipe; each frame
 * goes to the analysis worker; the tracker turns the detections into region tracks. Nothing is written to
 * disk, and an abort kills ffmpeg and the worker.
 */

export interface ScanSettings {
  /** Frames analysed per second of video (5 measured: ≥ 0.25 s lead covers a face appearing between samples). */
  sampleFps: number;
  /** Width frames are scaled to before detection; 640 keeps faces down to ~1/28 of the frame width. */
  detectWidth: number;
  /** Rows of small tiles (see blazeface.ts frameTiles). */
  gridRows: number;
  /** Detector floor; the tracker's thresholds decide the rest. */
  minScore: number;
  tracker: TrackerOptions;
  /**
   * Samples a second whose clear faces also get a descriptor (for proposing who appears where). One a
   * second gives every track longer than a second at least one, at about a tenth of the detection cost.
   */
  describeFps: number;
}

export const DEFAULT_SCAN: ScanSettings = { sampleFps: 5, detectWidth: 640, gridRows: 1, minScore: 0.2, tracker: DEFAULT_TRACKER, describeFps: 1 };

export interface AnalysisResult {
  tracks: FaceTrackOut[];
  /** One descriptor per track (same order), or null where no clear sighting fell inside it. Biometric: seal at once. */
  descriptors: (Float32Array | null)[];
  frames: number;
  duration: number;
  width: number;
  height: number;
}

export interface AnalyseOptions {
  settings?: ScanSettings;
  signal?: AbortSignal;
  onProgress?: (fraction: number) => void;
}

const even = (n: number) => Math.max(2, Math.round(n / 2) * 2);

export async function analyseMaster(vault: UnlockedVault, tools: MediaTools, masterObjectId: string, durationHint: number | null, options: AnalyseOptions = {}): Promise<AnalysisResult> {
  const settings = options.settings ?? DEFAULT_SCAN;
  const master = vault.streamObject(masterObjectId);
  const { head, rest } = await splitHead(master);
  let video;
  let duration = durationHint ?? 0;
  try {
    const probe = await probeStream(tools, head);
    video = probe.streams.find((s) => s.type === 'video' && !s.attachedPic);
    duration = durationHint ?? probe.duration ?? 0;
  } catch (error) {
    await master.return(undefined);
    throw error;
  }
  if (!video?.width || !video.height) {
    await master.return(undefined);
    throw new SafehouseError('NOT_MEDIA', 'This clip has no picture to look for faces in.');
  }
  const width = even(Math.min(settings.detectWidth, video.width));
  const height = even((video.height * width) / video.width);
  const frameBytes = width * height * 3;

  const worker = await startFaceWorker().catch(async (error: unknown) => {
    await master.return(undefined);
    throw error;
  });
  if (options.signal?.aborted) {
    await Promise.all([worker.stop(), master.return(undefined)]);
    throw new SafehouseError('CANCELLED', 'The face scan was cancelled.');
  }
  const child = spawn(
    tools.ffmpeg,
    ['-hide_banner', '-nostdin', '-loglevel', 'error', ...PIPE_INPUT, '-filter_complex', `[0:v:0]fps=fps=${settings.sampleFps}:start_time=0,scale=${width}:${height}:flags=area,format=rgb24[v]`, '-map', '[v]', '-f', 'rawvideo', 'pipe:1'],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  const onAbort = () => child.kill('SIGKILL');
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', (cause) => reject(new SafehouseError('FFMPEG_MISSING', undefined, { cause })));
    child.on('close', (code) => resolve(code));
  });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => {
    if (stderr.length < 16_384) stderr += c.toString('utf8');
  });
  const feed = pipeline(Readable.from(concat(head, rest)), child.stdin).catch((error: unknown) => {
    const code = (error as { code?: string }).code;
    if (code === 'EPIPE' || code === 'ERR_STREAM_PREMATURE_CLOSE') return;
    child.kill('SIGKILL');
    throw error;
  });
  const analyse = readFrames(child.stdout, frameBytes, worker, { width, height, settings, duration, ...(options.onProgress ? { onProgress: options.onProgress } : {}) }).catch((error: unknown) => {
    child.kill('SIGKILL');
    throw error;
  });
  try {
    const results = await Promise.allSettled([feed, analyse, exited]);
    if (options.signal?.aborted) throw new SafehouseError('CANCELLED', 'The face scan was cancelled.');
    const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure) throw failure.reason;
    const code = results[2].status === 'fulfilled' ? results[2].value : null;
    if (code !== 0) throw new SafehouseError('NOT_MEDIA', undefined, { cause: new Error(`ffmpeg exited ${code}: ${lastLine(stderr)}`) });
    const { samples, sightings } = (results[1] as PromiseFulfilledResult<FramesRead>).value;
    const tracks = trackFaces(samples, duration || samples.length / settings.sampleFps, settings.tracker);
    return { tracks, descriptors: descriptorsForTracks(tracks, sightings), frames: samples.length, duration, width, height };
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    await worker.stop();
  }
}

interface FrameContext {
  width: number;
  height: number;
  settings: ScanSettings;
  duration: number;
  onProgress?: (fraction: number) => void;
}

interface FramesRead {
  samples: Sample[];
  sightings: DescribedSighting[];
}

/** Cuts ffmpeg's raw output into frames and analyses them in order, at most two in flight. */
async function readFrames(stdout: Readable, frameBytes: number, worker: FaceWorker, context: FrameContext): Promise<FramesRead> {
  const samples: Sample[] = [];
  const sightings: DescribedSighting[] = [];
  const describeEvery = context.settings.describeFps > 0 ? Math.max(1, Math.round(context.settings.sampleFps / context.settings.describeFps)) : 0;
  const pending: Promise<void>[] = [];
  let previousSignature: number[] | null = null;
  let buffer: Buffer = Buffer.alloc(0);
  let seq = 0;
  const submit = (frame: Buffer) => {
    const index = seq;
    seq += 1;
    const t = index / context.settings.sampleFps;
    const describe = describeEvery > 0 && index % describeEvery === 0;
    const job = worker.analyse(frame, context.width, context.height, { minScore: context.settings.minScore, gridRows: context.settings.gridRows }, describe);
    // Results are taken in submission order, so the scene-cut comparison sees consecutive samples.
    const previous = pending[pending.length - 1] ?? Promise.resolve();
    pending.push(
      Promise.all([job, previous]).then(([result]) => {
        samples.push({ t, detections: result.detections, cut: isSceneCut(previousSignature, result.signature) });
        for (const face of result.descriptors ?? []) sightings.push({ t, box: face.box, descriptor: face.descriptor });
        previousSignature = result.signature;
        if (context.duration > 0) context.onProgress?.(Math.min(1, t / context.duration));
      }),
    );
  };
  for await (const chunk of stdout as AsyncIterable<Buffer>) {
    buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
    while (buffer.length >= frameBytes) {
      // A copy that owns its memory: it is transferred (moved) to the worker.
      submit(Buffer.from(buffer.subarray(0, frameBytes)));
      buffer = buffer.subarray(frameBytes);
      if (pending.length >= 2) await pending[pending.length - 2];
    }
  }
  await Promise.all(pending);
  return { samples, sightings };
}
