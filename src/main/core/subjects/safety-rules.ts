import { createHash } from 'node:crypto';
import type {
  ClipStatus, ConsentState, Protection, RegionKeyframe, SafetyFix, SafetyReason, SafetyReasonCode, SafetyStatus, TimeRange,
} from '../../../shared/model';

/**
 * The one place a clip's safety status and its proxy's protection plan are decided. Pure functions over
 * plain data (loaded by safety-data.ts), so every rule is covered by a table-driven test.
 *
 * Fail closed: a clip is cleared only when a person has reviewed who appears in it, every one of them has
 * a recorded consent that is not pending, and every face that must be hidden is covered by a region track.
 */

export interface RuleClip {
  id: string;
  code: string;
  status: ClipStatus;
  /** A person looked and recorded that nobody identifiable appears. */
  reviewedNoPeople: boolean;
  /** Automatic face tracks; null or absent when the clip was never analysed. */
  faces?: RuleFaces | null;
}

/**
 * What face analysis found in a clip. Tracks assigned to a subject are that subject's appearances (with
 * the track as its region) and follow the subject's rules; the rest are unknown people.
 */
export interface RuleFaces {
  /** A person confirmed the tracks since the last analysis, and every track is confirmed. */
  confirmed: boolean;
  /** Tracks no subject is assigned to: unknown people, always covered. */
  unassigned: readonly (readonly RegionKeyframe[])[];
  /** Tracks proposed as a known subject, waiting for a person to accept or reject (who appears where). */
  proposed?: number;
}

export interface RuleSubject {
  id: string;
  pseudonym: string;
  /** Latest consent state; null when none was ever recorded (unreviewed). */
  consent: ConsentState | null;
  protection: readonly Protection[];
}

export interface RuleAppearance {
  subjectId: string;
  ranges: readonly TimeRange[];
  regions: readonly RegionKeyframe[];
}

export interface ClipVerdict {
  safety: SafetyStatus;
  reasons: SafetyReason[];
}

type Reason = Omit<SafetyReason, 'subjectId'>;

/** Rules about the clip itself, in the order they are reported. */
const clipRules: { applies: (clip: RuleClip, appearances: readonly RuleAppearance[]) => boolean; reason: (clip: RuleClip) => Reason }[] = [
  {
    applies: (clip) => clip.status === 'quarantined',
    reason: (clip) => reason('clip-quarantined', 'needs-review', `${clip.code} is quarantined: it could not be proven free of location or identity metadata.`,
      { action: 'inspect-quarantined', clipId: clip.id }),
  },
  {
    applies: (clip) => clip.status === 'failed',
    reason: (clip) => reason('clip-failed', 'needs-review', `${clip.code} failed to offload or verify.`,
      { action: 'offload-again', clipId: clip.id }),
  },
  {
    applies: (clip) => clip.status === 'pending',
    reason: (clip) => reason('clip-not-verified', 'needs-review', `${clip.code} has not been verified in the vault yet.`,
      { action: 'finish-offload', clipId: clip.id }),
  },
  {
    applies: (clip) => clip.faces != null && !clip.faces.confirmed,
    reason: (clip) => reason('faces-unconfirmed', 'needs-review', `Nobody has confirmed the face tracks found in ${clip.code}.`,
      { action: 'confirm-face-tracks', clipId: clip.id }),
  },
  {
    // Nothing becomes an appearance without a person: a face proposed as a known subject holds the clip.
    applies: (clip) => (clip.faces?.proposed ?? 0) > 0,
    reason: (clip) => reason('appearance-proposed', 'needs-review', `A face in ${clip.code} may be a known subject: ${clip.faces?.proposed ?? 0} proposal(s) wait for a person.`,
      { action: 'decide-proposals', clipId: clip.id }),
  },
  {
    // Confirmed face tracks count as a person having reviewed who appears, like a "no people" review.
    applies: (clip, appearances) => appearances.length === 0 && !clip.reviewedNoPeople && clip.faces == null,
    reason: (clip) => reason('clip-unreviewed', 'needs-review', `Nobody has recorded who appears in ${clip.code}.`,
      { action: 'record-who-appears', clipId: clip.id }),
  },
];

