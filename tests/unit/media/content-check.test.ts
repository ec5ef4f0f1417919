import { describe, expect, it } from 'vitest';
import { compareContent, keptStreams, parseStreamCounts, type StreamCount } from '../../../src/main/core/media/content-check';

const s = (index: number, type: string, count: number, duration?: number, attachedPic = false, codec = type === 'video' ? 'h264' : 'aac'): StreamCount => ({ index, type, codec, count, attachedPic, ...(duration ? { duration } : {}) });

describe('content kept: the master against the original, stream by stream', () => {
  const source = [s(0, 'video', 75, 3), s(1, 'audio', 131, 3)];
  const decoded = [s(0, 'video', 50), s(1, 'audio', 86)];
  const rows: [string, StreamCount[], StreamCount[], StreamCount[], ReturnType<typeof compareContent>][] = [
    ['everything kept', source, decoded, [s(0, 'video', 75, 3.02), s(1, 'audio', 131, 3.02)], null],
    ['audio packets lost (43 of 131)', source, decoded, [s(0, 'video', 75), s(1, 'audio', 43)], { code: 'content-lost', stream: 1, type: 'audio', source: 131, kept: 43, what: 'packets' }],
    ['video missing from the master', source, decoded, [s(0, 'audio', 131)], { code: 'content-lost', stream: 0, type: 'video', source: 75, kept: 131, what: 'packets' }],
    ['a stream cut short', source, decoded, [s(0, 'video', 75, 1.5), s(1, 'audio', 131, 3)], { code: 'content-lost', stream: 0, type: 'video', source: 3, kept: 1.5, what: 'seconds' }],
    ['header-valid, body undecodable', source, [s(0, 'video', 0), s(1, 'audio', 0)], [s(0, 'video', 75), s(1, 'audio', 131)], { code: 'does-not-decode', stream: 0, type: 'video' }],
    ['video does not decode, audio does', source, [s(1, 'audio', 86)], [s(0, 'video', 75), s(1, 'audio', 131)], { code: 'does-not-decode', stream: 0, type: 'video' }],
    ['a stream with no packets at all', [s(0, 'video', 0), s(1, 'audio', 131)], decoded, [s(0, 'video', 0), s(1, 'audio', 131)], { code: 'does-not-decode', stream: 0, type: 'video' }],
    ['the original could not be counted at all (fails closed)', [], decoded, [s(0, 'video', 75), s(1, 'audio', 131)], { code: 'does-not-decode', stream: -1, type: 'none' }],
    ['PCM cut into other packets, same length', [s(0, 'audio', 470, 10, false, 'pcm_s16le')], [s(0, 'audio', 47)], [s(0, 'audio', 12, 10, false, 'pcm_s16le')], null],
    [
      'PCM cut short',
      [s(0, 'audio', 470, 10, false, 'pcm_s16le')],
      [s(0, 'audio', 47)],
      [s(0, 'audio', 6, 5, false, 'pcm_s16le')],
      { code: 'content-lost', stream: 0, type: 'audio', source: 10, kept: 5, what: 'seconds' },
    ],
    [
      'cover art and data streams are not kept, so not compared',
      [s(0, 'video', 1, undefined, true), s(1, 'video', 75), s(2, 'data', 3), s(3, 'audio', 131)],
      [s(0, 'video', 1), s(1, 'video', 50), s(3, 'audio', 86)],
      [s(0, 'video', 75), s(1, 'audio', 131)],
      null,
    ],
  ];
  it.each(rows)('%s', (_, src, dec, out, expected) => expect(compareContent(src, dec, out)).toEqual(expected));

  it('keeps the first real video stream, then every audio stream, in the sanitizer’s order', () => {
    expect(keptStreams([s(0, 'audio', 1), s(1, 'video', 1, undefined, true), s(2, 'video', 1), s(3, 'video', 1), s(4, 'audio', 1)]).map((x) => x.index)).toEqual([2, 0, 4]);
  });

  it('parses ffprobe counts, and a stream with no decoded frames as zero', () => {
    const json = JSON.stringify({ streams: [
      { index: 0, codec_type: 'video', codec_name: 'h264', nb_read_packets: '75', duration: '3.000000', disposition: { attached_pic: 0 } },
      { index: 1, codec_type: 'audio', codec_name: 'aac', disposition: { attached_pic: 0 } },
      { index: 2, codec_type: 'video', codec_name: 'h264', nb_read_frames: '1', duration: 'N/A', disposition: { attached_pic: 1 } },
    ] });
    expect(parseStreamCounts(json)).toEqual([s(0, 'video', 75, 3), s(1, 'audio', 0), s(2, 'video', 1, undefined, true)]);
  });
});
