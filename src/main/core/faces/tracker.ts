import type { RegionKeyframe } from '../../../shared/model';
import { iou, type Detection } from './blazeface';

/**
 * Pure: turns detections on sampled frames into one region track per face.
 *
 * - Association by overlap with each track's predicted box (constant velocity), greedy by best overlap.
 * - ByteTrack's idea: confident detections are matched first; the weak ones left over are then matched
 *   only to tracks that are still unmatched, so a face that turns away or blurs keeps its track, while a
 *   weak detection alone never starts one unless it is seen again.
 * - A track survives `maxGap` seconds without a detection (occlusion), and ends at a scene cut.
 * - Output keyframes are the observed boxes expanded (forehead, hair, ears), starting `lead` seconds before
 *   the face was first seen and holding `hold` seconds after it was last seen. Between samples the proxy
 *   interpolates linearly.
 *
 * Thresholds lean to recall: a missed face can cost a life, a false box costs a little picture.
 */

export interface Sample {
  /** Seconds from the start of the clip. */
  t: number;
  detections: readonly Detection[];
  /** This sample is the first of a new shot. */
  cut: boolean;
}

export interface TrackerOptions {
  /** Detections at least this confident are matched first and may start a track. */
  highScore: number;
  /** Weaker detections (down to the detector's floor) only extend existing tracks. */
  lowScore: number;
  /** Overlap needed to match a confident detection to a track's predicted box. */
  matchIou: number;
  /** Overlap needed in the second pass, stricter because weak detections are less certain. */
  lowMatchIou: number;
  /** A weak detection starts a track after being seen this many samples in a row. */
  confirmWeakAfter: number;
  /** Seconds a track lives on without detections before it is ended. */
  maxGap: number;
  /** Box growth around its centre (≥ 1.3): width × expand, height × expand × 1.15 (forehead and hair). */
  expand: number;
  /** Seconds covered before first sight (≥ 0.25) and after last sight (≥ 0.5). */
  lead: number;
  hold: number;
}

export const DEFAULT_TRACKER: TrackerOptions = {
  highScore: 0.55,
  lowScore: 0.2,
  matchIou: 0.15,
  lowMatchIou: 0.25,
  confirmWeakAfter: 2,
  maxGap: 1.0,
  expand: 1.6,
  lead: 0.3,
  hold: 0.6,
};

export interface FaceTrackOut {
  keyframes: RegionKeyframe[];
  /** Highest detection score: for the review list. */
  score: number;
}

interface Box { x: number; y: number; w: number; h: number }

interface Live {
  observations: { t: number; box: Box; score: number }[];
  /** Consecutive weak-only sightings while not yet started (tentative tracks). */
  confirmed: boolean;
  lastSeen: number;
}

function predict(track: Live, t: number): Box {
  const obs = track.observations;
  const last = obs[obs.length - 1]!;
  const before = obs[obs.length - 2];
  if (!before || last.t === before.t) return last.box;
  // Constant velocity, damped: a face that stops must still overlap its prediction.
  const f = Math.min(2, (t - last.t) / (last.t - before.t)) * 0.7;
  return {
    x: last.box.x + (last.box.x - before.box.x) * f,
    y: last.box.y + (last.box.y - before.box.y) * f,
    w: last.box.w + (last.box.w - before.box.w) * f,
    h: last.box.h + (last.box.h - before.box.h) * f,
  };
}

/** Greedy matching by overlap, best pairs first. Returns detection index per matched track index. */
function match(tracks: readonly Live[], boxes: readonly Box[], dets: readonly Detection[], threshold: number): Map<number, number> {
  const pairs: { ti: number; di: number; overlap: number }[] = [];
  tracks.forEach((_, ti) => dets.forEach((d, di) => {
    const overlap = iou(boxes[ti]!, d);
    if (overlap >= threshold) pairs.push({ ti, di, overlap });
  }));
  pairs.sort((a, b) => b.overlap - a.overlap);
  const byTrack = new Map<number, number>();
  const usedDets = new Set<number>();
  for (const p of pairs) {
    if (byTrack.has(p.ti) || usedDets.has(p.di)) continue;
    byTrack.set(p.ti, p.di);
    usedDets.add(p.di);
  }
  return byTrack;
}

