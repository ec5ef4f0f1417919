import { parentPort } from 'node:worker_threads';
import { loadDetector, type FaceDetector } from './detector';
import type { FromWorker, ToWorker } from './face-worker-protocol';
import { frameSignature } from './scene-cuts';

/**
 * The face analysis worker (its own build entry, out/main/face-worker.js): keeps the network's
 * WebAssembly compute off the main thread, which stays free to decrypt the master and feed ffmpeg.
 * Frames are handled strictly one at a time, in the order they arrive.
 */

const port = parentPort;
if (!port) throw new Error('face-worker must run as a worker thread');

let detector: FaceDetector | null = null;
const send = (message: FromWorker) => port.postMessage(message);

port.on('message', (message: ToWorker) => {
  void handle(message).catch((error: unknown) => send({ type: 'error', message: error instanceof Error ? error.message : String(error) }));
});

async function handle(message: ToWorker): Promise<void> {
  if (message.type === 'init') {
    detector = await loadDetector(message.files);
    send({ type: 'ready', backend: detector.backend });
    return;
  }
  if (!detector) throw new Error('frame before init');
  const rgb = new Uint8Array(message.rgb);
  const detections = detector.detect(rgb, message.width, message.height, message.options);
  send({ type: 'result', seq: message.seq, detections, signature: frameSignature(rgb, message.width, message.height) });
}
