import { describe, expect, it } from 'vitest';
import { FIELD_MOSAIC_FPS, fieldMosaicGraph } from '../../../src/main/core/media/proxy-filters';

const burn = { clipCode: 'FIELD', fontFile: '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf' };

describe('field mosaic filter graph', () => {
  it.each([
    [{ width: 1920, height: 1080, durationSeconds: 12 }, '960:540', 'scale=16:9:flags=area'],
    [{ width: 3840, height: 2160, durationSeconds: 3 }, '960:540', 'scale=16:9:flags=area'],
    [{ width: 1440, height: 1080, durationSeconds: 1 }, '960:720', 'scale=16:12:flags=area'],
    [{ width: 0, height: 0, durationSeconds: 0 }, '960:540', 'scale=16:9:flags=area'],
  ])('%o: rate cut first, then the area mosaic straight from the source, then the burn-in', (source, size, mosaic) => {
    const g = fieldMosaicGraph(source, burn);
    expect(g.graph.startsWith(`[0:v:0]fps=fps=${FIELD_MOSAIC_FPS},${mosaic},scale=${size}:flags=neighbor,`)).toBe(true);
    expect(g.graph.indexOf('drawtext')).toBeGreaterThan(g.graph.indexOf('flags=neighbor'));
    expect(g.graph).toContain('text=CONFIDENTIAL');
    expect(g.graph).toContain(`timecode=00\\\\:00\\\\:00\\\\:00:rate=${FIELD_MOSAIC_FPS}`);
    expect(g.graph).toMatch(/split=2\[v\]\[tv\];\[tv\]fps=fps=1\/[\d.]+:start_time=0,scale=160:-2,tile=8x1\[thumb\]$/);
    expect(g).toMatchObject({ hasVideo: true, hasAudio: false });
    expect(g.graph).not.toMatch(/\[0:a|boxblur|gblur|bicubic/); // no sound, no reversible blur, no full-detail intermediate
  });

  it('refuses a clip code that cannot be burned in', () => {
    expect(() => fieldMosaicGraph({ width: 1920, height: 1080, durationSeconds: 1 }, { ...burn, clipCode: "x'; drop" })).toThrow();
  });
});
