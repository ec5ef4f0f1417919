import { describe, expect, it } from 'vitest';
import type { Detection } from '../../../src/main/core/faces/blazeface';
import { boxAt } from '../../../src/main/core/media/proxy-filters';
import { DEFAULT_TRACKER, trackFaces, type Sample } from '../../../src/main/core/faces/tracker';

/** The tracker on synthetic detections: one row per behaviour the issue asks for. */

const det = (x: number, y: number, score = 0.9, size = 0.1): Detection => ({ x, y, w: size, h: size, score });
/** Samples every 0.2 s from `from` to `to` (exclusive), with detections from `at(t)`. */
function samples(from: number, to: number, at: (t: number) => Detection[], cutAt?: number): Sample[] {
  const out: Sample[] = [];
  for (let i = Math.round(from * 5); i < Math.round(to * 5); i += 1) {
    const t = i / 5;
    out.push({ t, detections: at(t), cut: cutAt !== undefined && Math.abs(t - cutAt) < 1e-9 });
  }
  return out;
}

interface Case {
  name: string;
  samples: Sample[];
  duration: number;
  tracks: number;
  /** Spans [from, to] of the tracks, sorted by start. */
  spans?: [number, number][];
}

const cases: Case[] = [
  { name: 'no detections, no tracks', samples: samples(0, 4, () => []), duration: 4, tracks: 0 },
  {
    name: 'one steady face: one track from 0.3 s before first sight to 0.6 s after the last',
    samples: samples(0, 4, (t) => (t >= 1 && t < 3 ? [det(0.4, 0.4)] : [])), duration: 4, tracks: 1, spans: [[0.7, 3.4]],
  },
  {
    name: 'two faces side by side stay two tracks',
    samples: samples(0, 2, () => [det(0.1, 0.4), det(0.7, 0.4)]), duration: 2, tracks: 2,
  },
  {
    name: 'a face moving steadily keeps one track',
    samples: samples(0, 3, (t) => [det(0.1 + 0.1 * t, 0.4)]), duration: 3, tracks: 1,
  },
  {
    name: 'a face turning away (weak detections) keeps its track through the second pass',
    samples: samples(0, 3, (t) => [det(0.4, 0.4, t > 1 && t < 2 ? 0.3 : 0.9)]), duration: 3, tracks: 1, spans: [[0, 3]],
  },
  {
    name: 'a single weak detection alone starts nothing',
    samples: samples(0, 2, (t) => (Math.abs(t - 1) < 1e-9 ? [det(0.4, 0.4, 0.3)] : [])), duration: 2, tracks: 0,
  },
  {
    name: 'a weak face seen twice in a row is tracked (recall first)',
    samples: samples(0, 2, (t) => (t >= 1 && t < 1.4 ? [det(0.4, 0.4, 0.3)] : [])), duration: 2, tracks: 1,
  },
  {
    name: 'a short occlusion (0.6 s) does not split the track',
    samples: samples(0, 3, (t) => (t >= 1 && t < 1.6 ? [] : [det(0.4, 0.4)])), duration: 3, tracks: 1, spans: [[0, 3]],
  },
  {
    name: 'a long absence (2 s) ends the track; the face returning gets a new one',
    samples: samples(0, 5, (t) => (t >= 1 && t < 3 ? [] : [det(0.4, 0.4)])), duration: 5, tracks: 2, spans: [[0, 1.4], [2.7, 5]],
  },
  {
    name: 'a scene cut ends every track at the cut, even when a box overlaps in the new shot',
    samples: samples(0, 4, () => [det(0.4, 0.4)], 2), duration: 4, tracks: 2, spans: [[0, 2], [1.7, 4]],
  },
  {
    name: 'the hold never runs past the end of the clip',
    samples: samples(0, 2, () => [det(0.4, 0.4)]), duration: 2, tracks: 1, spans: [[0, 2]],
  },
];

describe('trackFaces', () => {
  it.each(cases)('$name', (c) => {
    const tracks = trackFaces(c.samples, c.duration);
    expect(tracks).toHaveLength(c.tracks);
    if (c.spans) {
      const spans = tracks.map((t) => [t.keyframes[0]!.t, t.keyframes[t.keyframes.length - 1]!.t]);
      for (const [i, [from, to]] of c.spans.entries()) {
        expect(spans[i]![0]).toBeCloseTo(from, 5);
        expect(spans[i]![1]).toBeCloseTo(to, 5);
      }
    }
  });

  it('boxes are expanded at least 1.3× and still contain the detection', () => {
    const [track] = trackFaces(samples(0, 1, () => [det(0.4, 0.4, 0.9, 0.1)]), 1);
    for (const k of track!.keyframes) {
      expect(k.w).toBeGreaterThanOrEqual(0.13);
      expect(k.h).toBeGreaterThanOrEqual(0.13);
      expect(k.x).toBeLessThanOrEqual(0.4);
      expect(k.y).toBeLessThanOrEqual(0.4);
      expect(k.x + k.w).toBeGreaterThanOrEqual(0.5);
      expect(k.y + k.h).toBeGreaterThanOrEqual(0.5);
    }
  });

  it('between samples the interpolated box covers a face moving at constant speed', () => {
    const speed = 0.1; // frame widths per second
    const tracks = trackFaces(samples(0, 3, (t) => [det(0.1 + speed * t, 0.4)]), 3);
    for (let t = 0; t < 2.8; t += 0.04) {
      const box = boxAt(tracks[0]!.keyframes, t);
      const face = { x: 0.1 + speed * t, w: 0.1 };
      expect(box.x).toBeLessThanOrEqual(face.x);
      expect(box.x + box.w).toBeGreaterThanOrEqual(face.x + face.w);
    }
  });

  it('the defaults respect the minimums the issue sets', () => {
    expect(DEFAULT_TRACKER.expand).toBeGreaterThanOrEqual(1.3);
    expect(DEFAULT_TRACKER.lead).toBeGreaterThanOrEqual(0.25);
    expect(DEFAULT_TRACKER.hold).toBeGreaterThanOrEqual(0.5);
  });
});
