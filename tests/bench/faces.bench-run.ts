import { readFileSync } from 'node:fs';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { loadGraphModel } from '@tensorflow/tfjs-converter';
import { analyseMaster, DEFAULT_SCAN, type ScanSettings } from '../../src/main/core/faces/face-analysis';
import { detectorFiles } from '../../src/main/core/faces/face-worker-client';
import { boxAt } from '../../src/main/core/media/proxy-filters';
import { findMediaTools } from '../../src/main/core/media/media-tools';
import { makeProxy } from '../../src/main/core/media/proxy';
import { runTool } from '../../src/main/core/media/run-tool';
import { planFingerprint, type PlanBody } from '../../src/main/core/subjects/safety-rules';
import { createVault } from '../../src/main/core/vault/vault';
import { grayFrames, measureCoverage, type TruthFrame } from '../helpers/face-coverage';
import { makeFaceClip } from '../integration/faces/face-fixture';

/**
 * Face protection on a generated 1080p25 clip with known face boxes (scripts/fixtures/make-face-clip.mjs):
 * - analysis speed including decryption and decoding, against the clip's own duration (real time) and
 *   against a bare ffmpeg that only decodes the same master from a plain file (the floor for any analysis);
 * - the share of labelled faces fully covered in the exported proxy, frame by frame, on pixels (target
 *   ≥ 99 %), and the share of the picture away from faces that is masked;
 * - the detector backend choice: one 256×256 BlazeFace pass on WebAssembly vs the pure-JS CPU backend;
 * - the sampling rate: track coverage (geometric) at 5 and 2.5 samples per second.
 * BENCH_FACES_SECONDS (default 10) sets the clip length.
 */

/** utime+stime of this process and of its waited-for children (ffmpeg), in seconds. */
function cpuSeconds(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
  return ticks / 100;
}

function trackCoverage(tracks: { keyframes: { t: number; x: number; y: number; w: number; h: number }[] }[], truth: readonly TruthFrame[]): number {
  let labelled = 0;
  let covered = 0;
  for (const frame of truth) {
    for (const face of frame.faces) {
      if (face.visible <= 0) continue;
      labelled += 1;
      const inside = tracks.some((track) => {
        const times = track.keyframes.map((k) => k.t);
        if (frame.t < Math.min(...times) || frame.t > Math.max(...times)) return false;
        const b = boxAt(track.keyframes, frame.t);
        return b.x <= face.x + 0.002 && b.y <= face.y + 0.002 && b.x + b.w >= face.x + face.w - 0.002 && b.y + b.h >= face.y + face.h - 0.002;
      });
      if (inside) covered += 1;
    }
  }
  return labelled > 0 ? covered / labelled : 0;
}

async function backendMs(backend: 'wasm' | 'cpu', runs: number): Promise<number> {
  const files = detectorFiles();
  if (backend === 'wasm') {
    const { setWasmPaths } = await import('@tensorflow/tfjs-backend-wasm');
    setWasmPaths(`${files.wasmDir}/`);
  }
  await tf.setBackend(backend);
  await tf.ready();
  const json = JSON.parse(readFileSync(path.join(files.modelDir, 'blazeface.json'), 'utf8')) as { modelTopology: object; weightsManifest: { weights: tf.io.WeightsManifestEntry[] }[] };
  const weights = readFileSync(path.join(files.modelDir, 'blazeface.bin'));
  const model = await loadGraphModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest.flatMap((g) => g.weights), weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) }));
  const input = tf.randomUniform([1, 256, 256, 3], -1, 1);
  const once = () => tf.tidy(() => (model.execute(input) as tf.Tensor[]).forEach((t) => t.dataSync()));
  once(); // warm-up: kernels compiled, memory allocated
  const t0 = performance.now();
  for (let i = 0; i < runs; i += 1) once();
  const ms = (performance.now() - t0) / runs;
  input.dispose();
  model.dispose();
  return ms;
}

