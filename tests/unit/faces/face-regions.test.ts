import { describe, expect, it } from 'vitest';
import { buildProxyGraph, regionSegments } from '../../../src/main/core/media/proxy-filters';
import type { ProtectionPlan } from '../../../src/main/core/subjects/protection-plan';

/** Face tracks in the proxy graph: covered from their first to their last keyframe, and only then. */

const frame = { width: 960, height: 540 };
const face = [{ t: 1, x: 0.2, y: 0.2, w: 0.1, h: 0.2 }, { t: 2, x: 0.4, y: 0.2, w: 0.1, h: 0.2 }];

describe('face track segments', () => {
  it.each([
    { span: 'clip' as const, first: Number.NEGATIVE_INFINITY, last: Number.POSITIVE_INFINITY },
    { span: 'keyframes' as const, first: 1, last: 2 },
  ])('span $span: from $first to $last', ({ span, first, last }) => {
    const segments = regionSegments(face, 10, frame, span);
    expect(segments[0]!.from).toBeCloseTo(first, 9);
    expect(segments[segments.length - 1]!.to).toBeCloseTo(last, 9);
    // contiguous: no gap through which a face could show
    for (let i = 1; i < segments.length; i += 1) expect(segments[i]!.from).toBeCloseTo(segments[i - 1]!.to, 9);
  });

  it('each segment covers the moving box at both of its ends', () => {
    for (const s of regionSegments(face, 10, frame, 'keyframes')) {
      const xAt = (t: number) => (0.2 + 0.2 * Math.min(1, Math.max(0, t - 1))) * frame.width;
      expect(s.box.x).toBeLessThanOrEqual(Math.floor(xAt(s.from)));
      expect(s.box.x + s.box.w).toBeGreaterThanOrEqual(Math.ceil(xAt(s.to) + 0.1 * frame.width));
    }
  });

  it('the proxy graph draws face tracks only inside their span', () => {
    const plan: ProtectionPlan = { mode: 'regions', regions: [], faces: [face], voice: null, excluded: false, fingerprint: 'f' };
    const graph = buildProxyGraph(plan, { width: 1920, height: 1080, fps: 25, durationSeconds: 10, hasVideo: true, hasAudio: false }, { clipCode: 'C1', timecode: null, fontFile: '/f.ttf' }, { rubberband: false }).graph;
    const enables = [...graph.matchAll(/drawbox=[^,]*enable='between\(t,([\d.]+),([\d.]+)\)'/g)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(enables.length).toBeGreaterThan(5);
    expect(Math.min(...enables.map((e) => e[0]!))).toBeCloseTo(1, 6);
    expect(Math.max(...enables.map((e) => e[1]!))).toBeCloseTo(2, 6);
    expect(graph).not.toMatch(/enable='(lt|gte)\(t/); // nothing held over the whole clip
  });
});
