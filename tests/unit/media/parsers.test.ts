import { describe, expect, it } from 'vitest';
import { createProgressParser, type ProgressSample } from '../../../src/main/core/media/ffmpeg-progress';
import { parseProbe } from '../../../src/main/core/media/ffprobe-parse';

const PROBE = JSON.stringify({
  programs: [{ program_id: 1, tags: { service_name: 'HC-X1500' } }],
  streams: [
    { index: 0, codec_type: 'video', codec_name: 'h264', codec_tag_string: 'avc1', width: 320, height: 240, avg_frame_rate: '30000/1001', tags: { handler_name: 'VideoHandler', timecode: '01:00:00:00' } },
    { index: 1, codec_type: 'audio', codec_name: 'aac', sample_rate: '48000', channels: 2, tags: { language: 'eng' } },
    { index: 2, codec_type: 'data', codec_name: 'bin_data', tags: {} },
    { index: 3, codec_type: 'video', codec_name: 'mjpeg', disposition: { attached_pic: 1 } },
    { index: 4, codec_type: 'weird' },
  ],
  chapters: [{ id: 0, start_time: '0.000000', end_time: '1.5', tags: { title: 'Kofi' } }],
  format: { format_name: 'mov,mp4,m4a,3gp,3g2,mj2', duration: '2.002000', size: '12345', bit_rate: '49000', tags: { location: '+52.5200+013.4050/', major_brand: 'isom' } },
});

describe('parseProbe', () => {
  it('parses format, streams, chapters, programs and timecode', () => {
    const r = parseProbe(PROBE);
    expect(r).toMatchObject({ formatName: 'mov,mp4,m4a,3gp,3g2,mj2', duration: 2.002, size: 12345, bitRate: 49000, timecode: '01:00:00:00' });
    expect(r.tags.location).toBe('+52.5200+013.4050/');
    expect(r.streams.map((s) => s.type)).toEqual(['video', 'audio', 'data', 'video', 'unknown']);
    expect(r.streams[0]).toMatchObject({ codec: 'h264', width: 320, height: 240, fps: 29.97, codecTag: 'avc1', attachedPic: false });
    expect(r.streams[1]).toMatchObject({ sampleRate: 48000, channels: 2, tags: { language: 'eng' } });
    expect(r.streams[3]?.attachedPic).toBe(true);
    expect(r.chapters).toEqual([{ id: 0, start: 0, end: 1.5, tags: { title: 'Kofi' } }]);
    expect(r.programs).toEqual([{ id: 1, tags: { service_name: 'HC-X1500' } }]);
  });

  it('tolerates missing optional fields and 0/0 rates', () => {
    const r = parseProbe(JSON.stringify({ format: { format_name: 'wav' }, streams: [{ codec_type: 'video', r_frame_rate: '0/0' }] }));
    expect(r.duration).toBeUndefined();
    expect(r.streams[0]).toMatchObject({ index: 0, codec: 'unknown', tags: {} });
    expect(r.streams[0]?.fps).toBeUndefined();
    expect(r.timecode).toBeUndefined();
  });

  it.each(['', '{', 'null', '[]', '{"streams":[]}', '{"format":{}}', PROBE.slice(0, 200)])('malformed %#: NOT_MEDIA', (json) => {
    expect(() => parseProbe(json)).toThrow(expect.objectContaining({ code: 'NOT_MEDIA' }));
  });
});

describe('createProgressParser', () => {
  const block = (t: string, end = false) => `frame=50\nfps=25.0\nbitrate=N/A\ntotal_size=${t}\nout_time_us=2000000\nout_time_ms=2000000\nout_time=00:00:02.000000\nspeed=2.5x\nprogress=${end ? 'end' : 'continue'}\n`;

  it('emits one sample per block, with the final one marked done', () => {
    const s: ProgressSample[] = [];
    const p = createProgressParser((x) => s.push(x));
    p.push(block('1000') + block('2048', true));
    expect(s).toEqual([
      { outTimeSeconds: 2, totalSizeBytes: 1000, speed: 2.5, fps: 25, done: false },
      { outTimeSeconds: 2, totalSizeBytes: 2048, speed: 2.5, fps: 25, done: true },
    ]);
  });

  it('handles blocks split at any byte, CRLF, and stray non key=value lines', () => {
    const text = block('10').replace(/\n/g, '\r\n') + 'garbage line\n=x\n' + block('20', true);
    for (let cut = 1; cut < text.length; cut += 7) {
      const s: ProgressSample[] = [];
      const p = createProgressParser((x) => s.push(x));
      p.push(text.slice(0, cut));
      p.push(text.slice(cut));
      expect(s.map((x) => x.totalSizeBytes)).toEqual([10, 20]);
      expect(s[1]?.done).toBe(true);
    }
  });

  it('does not emit a partial block and copes with N/A values', () => {
    const s: ProgressSample[] = [];
    const p = createProgressParser((x) => s.push(x));
    p.push('out_time_us=N/A\nout_time=-577014:32:22.77\nspeed=N/A\ntotal_size=N/A\nprogress=continue\nout_time_us=5');
    expect(s).toEqual([{ done: false }]);
    p.push('00000\nprogress=end');
    expect(s).toHaveLength(1); // no newline yet: block not complete
    p.push('\n');
    expect(s[1]).toEqual({ outTimeSeconds: 0.5, done: true });
  });

  it('falls back to out_time when the microsecond fields are missing', () => {
    const s: ProgressSample[] = [];
    createProgressParser((x) => s.push(x)).push('out_time=01:02:03.500000\nprogress=continue\n');
    expect(s[0]?.outTimeSeconds).toBe(3723.5);
  });
});