export async function run(report: (line: string) => void): Promise<void> {
  const seconds = Number(process.env.BENCH_FACES_SECONDS ?? 10);
  const tools = await findMediaTools();
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'sh-bench-faces-'));
  try {
    const made = await makeFaceClip(tools, { width: 1920, height: 1080, seconds });
    const labelled = made.truth.reduce((n, f) => n + f.faces.filter((x) => x.visible > 0).length, 0);
    report(`faces bench: ${seconds} s 1080p25 generated clip, ${labelled} labelled faces, ${(made.bytes.length / 1e6).toFixed(1)} MB, node ${process.version}, ${os.availableParallelism()} cores`);

    const wasm = await backendMs('wasm', 20);
    const cpu = await backendMs('cpu', 3);
    report(`  detector, one 256×256 pass: wasm ${wasm.toFixed(1)} ms, cpu ${cpu.toFixed(1)} ms (cpu/wasm ${(cpu / wasm).toFixed(1)}×) → wasm`);

    // Baseline: bare ffmpeg decoding the same master from a plain file, doing nothing with the frames.
    const plain = path.join(root, 'master.mp4');
    await fs.writeFile(plain, made.bytes);
    const b0 = performance.now();
    const bare = await runTool(tools.ffmpeg, ['-hide_banner', '-nostdin', '-loglevel', 'error', '-i', plain, '-f', 'null', '-'], { timeoutMs: 600_000 });
    if (bare.code !== 0) throw new Error(bare.stderr);
    const bareSeconds = (performance.now() - b0) / 1000;

    const vault = await createVault(path.join(root, 'vault'), 'benchmark passphrase, not secret');
    const master = await vault.writeObject('master', made.bytes, { role: 'sanitized-master', container: 'mp4' });
    const gb = made.bytes.length / 1e9;
    const rates: ScanSettings[] = [DEFAULT_SCAN, { ...DEFAULT_SCAN, sampleFps: 2.5 }];
    let tracks: Awaited<ReturnType<typeof analyseMaster>>['tracks'] = [];
    for (const settings of rates) {
      const c0 = cpuSeconds();
      const t0 = performance.now();
      const result = await analyseMaster(vault, tools, master.id, seconds, { settings });
      const wall = (performance.now() - t0) / 1000;
      const cpu = cpuSeconds() - c0;
      if (settings === DEFAULT_SCAN) tracks = result.tracks;
      report(
        `  analysis at ${settings.sampleFps} samples/s (vault → decrypt → ffmpeg → worker → tracker): ${wall.toFixed(2)} s for ${seconds} s of video = ` +
          `${(seconds / wall).toFixed(2)}× real time (${((seconds * 25) / wall).toFixed(0)} fps); vs bare decode ${bareSeconds.toFixed(2)} s: ratio ${(wall / bareSeconds).toFixed(2)}; ` +
          `${(cpu / gb).toFixed(0)} CPU-s/GB, ${(cpu / seconds).toFixed(2)} CPU-s per second of video (2 cores: real time needs < 2 and both busy); ${result.tracks.length} tracks; track coverage ${(100 * trackCoverage(result.tracks, made.truth)).toFixed(2)} %`,
      );
    }

    // The exported proxy, frame by frame, on pixels: the confirmed tracks as unknown people (covered).
    const body: PlanBody = { mode: 'regions', regions: [], faces: tracks.map((t) => t.keyframes), voice: null, excluded: false };
    const proxy = await makeProxy(vault, tools, { masterObjectId: master.id, plan: { ...body, fingerprint: planFingerprint(body) }, clipCode: 'C0001', timecode: null, durationSeconds: seconds });
    const proxyBytes = (await vault.readObject(proxy.proxy.id)).data;
    const coverage = measureCoverage(
      await grayFrames(tools, proxyBytes, proxy.width, proxy.height),
      await grayFrames(tools, made.bytes, proxy.width, proxy.height),
      made.truth,
      proxy.width,
      proxy.height,
    );
    report(`  proxy (${proxy.width}×${proxy.height}): ${coverage.covered}/${coverage.labelled} labelled faces fully covered = ${((100 * coverage.covered) / coverage.labelled).toFixed(2)} % (target ≥ 99 %)`);
    report(`  picture away from faces masked: ${(100 * coverage.maskedNonFace).toFixed(1)} %`);
    if (coverage.misses.length > 0) report(`  first misses: ${JSON.stringify(coverage.misses.slice(0, 5))}`);
    vault.lock();
  } finally {
    await fs.rm(root, { recursive: true, force: true });
  }
}
