import { describe, expect, it } from 'vitest';
import { boxAt, descriptorsForTracks, type DescribedSighting } from '../../../src/main/core/faces/track-descriptors';
import { similarity } from '../../../src/main/core/faces/identity-match';

const kf = (t: number, x: number, y = 0.2, w = 0.2, h = 0.3) => ({ t, x, y, w, h });

describe('boxAt', () => {
  it.each([
    { name: 'before the track', t: 0.5, expected: null },
    { name: 'after the track', t: 3.5, expected: null },
    { name: 'on a keyframe', t: 1, expected: { t: 1, x: 0.1, y: 0.2, w: 0.2, h: 0.3 } },
    { name: 'half way between keyframes', t: 2, expected: { t: 2, x: 0.3, y: 0.2, w: 0.2, h: 0.3 } },
    { name: 'on the last keyframe', t: 3, expected: { t: 3, x: 0.5, y: 0.2, w: 0.2, h: 0.3 } },
  ])('$name', ({ t, expected }) => {
    const box = boxAt([kf(1, 0.1), kf(3, 0.5)], t);
    if (expected === null) expect(box).toBeNull();
    else for (const key of ['t', 'x', 'y', 'w', 'h'] as const) expect(box![key]).toBeCloseTo(expected[key]);
  });

  it('handles a one-keyframe track at its only moment', () => {
    expect(boxAt([kf(2, 0.4)], 2)).toMatchObject({ x: 0.4 });
    expect(boxAt([], 2)).toBeNull();
  });
});

const vec = (...values: number[]) => Float32Array.from(values);
const sighting = (t: number, cx: number, descriptor: Float32Array): DescribedSighting => ({ t, box: { x: cx - 0.05, y: 0.3, w: 0.1, h: 0.1, score: 0.9 }, descriptor });

describe('descriptorsForTracks', () => {
  const left = { keyframes: [kf(0, 0.0), kf(4, 0.0)] }; // x 0–0.2
  const right = { keyframes: [kf(0, 0.6), kf(4, 0.6)] }; // x 0.6–0.8
  const late = { keyframes: [kf(3, 0.6), kf(6, 0.6)] };

  it('gives each track the mean of the sightings inside it, and null to a track nobody described', () => {
    const out = descriptorsForTracks([left, right], [sighting(1, 0.1, vec(1, 0, 0)), sighting(2, 0.1, vec(0.8, 0.6, 0)), sighting(1, 0.7, vec(0, 0, 2))]);
    expect(similarity(out[0]!, vec(0.9, 0.3, 0).map((v) => v / Math.hypot(0.9, 0.3)))).toBeCloseTo(1, 5);
    expect([...out[1]!]).toEqual([0, 0, 1]);
    expect(descriptorsForTracks([left, right], [sighting(1, 0.1, vec(1, 0, 0))])[1]).toBeNull();
  });

  it('drops a sighting inside no track (in space or in time)', () => {
    const out = descriptorsForTracks([left, late], [sighting(1, 0.45, vec(1, 0, 0)), sighting(1, 0.7, vec(0, 1, 0))]);
    expect(out).toEqual([null, null]);
  });

  it('gives a sighting inside two overlapping boxes to the track whose centre is nearer', () => {
    const wide = { keyframes: [kf(0, 0.0, 0.2, 0.5), kf(4, 0.0, 0.2, 0.5)] }; // x 0–0.5, centre 0.25
    const near = { keyframes: [kf(0, 0.3, 0.2, 0.2), kf(4, 0.3, 0.2, 0.2)] }; // x 0.3–0.5, centre 0.4
    const out = descriptorsForTracks([wide, near], [sighting(1, 0.42, vec(0, 1))]);
    expect(out[0]).toBeNull();
    expect([...out[1]!]).toEqual([0, 1]);
  });
});