/** Rules about each subject appearing in the clip. */
const subjectRules: { applies: (subject: RuleSubject, own: readonly RuleAppearance[]) => boolean; reason: (subject: RuleSubject, clip: RuleClip) => Reason }[] = [
  {
    applies: (subject) => subject.consent === 'withdrawn',
    reason: (s, clip) => reason('consent-withdrawn', 'blocked', `“${s.pseudonym}” withdrew consent; ${clip.code} must not be used.`,
      { action: 'recall-exports', subjectId: s.id, clipId: clip.id }),
  },
  {
    applies: (subject) => subject.protection.includes('exclude'),
    reason: (s, clip) => reason('subject-excluded', 'blocked', `“${s.pseudonym}” must not be shown at all, and appears in ${clip.code}.`,
      { action: 'leave-out-or-remove-appearance', subjectId: s.id, clipId: clip.id }),
  },
  {
    applies: (subject) => subject.consent === null,
    reason: (s) => reason('consent-unrecorded', 'needs-review', `No consent is recorded for “${s.pseudonym}”.`,
      { action: 'record-consent', subjectId: s.id }),
  },
  {
    applies: (subject) => subject.consent === 'pending',
    reason: (s) => reason('consent-pending', 'needs-review', `Consent from “${s.pseudonym}” is still pending.`,
      { action: 'record-consent', subjectId: s.id }),
  },
  {
    applies: (subject, own) => subject.protection.includes('face') && own.some((a) => a.regions.length === 0),
    reason: (s, clip) => reason('face-uncovered', 'needs-review', `The face of “${s.pseudonym}” must be hidden, but no region track covers them in ${clip.code}.`,
      { action: 'draw-face-regions', subjectId: s.id, clipId: clip.id }),
  },
];

function reason(code: SafetyReasonCode, status: Reason['status'], message: string, fix: SafetyFix): Reason {
  return { code, status, message, fix };
}

function unknownSubject(id: string): RuleSubject {
  // An appearance pointing at a subject we cannot load is treated as the least safe known subject.
  return { id, pseudonym: id, consent: null, protection: ['face', 'voice', 'name', 'location'] };
}

function bySubject(appearances: readonly RuleAppearance[]): Map<string, RuleAppearance[]> {
  const grouped = new Map<string, RuleAppearance[]>();
  for (const a of appearances) grouped.set(a.subjectId, [...(grouped.get(a.subjectId) ?? []), a]);
  return grouped;
}

export function evaluateClip(clip: RuleClip, appearances: readonly RuleAppearance[], subjects: ReadonlyMap<string, RuleSubject>): ClipVerdict {
  const reasons: SafetyReason[] = clipRules.filter((r) => r.applies(clip, appearances)).map((r) => ({ ...r.reason(clip), subjectId: null }));
  for (const [subjectId, own] of bySubject(appearances)) {
    const subject = subjects.get(subjectId) ?? unknownSubject(subjectId);
    for (const rule of subjectRules) {
      if (rule.applies(subject, own)) reasons.push({ ...rule.reason(subject, clip), subjectId });
    }
  }
  const safety: SafetyStatus = reasons.some((r) => r.status === 'blocked') ? 'blocked' : reasons.length > 0 ? 'needs-review' : 'cleared';
  return { safety, reasons };
}

export interface PlanBody {
  mode: 'full' | 'regions' | 'none';
  /** Regions drawn by hand, held over the whole clip (before the first and after the last keyframe). */
  regions: RegionKeyframe[][];
  /**
   * Face tracks of unknown people: drawn only from their first to their last keyframe, because the tracker
   * already added the lead before first sight and the hold after loss.
   */
  faces?: RegionKeyframe[][];
  voice: null | { method: 'pitch' | 'mute'; ranges: TimeRange[] | 'all' };
  excluded: boolean;
}

const MUTE_ALL: PlanBody['voice'] = { method: 'mute', ranges: 'all' };