function expandBox(box: Box, expand: number): Box {
  const w = box.w * expand;
  const h = box.h * expand * 1.15;
  const cx = box.x + box.w / 2;
  // Centre moved up a little: the detector's box starts at the brows, hair and forehead are above it.
  const cy = box.y + box.h / 2 - box.h * 0.1;
  const x0 = Math.max(0, cx - w / 2);
  const y0 = Math.max(0, cy - h / 2);
  const x1 = Math.min(1, cx + w / 2);
  const y1 = Math.min(1, cy + h / 2);
  return { x: x0, y: y0, w: Math.max(1e-4, x1 - x0), h: Math.max(1e-4, y1 - y0) };
}

const round = (v: number) => Math.round(v * 10_000) / 10_000;

function toKeyframes(track: Live, options: TrackerOptions, end: { limit: number; duration: number }): RegionKeyframe[] {
  const keyframe = (t: number, box: Box): RegionKeyframe => {
    const e = expandBox(box, options.expand);
    return { t: round(t), x: round(e.x), y: round(e.y), w: round(e.w), h: round(e.h) };
  };
  const obs = track.observations;
  const first = obs[0]!;
  const last = obs[obs.length - 1]!;
  const frames = obs.map((o) => keyframe(o.t, o.box));
  const start = Math.max(0, first.t - options.lead);
  const stop = Math.min(end.duration, end.limit, last.t + options.hold);
  if (start < first.t) frames.unshift({ ...frames[0]!, t: round(start) });
  if (stop > last.t) frames.push({ ...frames[frames.length - 1]!, t: round(stop) });
  if (frames.length === 1) frames.push({ ...frames[0]!, t: round(frames[0]!.t + 0.04) });
  return frames;
}

/** Tracks from samples in time order; `duration` bounds the hold at the clip's end. */
export function trackFaces(samples: readonly Sample[], duration: number, options: TrackerOptions = DEFAULT_TRACKER): FaceTrackOut[] {
  const done: { track: Live; limit: number }[] = [];
  let live: Live[] = [];
  const finish = (track: Live, limit: number) => {
    if (track.confirmed) done.push({ track, limit });
  };
  for (const sample of [...samples].sort((a, b) => a.t - b.t)) {
    if (sample.cut) {
      // A new shot: nothing carries over; faces of the old shot are held at most until the cut.
      for (const track of live) finish(track, sample.t);
      live = [];
    }
    for (const track of live.filter((tr) => sample.t - tr.lastSeen > options.maxGap)) finish(track, Number.POSITIVE_INFINITY);
    live = live.filter((tr) => sample.t - tr.lastSeen <= options.maxGap);

    const usable = sample.detections.filter((d) => d.score >= options.lowScore);
    const high = usable.filter((d) => d.score >= options.highScore);
    const low = usable.filter((d) => d.score < options.highScore);
    const predicted = live.map((tr) => predict(tr, sample.t));
    const observe = (track: Live, d: Detection) => {
      track.observations.push({ t: sample.t, box: { x: d.x, y: d.y, w: d.w, h: d.h }, score: d.score });
      track.lastSeen = sample.t;
      if (d.score >= options.highScore || track.observations.length >= options.confirmWeakAfter) track.confirmed = true;
    };

    // First pass: confident detections against every live track.
    const first = match(live, predicted, high, options.matchIou);
    for (const [ti, di] of first) observe(live[ti]!, high[di]!);
    // Second pass: weak detections against tracks the first pass left unmatched.
    const unmatched = live.map((_, i) => i).filter((i) => !first.has(i));
    const second = match(unmatched.map((i) => live[i]!), unmatched.map((i) => predicted[i]!), low, options.lowMatchIou);
    const usedLow = new Set<number>();
    for (const [ui, di] of second) {
      observe(live[unmatched[ui]!]!, low[di]!);
      usedLow.add(di);
    }
    // Unmatched detections start tracks; weak ones start tentative tracks confirmed by a second sighting.
    const usedHigh = new Set(first.values());
    for (const [di, d] of high.entries()) if (!usedHigh.has(di)) live.push(newTrack(sample.t, d, true));
    for (const [di, d] of low.entries()) if (!usedLow.has(di)) live.push(newTrack(sample.t, d, false));
  }
  for (const track of live) finish(track, Number.POSITIVE_INFINITY);
  return done
    .map(({ track, limit }) => ({
      keyframes: toKeyframes(track, options, { limit, duration }),
      score: Math.max(...track.observations.map((o) => o.score)),
    }))
    .sort((a, b) => a.keyframes[0]!.t - b.keyframes[0]!.t || a.keyframes[0]!.x - b.keyframes[0]!.x);
}

function newTrack(t: number, d: Detection, confident: boolean): Live {
  return { observations: [{ t, box: { x: d.x, y: d.y, w: d.w, h: d.h }, score: d.score }], confirmed: confident, lastSeen: t };
}
