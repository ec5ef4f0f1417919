import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { loadGraphModel, type GraphModel } from '@tensorflow/tfjs-converter';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { blazefaceAnchors, decodeTile, frameTiles, INPUT_SIZE, mergeDetections, type Detection } from './blazeface';

/**
 * BlazeFace on TensorFlow.js's WebAssembly backend: measured at ~25 ms per 256×256 input on this machine,
 * against ~600 ms for the pure-JavaScript CPU backend (docs/faces.md). Runs offline: the weights and the
 * .wasm binaries are read from files that ship inside npm packages (or the app's resources), never fetched.
 * Only the analysis worker loads this module.
 */

export interface DetectorFiles {
  /** Folder holding blazeface.json and blazeface.bin. */
  modelDir: string;
  /** Folder holding tfjs-backend-wasm's .wasm binaries (with a trailing separator added here). */
  wasmDir: string;
}

export interface DetectOptions {
  /** Lowest score kept. Low on purpose: the tracker's second pass decides what a weak detection is worth. */
  minScore: number;
  /** Rows of the grid of small tiles (0 = whole frame only). */
  gridRows: number;
}

export interface FaceDetector {
  backend: string;
  detect(rgb: Uint8Array, width: number, height: number, options: DetectOptions): Detection[];
  dispose(): void;
}

export async function loadDetector(files: DetectorFiles): Promise<FaceDetector> {
  setWasmPaths(files.wasmDir.endsWith('/') ? files.wasmDir : `${files.wasmDir}/`);
  if (!(await tf.setBackend('wasm'))) throw new Error('The WebAssembly backend for face detection could not start.');
  await tf.ready();
  const json = JSON.parse(readFileSync(join(files.modelDir, 'blazeface.json'), 'utf8')) as {
    modelTopology: object;
    weightsManifest: { weights: tf.io.WeightsManifestEntry[] }[];
  };
  const weights = readFileSync(join(files.modelDir, 'blazeface.bin'));
  const model: GraphModel = await loadGraphModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest.flatMap((group) => group.weights),
      weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
    }),
  );
  const anchors = blazefaceAnchors();

  /** One tile through the network: [anchors × 17] floats, the two output heads joined in anchor order. */
  const runTile = (frame: tf.Tensor4D, box: [number, number, number, number]): Float32Array =>
    tf.tidy(() => {
      const crop = tf.image.cropAndResize(frame, [box], [0], [INPUT_SIZE, INPUT_SIZE]);
      const input = tf.sub(tf.div(crop, 127.5), 1);
      const outputs = model.execute(input) as tf.Tensor[];
      // Four heads, told apart by size: scores and boxes for 512 anchors (16×16×2) and 384 (8×8×6).
      const [scores384, scores512, boxes384, boxes512] = [...outputs].sort((a, b) => a.size - b.size) as [tf.Tensor3D, tf.Tensor3D, tf.Tensor3D, tf.Tensor3D];
      const joined = tf.concat([tf.concat([scores512, boxes512], 2), tf.concat([scores384, boxes384], 2)], 1);
      return joined.dataSync() as Float32Array;
    });

  return {
    backend: tf.getBackend(),
    detect(rgb, width, height, options) {
      const frame = tf.tensor4d(rgb, [1, height, width, 3], 'int32');
      try {
        const found: Detection[] = [];
        for (const tile of frameTiles(width, height, options.gridRows)) {
          // cropAndResize takes [y1, x1, y2, x2] as fractions; a square reaching past the edge is padded black.
          const box: [number, number, number, number] = [tile.y / height, tile.x / width, (tile.y + tile.size) / height, (tile.x + tile.size) / width];
          found.push(...decodeTile(runTile(frame, box), anchors, tile, { width, height }, options.minScore));
        }
        return mergeDetections(found);
      } finally {
        frame.dispose();
      }
    },
    dispose() {
      model.dispose();
    },
  };
}
