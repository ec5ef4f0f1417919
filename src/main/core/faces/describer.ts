import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { loadGraphModel, type GraphModel } from '@tensorflow/tfjs-converter';
import type { Detection } from './blazeface';

/**
 * Face descriptors for "who appears where": the FaceRes network that ships in `@vladmandic/human` (models/
 * faceres.json + .bin) turns a face crop into 1024 numbers that are close for two pictures of the same person.
 * Biometric data: this module only computes them inside the analysis worker; the main thread seals them to
 * the identity class straight away (face-descriptors.ts) and nothing else ever sees them.
 *
 * Runs on the backend the detector already started (WebAssembly). Only the analysis worker loads this module.
 */

export const DESCRIBER_FILES = ['faceres.json', 'faceres.bin'];
/** FaceRes input: a 224×224 RGB face with values 0–255. */
const INPUT = 224;
/**
 * The crop around BlazeFace's box: its box is eyebrows to mouth, FaceRes was trained on whole faces with a
 * margin (forehead, chin, ears), so the square crop is taken 1.5× the box's larger side, centred a little higher.
 */
const CROP_SCALE = 1.5;
const CROP_LIFT = 0.1;
const DESCRIPTOR_NODE = 'global_pooling/Mean';

export interface FaceDescriber {
  /** One descriptor per box (0–1 of the frame), in the order given. */
  describe(rgb: Uint8Array, width: number, height: number, boxes: readonly Detection[]): Float32Array[];
  dispose(): void;
}

export function describerAvailable(modelDir: string): boolean {
  return DESCRIBER_FILES.every((file) => existsSync(join(modelDir, file)));
}

export async function loadDescriber(modelDir: string): Promise<FaceDescriber> {
  const json = JSON.parse(readFileSync(join(modelDir, 'faceres.json'), 'utf8')) as {
    modelTopology: object;
    weightsManifest: { weights: tf.io.WeightsManifestEntry[] }[];
  };
  const weights = readFileSync(join(modelDir, 'faceres.bin'));
  const model: GraphModel = await loadGraphModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest.flatMap((group) => group.weights),
      weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
    }),
  );
  return {
    describe(rgb, width, height, boxes) {
      if (boxes.length === 0) return [];
      const frame = tf.tensor4d(rgb, [1, height, width, 3], 'int32');
      try {
        return boxes.map((box) =>
          tf.tidy(() => {
            const crop = tf.image.cropAndResize(frame, [cropBox(box, width, height)], [0], [INPUT, INPUT]);
            // Only the descriptor head (the network also guesses age and gender, which Safehouse never asks for).
            const descriptor = model.execute(crop, DESCRIPTOR_NODE) as tf.Tensor;
            if (descriptor.size !== 1024) throw new Error(`the face description network gave ${descriptor.size} values, not 1024`);
            return descriptor.dataSync() as Float32Array;
          }),
        );
      } finally {
        frame.dispose();
      }
    },
    dispose() {
      model.dispose();
    },
  };
}

/** [y1, x1, y2, x2] fractions of the frame for cropAndResize: a square in pixels, padded black past an edge. */
export function cropBox(box: Detection, width: number, height: number): [number, number, number, number] {
  const side = Math.max(box.w * width, box.h * height) * CROP_SCALE;
  const cx = (box.x + box.w / 2) * width;
  const cy = (box.y + box.h / 2) * height - side * CROP_LIFT;
  return [(cy - side / 2) / height, (cx - side / 2) / width, (cy + side / 2) / height, (cx + side / 2) / width];
}
