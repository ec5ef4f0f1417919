import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { SafehouseError } from '../../../shared/errors';
import type { Detection } from './blazeface';
import type { DetectOptions, DetectorFiles } from './detector';
import type { DescribedFace, FromWorker, ToWorker } from './face-worker-protocol';

/**
 * Starts the analysis worker (the build entry out/main/face-worker.js) and finds the files the detector
 * reads. Both are looked up next to the running bundle first (the packaged app, where the build copied the
 * weights under resources/), then in the installed npm packages (development, the CLI from the repo).
 */

export const MODEL_FILES = ['blazeface.json', 'blazeface.bin', 'faceres.json', 'faceres.bin'];
export const WASM_FILES = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'];

const hasAll = (dir: string, files: readonly string[]) => files.every((file) => existsSync(join(dir, file)));
/** This module's folder: out/main (or out/main/chunks) when built, src/main/core/faces when run from source. */
const here = () => dirname(fileURLToPath(import.meta.url));

function bundleDirs(): string[] {
  const processWithResources = process as NodeJS.Process & { resourcesPath?: string };
  return [
    ...(processWithResources.resourcesPath ? [processWithResources.resourcesPath] : []),
    resolve(here(), '../../resources'),
    resolve(here(), '../../../resources'),
    resolve(here(), '../../../../resources'),
  ];
}

export function detectorFiles(): DetectorFiles {
  const bundled = bundleDirs().map((dir) => join(dir, 'face-models')).find((dir) => hasAll(dir, [...MODEL_FILES, ...WASM_FILES]));
  if (bundled) return { modelDir: bundled, wasmDir: bundled };
  try {
    const require = createRequire(import.meta.url);
    // The human package's exports map only exposes its main file; its models folder sits beside dist/.
    const modelDir = resolve(dirname(require.resolve('@vladmandic/human')), '../models');
    const wasmDir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
    if (hasAll(modelDir, MODEL_FILES) && hasAll(wasmDir, WASM_FILES)) return { modelDir, wasmDir };
  } catch {
    /* not installed: reported below */
  }
  throw new SafehouseError('FACE_DETECTOR_MISSING');
}

export function faceWorkerFile(): string {
  const candidates = [
    join(here(), 'face-worker.js'),
    resolve(here(), '../face-worker.js'),
    resolve(here(), '../../../../out/main/face-worker.js'),
  ];
  const found = candidates.find((file) => existsSync(file));
  if (!found) throw new SafehouseError('FACE_DETECTOR_MISSING', 'The face analysis worker was not built. From source, run `npm run build` first.');
  return found;
}

export interface FrameAnalysis {
  detections: Detection[];
  signature: number[];
  descriptors?: DescribedFace[];
}

export interface FaceWorker {
  backend: string;
  /** `describe`: also compute face descriptors of the clear, large-enough detections (biometric: see describer.ts). */
  analyse(frame: Buffer, width: number, height: number, options: DetectOptions, describe?: boolean): Promise<FrameAnalysis>;
  stop(): Promise<void>;
}

export async function startFaceWorker(files: DetectorFiles = detectorFiles()): Promise<FaceWorker> {
  const worker = new Worker(faceWorkerFile());
  const waiting = new Map<number, { resolve: (r: FrameAnalysis) => void; reject: (e: Error) => void }>();
  let failure: Error | null = null;
  let ready: { resolve: (backend: string) => void; reject: (error: Error) => void } | null = null;
  const failAll = (error: Error) => {
    failure ??= error;
    ready?.reject(error);
    for (const job of waiting.values()) job.reject(error);
    waiting.clear();
  };
  worker.on('message', (message: FromWorker) => {
    if (message.type === 'ready') ready?.resolve(message.backend);
    else if (message.type === 'result') {
      waiting.get(message.seq)?.resolve(message);
      waiting.delete(message.seq);
    } else failAll(new SafehouseError('INTERNAL', undefined, { cause: new Error(`face worker: ${message.message}`) }));
  });
  worker.on('error', (error) => failAll(new SafehouseError('INTERNAL', undefined, { cause: error })));
  worker.on('exit', (code) => failAll(new SafehouseError('INTERNAL', undefined, { cause: new Error(`face worker exited ${code}`) })));

  const backend = await new Promise<string>((resolveReady, rejectReady) => {
    ready = { resolve: resolveReady, reject: rejectReady };
    worker.postMessage({ type: 'init', files } satisfies ToWorker);
  }).catch(async (error: unknown) => {
    await worker.terminate();
    throw error;
  });

  let seq = 0;
  return {
    backend,
    analyse(frame, width, height, options, describe = false) {
      if (failure) return Promise.reject(failure);
      const id = seq;
      seq += 1;
      const rgb = frame.buffer.slice(frame.byteOffset, frame.byteOffset + frame.byteLength) as ArrayBuffer;
      return new Promise((resolveJob, rejectJob) => {
        waiting.set(id, { resolve: resolveJob, reject: rejectJob });
        worker.postMessage({ type: 'frame', seq: id, width, height, rgb, options, describe } satisfies ToWorker, [rgb]);
      });
    },
    async stop() {
      waiting.clear();
      await worker.terminate();
    },
  };
}