/**
 * What a proxy of the clip must hide. Unknowns (unverified clip, nobody reviewed, consent unrecorded or
 * pending) hide the whole frame and mute the sound: an unknown voice can identify as well as a face. A face
 * is shown only for subjects whose consent is plainly 'given' and who did not ask for it hidden; everyone
 * else needs a region track, or the whole frame is hidden.
 */
export function planProtection(clip: RuleClip, appearances: readonly RuleAppearance[], subjects: ReadonlyMap<string, RuleSubject>): PlanBody {
  const grouped = bySubject(appearances);
  const present = [...grouped.keys()].sort().map((id) => subjects.get(id) ?? unknownSubject(id));
  if (present.some((s) => s.consent === 'withdrawn' || s.protection.includes('exclude'))) {
    return { mode: 'full', regions: [], voice: MUTE_ALL, excluded: true };
  }
  const faces = clip.faces ?? null;
  // Analysed but nothing found and nobody has looked: the detector may have missed everyone.
  const unseen = faces !== null && !faces.confirmed && faces.unassigned.length === 0 && appearances.length === 0 && !clip.reviewedNoPeople;
  const unknown =
    clip.status !== 'verified' ||
    (appearances.length === 0 && !clip.reviewedNoPeople && faces === null) ||
    unseen ||
    present.some((s) => s.consent === null || s.consent === 'pending');
  if (unknown) return { mode: 'full', regions: [], voice: MUTE_ALL, excluded: false };

  const voiced = present.filter((s) => s.protection.includes('voice'));
  const voiceRanges = voiced.flatMap((s) => grouped.get(s.id) ?? []);
  // Until a person confirmed the tracks, who is speaking is unknown: the sound stays muted.
  const voice: PlanBody['voice'] =
    faces !== null && !faces.confirmed
      ? MUTE_ALL
      : voiced.length === 0
        ? null
        : { method: 'pitch', ranges: voiceRanges.some((a) => a.ranges.length === 0) ? 'all' : mergeRanges(voiceRanges.flatMap((a) => [...a.ranges])) };

  const covered = present.filter((s) => s.protection.includes('face') || s.consent !== 'given');
  const unknownFaces = (faces?.unassigned ?? []).filter((track) => track.length > 0).map((track) => [...track].sort((a, b) => a.t - b.t));
  if (covered.length === 0 && unknownFaces.length === 0) return { mode: 'none', regions: [], voice, excluded: false };
  const allTracked = covered.every((s) => (grouped.get(s.id) ?? []).every((a) => a.regions.length > 0));
  if (!allTracked) return { mode: 'full', regions: [], voice, excluded: false };
  const regions = covered.map((s) => (grouped.get(s.id) ?? []).flatMap((a) => [...a.regions]).sort((a, b) => a.t - b.t));
  return { mode: 'regions', regions, ...(unknownFaces.length > 0 ? { faces: unknownFaces } : {}), voice, excluded: false };
}

/** Sorted, overlapping ranges joined: the same set of seconds however the appearances were recorded. */
export function mergeRanges(ranges: readonly TimeRange[]): TimeRange[] {
  const sorted = [...ranges].sort((a, b) => a.from - b.from || a.to - b.to);
  const merged: TimeRange[] = [];
  for (const r of sorted) {
    const last = merged[merged.length - 1];
    if (last && r.from <= last.to) last.to = Math.max(last.to, r.to);
    else merged.push({ from: r.from, to: r.to });
  }
  return merged;
}

/** Stable over key order and object identity: the proxy is rebuilt only when this changes. */
export function planFingerprint(plan: PlanBody): string {
  const canonical = JSON.stringify({
    v: 1,
    mode: plan.mode,
    excluded: plan.excluded,
    voice: plan.voice,
    regions: plan.regions.map((track) => track.map((k) => [k.t, k.x, k.y, k.w, k.h])),
    // Only present when there are face tracks, so proxies built before face analysis keep their fingerprint.
    ...(plan.faces && plan.faces.length > 0 ? { faces: plan.faces.map((track) => track.map((k) => [k.t, k.x, k.y, k.w, k.h])) } : {}),
  });
  return createHash('sha256').update(canonical).digest('hex');
}
