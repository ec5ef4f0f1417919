/**
 * How the window words a face-match score (cosine similarity, 0–1). The core proposes from 0.7 up; on the
 * measured set two tracks of the same person scored 0.85–1.00 and of two different people 0.32–0.39
 * (docs/faces.md), so 0.85 and above reads as a strong match and the rest of the proposals as possible ones.
 */
const STRONG_MATCH = 0.85;

export function matchWords(score: number): { label: string; detail: string } {
  return { label: score >= STRONG_MATCH ? 'Strong match' : 'Possible match', detail: `${Math.round(score * 100)}% alike` };
}

/** A track's time range: "0.0–2.0 s". */
export function timeRange(from: number, to: number): string {
  return `${from.toFixed(1)}–${to.toFixed(1)} s`;
}
