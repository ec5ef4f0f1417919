import { parentPort } from 'node:worker_threads';
import { describerAvailable, loadDescriber, type FaceDescriber } from './describer';
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
let describer: FaceDescriber | null = null;

/**
 * Only clear, large-enough faces are described: a descriptor of a blurred 20-pixel face matches anyone, and a
 * wrong proposal costs the producer's attention. Weaker sightings are still tracked and covered.
 */
const DESCRIBE_MIN_SCORE = 0.7;
const DESCRIBE_MIN_PIXELS = 40;
const send = (message: FromWorker) => port.postMessage(message);

port.on('message', (message: ToWorker) => {
  void handle(message).catch((error: unknown) => send({ type: 'error', message: error instanceof Error ? error.message : String(error) }));
});

async function handle(message: ToWorker): Promise<void> {
  if (message.type === 'init') {
    detector = await loadDetector(message.files);
    // Same backend; without the FaceRes files (an older packaged build) faces are still found and covered.
    describer = describerAvailable(message.files.modelDir) ? await loadDescriber(message.files.modelDir) : null;
    send({ type: 'ready', backend: detector.backend });
    return;
  }
  if (!detector) throw new Error('frame before init');
  const rgb = new Uint8Array(message.rgb);
  const detections = detector.detect(rgb, message.width, message.height, message.options);
  const clear = message.describe && describer ? detections.filter((d) => d.score >= DESCRIBE_MIN_SCORE && d.w * message.width >= DESCRIBE_MIN_PIXELS) : [];
  const descriptors = describer && clear.length > 0 ? describer.describe(rgb, message.width, message.height, clear).map((descriptor, i) => ({ box: clear[i]!, descriptor })) : [];
  send({ type: 'result', seq: message.seq, detections, signature: frameSignature(rgb, message.width, message.height), descriptors });
}
