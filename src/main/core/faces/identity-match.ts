/**
 * Who appears where: matching face descriptors of tracks against each other.
 *
 * Pure and synchronous on purpose: descriptors are biometric data, so the caller opens them (sealed to the
 * identity class) in memory, hands them here, and drops them; nothing in this module stores, logs or returns a
 * descriptor. What it returns is ids and scores only.
 *
 * Descriptors are compared by cosine similarity of L2-normalised vectors, held in one flat Float32Array so
 * matching one track against ten thousand stored ones is a single pass over contiguous memory.
 */

export interface TrackDescriptor {
  trackId: string;
  clipId: string;
  /** Seconds: the part of the clip the track covers, carried through to a proposal. */
  from: number;
  to: number;
  descriptor: Float32Array;
}

export interface AssignedTrack extends TrackDescriptor {
  subjectId: string;
}

export interface MatchProposal {
  trackId: string;
  clipId: string;
  subjectId: string;
  /** Cosine similarity to the closest track already assigned to the subject, 0–1 after clamping. */
  score: number;
  from: number;
  to: number;
}

/** Returns a unit-length copy; a zero vector (a failed descriptor) stays zero and so never matches anything. */
export function normalise(vector: ArrayLike<number>): Float32Array {
  const out = Float32Array.from(vector);
  let sum = 0;
  for (let i = 0; i < out.length; i++) sum += out[i]! * out[i]!;
  const norm = Math.sqrt(sum);
  if (norm === 0 || !Number.isFinite(norm)) return out.fill(0);
  for (let i = 0; i < out.length; i++) out[i]! /= norm;
  return out;
}

export function similarity(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new Error(`descriptor lengths differ: ${a.length} and ${b.length}`);
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i]! * b[i]!;
  return Math.max(0, Math.min(1, dot));
}

/** A matrix of normalised descriptors, one row per track, for matching one query against many rows. */
export class DescriptorIndex {
  readonly ids: string[] = [];
  private rows: Float32Array;
  private count = 0;

  constructor(readonly dimensions: number, capacity = 64) {
    this.rows = new Float32Array(dimensions * Math.max(1, capacity));
  }

  get size(): number {
    return this.count;
  }

  add(id: string, descriptor: Float32Array): void {
    if (descriptor.length !== this.dimensions) throw new Error(`descriptor has ${descriptor.length} values, expected ${this.dimensions}`);
    if ((this.count + 1) * this.dimensions > this.rows.length) {
      const grown = new Float32Array(this.rows.length * 2);
      grown.set(this.rows);
      this.rows = grown;
    }
    // Written scaled in place: no per-row copy, which dominated building an index of ten thousand tracks.
    let sum = 0;
    for (let i = 0; i < descriptor.length; i++) sum += descriptor[i]! * descriptor[i]!;
    const scale = sum > 0 && Number.isFinite(sum) ? 1 / Math.sqrt(sum) : 0;
    const base = this.count * this.dimensions;
    for (let i = 0; i < descriptor.length; i++) this.rows[base + i] = descriptor[i]! * scale;
    this.ids.push(id);
    this.count++;
  }

  /** Similarity of `query` to every row, in row order. */
  scores(query: Float32Array): Float32Array {
    const q = normalise(query);
    const out = new Float32Array(this.count);
    const d = this.dimensions;
    for (let row = 0; row < this.count; row++) {
      let dot = 0;
      const base = row * d;
      for (let i = 0; i < d; i++) dot += this.rows[base + i]! * q[i]!;
      out[row] = dot;
    }
    return out;
  }
}

const pairKey = (trackId: string, subjectId: string): string => `${trackId}\u0000${subjectId}`;

export interface ProposeInput {
  assigned: readonly AssignedTrack[];
  /** Tracks nobody has assigned yet. */
  candidates: readonly TrackDescriptor[];
  /** (track, subject) pairs a person rejected: never proposed again. */
  rejected: readonly { trackId: string; subjectId: string }[];
  threshold: number;
}

/**
 * For every unassigned track, the subject whose assigned tracks it resembles most, if at or above the threshold.
 * One proposal per track: a face is one person, and offering the producer two names for it would invite a
 * careless accept. A rejected pair falls through to the next best subject.
 */
