import type { Detection } from './blazeface';
import type { DetectOptions, DetectorFiles } from './detector';

/**
 * Messages between the face scan (main thread) and its analysis worker. Frames travel as transferred
 * ArrayBuffers (moved, not copied) and are never written anywhere.
 */
export type ToWorker =
  | { type: 'init'; files: DetectorFiles }
  | { type: 'frame'; seq: number; width: number; height: number; rgb: ArrayBuffer; options: DetectOptions; describe?: boolean };

/** A detection and its face descriptor (biometric data: sealed to the identity class as soon as it is back). */
export interface DescribedFace {
  box: Detection;
  descriptor: Float32Array;
}

export type FromWorker =
  | { type: 'ready'; backend: string }
  | { type: 'result'; seq: number; detections: Detection[]; signature: number[]; descriptors?: DescribedFace[] }
  | { type: 'error'; message: string };
