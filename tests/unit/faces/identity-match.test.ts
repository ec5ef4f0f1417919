import { describe, expect, it } from 'vitest';
import {
  DescriptorIndex,
  groupUnknownTracks,
  normalise,
  proposeAppearances,
  scoreProposals,
  similarity,
  type AssignedTrack,
  type TrackDescriptor,
} from '../../../src/main/core/faces/identity-match';

// Descriptors built from a few fixed "people" directions plus a little noise, so similarities are known.
const DIMS = 16;
function person(index: number): number[] {
  const v = new Array<number>(DIMS).fill(0);
  v[index] = 1;
  return v;
}
function face(of: number, noise: number[] = []): Float32Array {
  const v = person(of);
  noise.forEach((n, i) => (v[(of + 1 + i) % DIMS]! += n));
  return Float32Array.from(v);
}
function track(trackId: string, clipId: string, descriptor: Float32Array, from = 0, to = 5): TrackDescriptor {
  return { trackId, clipId, from, to, descriptor };
}
function assigned(trackId: string, clipId: string, subjectId: string, descriptor: Float32Array, from = 0, to = 5): AssignedTrack {
  return { ...track(trackId, clipId, descriptor, from, to), subjectId };
}

describe('normalise and similarity', () => {
  it('gives unit vectors, 1 for the same direction, 0 for orthogonal, and leaves a zero vector matching nothing', () => {
    const n = normalise([3, 4]);
    expect(n[0]).toBeCloseTo(0.6);
    expect(n[1]).toBeCloseTo(0.8);
    expect(similarity(normalise([1, 2]), normalise([2, 4]))).toBeCloseTo(1);
    expect(similarity(normalise([1, 0]), normalise([0, 1]))).toBe(0);
    expect(similarity(normalise([0, 0]), normalise([1, 0]))).toBe(0);
    expect(() => similarity(new Float32Array(2), new Float32Array(3))).toThrow(/lengths differ/);
  });
});

describe('DescriptorIndex', () => {
  it('scores a query against every row in order and grows past its capacity', () => {
    const index = new DescriptorIndex(DIMS, 1);
    for (let i = 0; i < 5; i++) index.add(`t${i}`, face(i));
    expect(index.size).toBe(5);
    const scores = index.scores(face(3));
    expect([...scores].map((s) => Math.round(s))).toEqual([0, 0, 0, 1, 0]);
    expect(index.ids).toEqual(['t0', 't1', 't2', 't3', 't4']);
    expect(() => index.add('bad', new Float32Array(3))).toThrow(/expected 16/);
  });
});

interface ProposeCase {
  name: string;
  assigned: AssignedTrack[];
  candidates: TrackDescriptor[];
  rejected?: { trackId: string; subjectId: string }[];
  expected: { trackId: string; subjectId: string }[];
}

const proposeCases: ProposeCase[] = [
  {
    name: 'the same person in another clip is proposed',
    assigned: [assigned('a1', 'c1', 'S-A', face(0))],
    candidates: [track('x', 'c2', face(0, [0.2]))],
    expected: [{ trackId: 'x', subjectId: 'S-A' }],
  },
  {
    name: 'someone else is not',
    assigned: [assigned('a1', 'c1', 'S-A', face(0))],
    candidates: [track('x', 'c2', face(5))],
    expected: [],
  },
  {
    name: 'the closer of two subjects wins, one proposal per track',
    assigned: [assigned('a1', 'c1', 'S-A', face(0)), assigned('b1', 'c1', 'S-B', face(1), 10, 12)],
    candidates: [track('x', 'c2', face(1, [0.3]))],
    expected: [{ trackId: 'x', subjectId: 'S-B' }],
  },
  {
    name: 'a rejected pair is not proposed again; the next subject above the threshold may be',
    assigned: [assigned('a1', 'c1', 'S-A', face(0)), assigned('b1', 'c1', 'S-B', Float32Array.from([0.95, 0.3, ...new Array<number>(DIMS - 2).fill(0)]), 10, 12)],
    candidates: [track('x', 'c2', face(0))],
    rejected: [{ trackId: 'x', subjectId: 'S-A' }],
    expected: [{ trackId: 'x', subjectId: 'S-B' }],
  },
  {
    name: 'a face on screen at the same time as the assigned one in the same clip is a different person',
    assigned: [assigned('a1', 'c1', 'S-A', face(0), 0, 5)],
    candidates: [track('x', 'c1', face(0), 2, 4), track('y', 'c1', face(0), 6, 9)],
    expected: [{ trackId: 'y', subjectId: 'S-A' }],
  },
  {
    name: 'an already assigned track is not proposed',
    assigned: [assigned('a1', 'c1', 'S-A', face(0))],
    candidates: [track('a1', 'c1', face(0))],
    expected: [],
  },
  {
    name: 'nothing assigned yet: nothing to propose',
    assigned: [],
    candidates: [track('x', 'c2', face(0))],
    expected: [],
  },
];