export function proposeAppearances(input: ProposeInput): MatchProposal[] {
  const rejected = new Set(input.rejected.map((r) => pairKey(r.trackId, r.subjectId)));
  const assignedIds = new Set(input.assigned.map((a) => a.trackId));
  const first = input.assigned[0];
  if (!first) return [];
  const index = new DescriptorIndex(first.descriptor.length, input.assigned.length);
  for (const known of input.assigned) index.add(known.trackId, known.descriptor);
  const proposals: MatchProposal[] = [];
  for (const candidate of input.candidates) {
    if (assignedIds.has(candidate.trackId)) continue;
    const scores = index.scores(candidate.descriptor);
    const bestBySubject = new Map<string, number>();
    input.assigned.forEach((known, row) => {
      if (known.clipId === candidate.clipId && overlaps(known, candidate)) return; // two faces on screen at once are two people
      const score = Math.max(0, Math.min(1, scores[row]!));
      if (score > (bestBySubject.get(known.subjectId) ?? -1)) bestBySubject.set(known.subjectId, score);
    });
    const ranked = [...bestBySubject.entries()]
      .filter(([subjectId, score]) => score >= input.threshold && !rejected.has(pairKey(candidate.trackId, subjectId)))
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    const best = ranked[0];
    if (best) proposals.push({ trackId: candidate.trackId, clipId: candidate.clipId, subjectId: best[0], score: best[1], from: candidate.from, to: candidate.to });
  }
  return proposals.sort((a, b) => b.score - a.score || a.clipId.localeCompare(b.clipId) || a.trackId.localeCompare(b.trackId));
}

function overlaps(a: { from: number; to: number }, b: { from: number; to: number }): boolean {
  return a.from < b.to && b.from < a.to;
}

export interface UnknownGroup {
  /** 1-based, stable for the same input: "unknown person 1", "unknown person 2" … */
  number: number;
  trackIds: string[];
}

/**
 * Groups unassigned tracks that look like the same person, by average linkage: two groups merge only while the
 * mean similarity of all their cross pairs stays at or above the threshold. Single linkage would chain two
 * different people together through one blurry in-between face, and the producer would then name both at once.
 * Tracks that overlap in time in the same clip are never merged (they are different people on screen together).
 * Singletons are not groups: there is nothing to name "at once".
 */
export function groupUnknownTracks(tracks: readonly TrackDescriptor[], threshold: number): UnknownGroup[] {
  const vectors = tracks.map((t) => normalise(t.descriptor));
  let clusters = tracks.map((_, i) => [i]);
  const linkage = (a: number[], b: number[]): number => {
    let sum = 0;
    for (const i of a) {
      for (const j of b) {
        const ti = tracks[i]!;
        const tj = tracks[j]!;
        if (ti.clipId === tj.clipId && overlaps(ti, tj)) return -1;
        sum += similarity(vectors[i]!, vectors[j]!);
      }
    }
    return sum / (a.length * b.length);
  };
  for (;;) {
    let best = { score: -1, a: -1, b: -1 };
    for (let a = 0; a < clusters.length; a++) {
      for (let b = a + 1; b < clusters.length; b++) {
        const score = linkage(clusters[a]!, clusters[b]!);
        if (score > best.score) best = { score, a, b };
      }
    }
    if (best.a < 0 || best.score < threshold) break;
    const merged = [...clusters[best.a]!, ...clusters[best.b]!];
    clusters = clusters.filter((_, i) => i !== best.a && i !== best.b);
    clusters.push(merged);
  }
  return clusters
    .filter((c) => c.length > 1)
    .map((c) => c.map((i) => tracks[i]!.trackId).sort())
    .sort((a, b) => b.length - a.length || a[0]!.localeCompare(b[0]!))
    .map((trackIds, i) => ({ number: i + 1, trackIds }));
}

/**
 * Precision and recall of proposals against the true subject of each candidate track (for measurement, not for
 * the app): `truth` lists the candidates only, null for a person who is none of the assigned subjects.
 */
export function scoreProposals(
  proposals: readonly MatchProposal[],
  truth: ReadonlyMap<string /* trackId */, string | null /* subjectId, or null for someone else */>,
  assignedSubjects: ReadonlySet<string>,
): { precision: number; recall: number; truePositives: number; proposed: number; expected: number } {
  let truePositives = 0;
  for (const p of proposals) if (truth.get(p.trackId) === p.subjectId) truePositives++;
  let expected = 0;
  for (const subjectId of truth.values()) if (subjectId !== null && assignedSubjects.has(subjectId)) expected++;
  return {
    precision: proposals.length === 0 ? 1 : truePositives / proposals.length,
    recall: expected === 0 ? 1 : truePositives / expected,
    truePositives,
    proposed: proposals.length,
    expected,
  };
}
