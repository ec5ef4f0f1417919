import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { findMediaTools } from '../../../src/main/core/media/media-tools';
import { fileUrlArg, runTool } from '../../../src/main/core/media/run-tool';
import { sanitizeAv } from '../../../src/main/core/media/sanitize';

/** Top-level MP4 box types in order (size 1 = 64-bit size follows; size 0 = to the end). */
function topLevelBoxes(bytes: Buffer): string[] {
  const types: string[] = [];
  for (let at = 0; at + 8 <= bytes.length; ) {
    let size = bytes.readUInt32BE(at);
    if (size === 1) size = Number(bytes.readBigUInt64BE(at + 8));
    else if (size === 0) size = bytes.length - at;
    types.push(bytes.toString('latin1', at + 4, at + 8));
    if (size < 8) break;
    at += size;
  }
  return types;
}

// A master is read through pipes (proxies, playback): a reader that cannot seek demuxes a whole fragment of
// video before its audio, so fragments must stay short even when the camera's keyframes are far apart.
it('cuts a long-GOP clip into fragments of at most a second, moov first', async () => {
  const tools = await findMediaTools();
  const camera = path.join(os.tmpdir(), 'long-gop.mp4');
  const seconds = 4;
  const made = await runTool(tools.ffmpeg, [
    '-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=s=320x240:r=25', '-f', 'lavfi', '-i', 'sine=f=440:r=48000',
    '-t', String(seconds), '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '250', '-c:a', 'aac', fileUrlArg(camera),
  ], { timeoutMs: 60_000 });
  expect(made.code).toBe(0);

  const run = sanitizeAv(tools, camera, { hasVideo: true, hasAudio: true, videoCodec: 'h264', audioCodecs: ['aac'] });
  const chunks: Buffer[] = [];
  for await (const chunk of run.output as AsyncIterable<Buffer>) chunks.push(chunk);
  await run.done;
  const boxes = topLevelBoxes(Buffer.concat(chunks));
  expect(boxes.slice(0, 2)).toEqual(['ftyp', 'moov']);
  // one keyframe in the whole clip: without a duration limit this would be a single fragment
  expect(boxes.filter((type) => type === 'moof').length).toBeGreaterThanOrEqual(seconds);
});
