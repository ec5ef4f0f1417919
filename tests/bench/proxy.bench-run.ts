import { createReadStream, createWriteStream, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { findMediaTools } from '../../src/main/core/media/media-tools';
import { findProxyFont, hasRubberband, makeProxy, proxyOutputArgs } from '../../src/main/core/media/proxy';
import { buildProxyGraph } from '../../src/main/core/media/proxy-filters';
import { fileUrlArg, runTool } from '../../src/main/core/media/run-tool';
import { sanitizeAv } from '../../src/main/core/media/sanitize';
import type { ProtectionPlan } from '../../src/main/core/subjects/protection-plan';
import { createVault } from '../../src/main/core/vault/vault';

/**
 * Proxy of a 1080p clip through our pipeline (decrypt → pipe → ffmpeg → pipe → encrypt, plus thumbnails)
 * vs a bare ffmpeg with the same filter graph and encoder settings reading and writing plain files.
 * BENCH_PROXY_SECONDS (default 20) sets the clip length. Runs alternate, best of BENCH_ROUNDS (default 3).
 */
export async function run(report: (line: string) => void): Promise<void> {
  const seconds = Number(process.env.BENCH_PROXY_SECONDS ?? 20);
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const fps = 25;
  const tools = await findMediaTools();
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'sh-bench-proxy-'));
  try {
    // A camera-like file (plain MP4, 10-s GOP), stored the way an ingest stores it: sanitized, then sealed.
    // The bare command reads the same sanitized bytes from a plain file.
    const camera = path.join(root, 'camera.mp4');
    const gen = await runTool(tools.ffmpeg, [
      '-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', `testsrc2=s=1920x1080:r=${fps}`, '-f', 'lavfi', '-i', 'sine=f=440:r=48000',
      '-t', String(seconds), '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '18', '-g', String(10 * fps), '-pix_fmt', 'yuv420p', '-c:a', 'aac',
      fileUrlArg(camera),
    ], { timeoutMs: 600_000 });
    if (gen.code !== 0) throw new Error(gen.stderr);
    const source = path.join(root, 'master.mp4');
    const sanitized = sanitizeAv(tools, camera, { hasVideo: true, hasAudio: true, videoCodec: 'h264', audioCodecs: ['aac'] });
    await Promise.all([pipeline(sanitized.output, createWriteStream(source)), sanitized.done]);
    const frames = seconds * fps;
    report(`proxy bench: ${seconds} s 1080p${fps} H.264 sanitized master (${((await fs.stat(source)).size / 1e6).toFixed(0)} MB), node ${process.version}, ${os.availableParallelism()} cores`);

    const vault = await createVault(path.join(root, 'vault'), 'benchmark passphrase, not secret');
    const master = await vault.writeObject('master', createReadStream(source, { highWaterMark: 1024 * 1024 }));
    // A representative plan: one face track moving across the frame, voice disguised over part of the clip.
    const plan: ProtectionPlan = {
      mode: 'regions',
      regions: [[{ t: 0, x: 0.1, y: 0.2, w: 0.15, h: 0.25 }, { t: seconds, x: 0.7, y: 0.3, w: 0.15, h: 0.25 }]],
      voice: { method: 'disguise', ranges: [{ from: 2, to: seconds / 2 }], subjectIds: ['bench'] },
      excluded: false,
      fingerprint: 'bench',
    };
    const graph = buildProxyGraph(plan, { width: 1920, height: 1080, fps, durationSeconds: seconds, hasVideo: true, hasAudio: true }, { clipCode: 'C0001', timecode: '10:00:00:00', fontFile: findProxyFont() }, { rubberband: await hasRubberband(tools), disguise: { pitch: 0.8, formant: 1.12 } });
    const bareArgs = ['-hide_banner', '-nostdin', '-loglevel', 'error', '-nostats', '-y', '-i', fileUrlArg(source), ...proxyOutputArgs(graph, fps, fileUrlArg(path.join(root, 'bare.mp4')), fileUrlArg(path.join(root, 'bare.jpg')))];

    const timed = async (fn: () => Promise<void>): Promise<number> => {
      const t0 = performance.now();
      await fn();
      return (performance.now() - t0) / 1000;
    };
    const bare: number[] = [];
    const ours: number[] = [];
    const made: string[] = [];
    for (let round = 0; round < rounds; round += 1) {
      bare.push(await timed(async () => {
        const r = await runTool(tools.ffmpeg, bareArgs, { timeoutMs: 600_000 });
        if (r.code !== 0) throw new Error(r.stderr);
      }));
      ours.push(await timed(async () => {
        const result = await makeProxy(vault, tools, { masterObjectId: master.id, plan, clipCode: 'C0001', timecode: '10:00:00:00', durationSeconds: seconds });
        made.push(result.proxy.id);
      }));
      report(`  round ${round + 1}: bare ffmpeg ${bare[round]!.toFixed(2)} s, Safehouse pipeline ${ours[round]!.toFixed(2)} s`);
    }
    const bestBare = Math.min(...bare);
    const bestOurs = Math.min(...ours);
    report(`  bare ffmpeg (plain file in/out)      ${bestBare.toFixed(2)} s  ${(frames / bestBare).toFixed(1)} fps`);
    report(`  Safehouse (vault → pipes → vault)     ${bestOurs.toFixed(2)} s  ${(frames / bestOurs).toFixed(1)} fps`);
    report(`  overhead ratio ${(bestOurs / bestBare).toFixed(3)} (target ≤ 1.15)`);
    for (const id of made) await vault.deleteObject(id);
    vault.lock();
  } finally {
    await fs.rm(root, { recursive: true, force: true });
  }
}