describe('proposeAppearances', () => {
  it.each(proposeCases)('$name', ({ assigned: known, candidates, rejected = [], expected }) => {
    const proposals = proposeAppearances({ assigned: known, candidates, rejected, threshold: 0.8 });
    expect(proposals.map((p) => ({ trackId: p.trackId, subjectId: p.subjectId }))).toEqual(expected);
    for (const p of proposals) {
      expect(p.score).toBeGreaterThanOrEqual(0.8);
      expect(p.score).toBeLessThanOrEqual(1);
      const source = candidates.find((c) => c.trackId === p.trackId)!;
      expect([p.clipId, p.from, p.to]).toEqual([source.clipId, source.from, source.to]);
    }
  });

  it('never hands back a descriptor', () => {
    const [p] = proposeAppearances({ assigned: [assigned('a1', 'c1', 'S-A', face(0))], candidates: [track('x', 'c2', face(0))], rejected: [], threshold: 0.5 });
    expect(Object.keys(p!).sort()).toEqual(['clipId', 'from', 'score', 'subjectId', 'to', 'trackId']);
  });
});

describe('groupUnknownTracks', () => {
  it('groups look-alikes, numbers the largest group first and leaves singletons out', () => {
    const groups = groupUnknownTracks(
      [track('p1', 'c1', face(2)), track('q1', 'c2', face(7)), track('p2', 'c3', face(2, [0.1])), track('p3', 'c4', face(2, [0.2])), track('q2', 'c5', face(7, [0.1])), track('lone', 'c6', face(11))],
      0.8,
    );
    expect(groups).toEqual([
      { number: 1, trackIds: ['p1', 'p2', 'p3'] },
      { number: 2, trackIds: ['q1', 'q2'] },
    ]);
  });

  it('does not chain two people through one in-between face (average linkage)', () => {
    const between = Float32Array.from([1, 1, ...new Array<number>(DIMS - 2).fill(0)]);
    const groups = groupUnknownTracks([track('a', 'c1', face(0)), track('m', 'c2', between), track('b', 'c3', face(1))], 0.7);
    // a~m and m~b are each 0.707, a~b is 0: at most one pair may join, never all three.
    expect(groups.flatMap((g) => g.trackIds).length).toBeLessThanOrEqual(2);
  });

  it('never groups two faces seen together in one clip', () => {
    expect(groupUnknownTracks([track('a', 'c1', face(0), 0, 5), track('b', 'c1', face(0), 1, 3)], 0.8)).toEqual([]);
  });
});

describe('scoreProposals', () => {
  it('counts right and wrong proposals against the truth for candidates of assigned subjects', () => {
    const truth = new Map<string, string | null>([
      ['x', 'S-A'],
      ['y', 'S-A'],
      ['z', null],
      ['w', 'S-C'], // S-C was never assigned: not expected
    ]);
    const result = scoreProposals(
      [
        { trackId: 'x', clipId: 'c', subjectId: 'S-A', score: 0.9, from: 0, to: 1 },
        { trackId: 'z', clipId: 'c', subjectId: 'S-A', score: 0.85, from: 0, to: 1 },
      ],
      truth,
      new Set(['S-A']),
    );
    expect(result).toEqual({ precision: 0.5, recall: 0.5, truePositives: 1, proposed: 2, expected: 2 });
  });
});
