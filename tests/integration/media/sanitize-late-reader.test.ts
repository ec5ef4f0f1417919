import { setTimeout as sleep } from 'node:timers/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findMediaTools } from '../../../src/main/core/media/media-tools';
import { probeFile } from '../../../src/main/core/media/probe';
import { sanitizeAv } from '../../../src/main/core/media/sanitize';
import { getCard } from './card-fixture';

/**
 * Regression: when ffmpeg finished before the caller began reading (a small clip on a busy machine), Node
 * resumed the unread stdout on exit and the sanitized bytes were lost; the proof then saw an empty output
 * and the clip was quarantined. The output must be complete however late it is read.
 */
describe('sanitize output read late', () => {
  it('keeps every byte when the reader starts after ffmpeg has exited', async () => {
    const tools = await findMediaTools();
    const file = path.join(getCard().root, 'PRIVATE/M4ROOT/CLIP/C0001.MP4');
    const probe = await probeFile(tools, file);
    const options = { hasVideo: true, hasAudio: true, videoCodec: probe.streams.find((stream) => stream.type === 'video')!.codec, audioCodecs: probe.streams.filter((stream) => stream.type === 'audio').map((stream) => stream.codec) };

    const readNow = async () => {
      const run = sanitizeAv(tools, file, options);
      let bytes = 0;
      for await (const chunk of run.output as AsyncIterable<Buffer>) bytes += chunk.length;
      await run.done;
      return bytes;
    };
    const expected = await readNow();
    expect(expected).toBeGreaterThan(10_000);

    const late = sanitizeAv(tools, file, options);
    await late.done; // ffmpeg has exited and its stdout was flushed before anyone read
    await sleep(50);
    let bytes = 0;
    for await (const chunk of late.output as AsyncIterable<Buffer>) bytes += chunk.length;
    expect(bytes).toBe(expected);
  });
});
