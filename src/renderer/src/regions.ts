import type { RegionKeyframe } from '../../shared/model';

export type Box = Omit<RegionKeyframe, 't'>;

const clamp = (value: number) => Math.min(1, Math.max(0, value));
const round = (value: number) => Math.round(value * 10_000) / 10_000;

/** A box from two corners in normalised 0..1 coordinates, kept inside the frame. */
export function boxFromCorners(ax: number, ay: number, bx: number, by: number): Box {
  const x = clamp(Math.min(ax, bx));
  const y = clamp(Math.min(ay, by));
  return { x: round(x), y: round(y), w: round(clamp(Math.max(ax, bx)) - x), h: round(clamp(Math.max(ay, by)) - y) };
}

/** Keeps a typed box inside the frame and non-empty, as the contract requires. */
export function normaliseBox(box: Box): Box {
  const x = clamp(box.x);
  const y = clamp(box.y);
  return { x: round(x), y: round(y), w: round(Math.max(0.001, Math.min(box.w, 1 - x))), h: round(Math.max(0.001, Math.min(box.h, 1 - y))) };
}

/** Where the track says the face is at time t: linear between keyframes, held before the first and after the last. */
export function boxAt(track: readonly RegionKeyframe[], t: number): Box | null {
  if (track.length === 0) return null;
  const sorted = [...track].sort((a, b) => a.t - b.t);
  const after = sorted.findIndex((k) => k.t >= t);
  if (after === 0) return sorted[0]!;
  if (after === -1) return sorted[sorted.length - 1]!;
  const a = sorted[after - 1]!;
  const b = sorted[after]!;
  const f = b.t === a.t ? 0 : (t - a.t) / (b.t - a.t);
  return { x: a.x + (b.x - a.x) * f, y: a.y + (b.y - a.y) * f, w: a.w + (b.w - a.w) * f, h: a.h + (b.h - a.h) * f };
}

export const percent = (value: number) => `${(value * 100).toFixed(2)}%`;
