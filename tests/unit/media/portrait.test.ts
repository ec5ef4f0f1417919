import { describe, expect, it } from 'vitest';
import { parseProbe } from '../../../src/main/core/media/ffprobe-parse';
import { displayedSize, proxySize } from '../../../src/main/core/media/proxy-filters';

describe('portrait frames', () => {
  it.each([
    [1920, 1080, undefined, 1920, 1080],
    [1920, 1080, -90, 1080, 1920],
    [1920, 1080, 90, 1080, 1920],
    [1920, 1080, 180, 1920, 1080],
    [1920, 1080, 270, 1080, 1920],
  ])('%i×%i rotated %s is shown %i×%i', (w, h, r, ww, hh) => {
    expect(displayedSize(w, h, r)).toEqual({ width: ww, height: hh });
  });

  it.each([
    [1080, 1920, 540, 960],
    [720, 1280, 540, 960],
    [180, 320, 180, 320],
    [1920, 1080, 960, 540],
    [1000, 1000, 960, 960],
  ])('proxy of %i×%i is %i×%i (long side about 960, never upscaled, orientation kept)', (w, h, pw, ph) => {
    expect(proxySize(w, h)).toEqual({ width: pw, height: ph });
  });

  it('reads the display-matrix rotation from ffprobe side data', () => {
    const json = JSON.stringify({
      format: { format_name: 'mov' },
      streams: [{ index: 0, codec_type: 'video', codec_name: 'h264', width: 320, height: 180, side_data_list: [{ side_data_type: 'Display Matrix', rotation: -90 }] }],
    });
    expect(parseProbe(json).streams[0]?.rotation).toBe(-90);
    expect(parseProbe(json.replace('-90', '0')).streams[0]?.rotation).toBeUndefined();
  });
});
