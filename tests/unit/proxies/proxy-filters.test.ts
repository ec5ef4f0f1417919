import { describe, expect, it } from 'vitest';
import {
  audioGraph,
  boxAt,
  buildProxyGraph,
  filterValue,
  normaliseTimecode,
  proxySize,
  regionSegments,
  timecodeRate,
} from '../../../src/main/core/media/proxy-filters';
import type { ProtectionPlan } from '../../../src/main/core/subjects/protection-plan';

const source = { width: 1920, height: 1080, fps: 25, durationSeconds: 2, hasVideo: true, hasAudio: true };
const burn = { clipCode: 'C0007', timecode: '01:02:03:04', fontFile: '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf' };
const plan = (over: Partial<ProtectionPlan>): ProtectionPlan => ({ mode: 'none', regions: [], voice: null, excluded: false, fingerprint: 'f', ...over });

describe('proxy filter graph', () => {
  it('sizes the proxy about 960 wide with even dimensions and never upscales', () => {
    expect(proxySize(1920, 1080)).toEqual({ width: 960, height: 540 });
    expect(proxySize(1440, 1080)).toEqual({ width: 960, height: 720 });
    expect(proxySize(4096, 2160)).toEqual({ width: 960, height: 506 });
    expect(proxySize(641, 481)).toEqual({ width: 642, height: 482 });
  });

  it('none: only scales, burns in code, timecode and CONFIDENTIAL', () => {
    const g = buildProxyGraph(plan({}), source, burn, { rubberband: true });
    expect(g.graph).toContain('scale=960:540');
    expect(g.graph).not.toContain('drawbox');
    expect(g.graph).not.toContain('flags=neighbor');
    expect(g.graph).toContain('timecode=01\\\\:02\\\\:03\\\\:04:rate=25');
    expect(g.graph).toContain('text=CONFIDENTIAL');
    expect(g.graph).toContain('text=C0007');
    expect(g.graph).toMatch(/tile=8x1\[thumb\]/);
    expect(g.graph).toContain('[0:a:0]aresample=48000');
  });

  it('full: a coarse area-averaged mosaic, drawn before the burn-in', () => {
    const g = buildProxyGraph(plan({ mode: 'full' }), source, burn, { rubberband: true });
    const mosaic = g.graph.indexOf('scale=16:9:flags=area');
    expect(mosaic).toBeGreaterThan(0);
    expect(g.graph.indexOf('scale=960:540:flags=neighbor')).toBeGreaterThan(mosaic);
    expect(g.graph.indexOf('drawtext')).toBeGreaterThan(mosaic);
    expect(g.graph).not.toMatch(/boxblur|gblur/);
  });

  it('regions: solid boxes, interpolated, padded, held before the first and after the last keyframe', () => {
    const track = [{ t: 0.5, x: 0.1, y: 0.1, w: 0.2, h: 0.2 }, { t: 1.5, x: 0.5, y: 0.1, w: 0.2, h: 0.2 }];
    expect(boxAt(track, 1).x).toBeCloseTo(0.3);
    expect(boxAt(track, 0)).toEqual(track[0]);
    expect(boxAt(track, 9)).toEqual(track[1]);
    const segments = regionSegments(track, 2, { width: 960, height: 540 });
    expect(segments[0]!.from).toBe(Number.NEGATIVE_INFINITY);
    expect(segments[segments.length - 1]!.to).toBe(Number.POSITIVE_INFINITY);
    // static before 0.5 s and after 1.5 s: merged into one segment each
    expect(segments.length).toBeLessThanOrEqual(12);
    // every moment is covered by a box that contains the interpolated box plus the margin
    for (let t = 0; t <= 2; t += 0.037) {
      const b = boxAt(track, t);
      const seg = segments.find((s) => t >= s.from && t <= s.to)!;
      expect(seg.box.x).toBeLessThanOrEqual(Math.floor((b.x - 0.03) * 960));
      expect(seg.box.x + seg.box.w).toBeGreaterThanOrEqual(Math.floor((b.x + b.w + 0.03) * 960));
    }
    const g = buildProxyGraph(plan({ mode: 'regions', regions: [track] }), source, burn, { rubberband: true });
    expect(g.graph).toContain('t=fill');
    expect(g.graph).toContain("enable='lt(t,");
    expect(g.graph).toContain("enable='between(t,");
  });

  it('regions clamp to the frame', () => {
    const [only] = regionSegments([{ t: 0, x: 0.9, y: -0.2, w: 0.5, h: 0.5 }], 1, { width: 960, height: 540 });
    expect(only!.box.x + only!.box.w).toBe(960);
    expect(only!.box.y).toBe(0);
  });

  it('voice: secret disguise or mute, over ranges or the whole clip; a disguise without parameters mutes', () => {
    const disguise = { pitch: 1.3348, formant: 0.88 };
    // Formants ×0.88 by resampling, then the pitch alone by 1.3348 / 0.88 with formants preserved.
    expect(audioGraph({ method: 'disguise', ranges: 'all' }, { rubberband: true, disguise })).toContain('asetrate=42240,aresample=48000,atempo=1.1364,rubberband=pitch=1.5168:formant=preserved');
    expect(audioGraph({ method: 'disguise', ranges: 'all' }, { rubberband: false, disguise })).toContain('asetrate=64070');
    expect(audioGraph({ method: 'disguise', ranges: 'all' }, { rubberband: true, disguise: null })).toContain('volume=0,');
    expect(audioGraph({ method: 'disguise', ranges: 'all' }, { rubberband: true })).not.toMatch(/rubberband|asetrate/);
    expect(audioGraph({ method: 'mute', ranges: 'all' }, { rubberband: true })).toContain('volume=0,');
    expect(audioGraph({ method: 'mute', ranges: [{ from: 1, to: 2 }] }, { rubberband: true })).toContain("volume=0:enable='between(t,0.75,2.25)'");
    const ranged = audioGraph({ method: 'disguise', ranges: [{ from: 0, to: 1 }] }, { rubberband: true, disguise });
    expect(ranged).toContain('asplit=2');
    expect(ranged).toContain('amix=inputs=2:normalize=0');
    expect(audioGraph(null, { rubberband: true })).not.toMatch(/volume|rubberband/);
  });

  it('escapes option values at both levels and refuses odd clip codes', () => {
    expect(filterValue("a:b'c,d")).toBe("a\\\\:b\\\\\\'c\\,d");
    expect(() => buildProxyGraph(plan({}), source, { ...burn, clipCode: "C1'" }, { rubberband: true })).toThrow();
  });

  it('timecode rate and value', () => {
    expect(timecodeRate(29.97)).toBe('30000/1001');
    expect(timecodeRate(25)).toBe('25');
    expect(timecodeRate(23.976)).toBe('24000/1001');
    expect(normaliseTimecode('10:00:00;12')).toBe('10:00:00;12');
    expect(normaliseTimecode('junk')).toBe('00:00:00:00');
    expect(normaliseTimecode(null)).toBe('00:00:00:00');
  });

  it('audio-only and video-only sources', () => {
    expect(buildProxyGraph(plan({}), { ...source, hasVideo: false }, burn, { rubberband: true }).graph).not.toContain('[v]');
    expect(buildProxyGraph(plan({}), { ...source, hasAudio: false }, burn, { rubberband: true }).graph).not.toContain('[a]');
  });
});
