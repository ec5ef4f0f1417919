import type { RegionKeyframe } from '../../../shared/model';
import type { Detection } from './blazeface';
import { normalise } from './identity-match';

/**
 * Gives each face track one descriptor: the mean of the descriptors of the sightings that fall inside it.
 * Pure, so the rule for which sighting belongs to which track is tested on its own.
 *
 * A sighting belongs to the track whose box at that moment contains the sighting's centre; when two tracks'
 * boxes do (faces close together), the one whose centre is nearest. A sighting inside no track (the tracker
 * dropped it as a one-frame blip) describes nobody and is dropped.
 */

export interface DescribedSighting {
  t: number;
  box: Detection;
  descriptor: Float32Array;
}

/** The track's box at time t, linearly between keyframes; null outside the track's time span. */
export function boxAt(keyframes: readonly RegionKeyframe[], t: number): RegionKeyframe | null {
  const first = keyframes[0];
  const last = keyframes[keyframes.length - 1];
  if (!first || !last || t < first.t || t > last.t) return null;
  for (let i = 1; i < keyframes.length; i++) {
    const b = keyframes[i]!;
    if (t > b.t) continue;
    const a = keyframes[i - 1]!;
    const f = b.t === a.t ? 0 : (t - a.t) / (b.t - a.t);
    const mix = (p: number, q: number) => p + (q - p) * f;
    return { t, x: mix(a.x, b.x), y: mix(a.y, b.y), w: mix(a.w, b.w), h: mix(a.h, b.h) };
  }
  return first.t === t ? first : null;
}

export function descriptorsForTracks(tracks: readonly { keyframes: readonly RegionKeyframe[] }[], sightings: readonly DescribedSighting[]): (Float32Array | null)[] {
  const sums: (Float32Array | null)[] = tracks.map(() => null);
  for (const sighting of sightings) {
    const cx = sighting.box.x + sighting.box.w / 2;
    const cy = sighting.box.y + sighting.box.h / 2;
    let best = -1;
    let bestDistance = Infinity;
    tracks.forEach((track, index) => {
      const box = boxAt(track.keyframes, sighting.t);
      if (!box || cx < box.x || cx > box.x + box.w || cy < box.y || cy > box.y + box.h) return;
      const distance = Math.hypot(box.x + box.w / 2 - cx, box.y + box.h / 2 - cy);
      if (distance < bestDistance) {
        bestDistance = distance;
        best = index;
      }
    });
    if (best < 0) continue;
    const unit = normalise(sighting.descriptor);
    const sum = sums[best] ?? new Float32Array(unit.length);
    if (sum.length !== unit.length) continue;
    for (let i = 0; i < unit.length; i++) sum[i]! += unit[i]!;
    sums[best] = sum;
  }
  return sums.map((sum) => (sum ? normalise(sum) : null));
}
