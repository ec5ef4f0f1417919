import { describe, expect, it } from 'vitest';
import type { ConsentState, Protection, RegionKeyframe, SafetyReasonCode, SafetyStatus } from '../../../src/shared/model';
import {
  evaluateClip, planFingerprint, planProtection, type RuleAppearance, type RuleClip, type RuleFaces, type RuleSubject,
} from '../../../src/main/core/subjects/safety-rules';

/** The face-track policy in the safety rules, one row per situation the issue names. */

const track = (x: number): RegionKeyframe[] => [{ t: 1, x, y: 0.1, w: 0.2, h: 0.3 }, { t: 3, x: x + 0.1, y: 0.1, w: 0.2, h: 0.3 }];
const subject = (id: string, consent: ConsentState | null, protection: Protection[] = []): RuleSubject => ({ id, pseudonym: `P-${id}`, consent, protection });
/** An assigned track: the subject's appearance with the track as its region. */
const assigned = (subjectId: string, x = 0.5): RuleAppearance => ({ subjectId, ranges: [{ from: 1, to: 3 }], regions: track(x) });
const clip = (faces: RuleFaces | null, reviewedNoPeople = false): RuleClip => ({ id: 'c1', code: 'C0001', status: 'verified', reviewedNoPeople, faces });

interface Case {
  name: string;
  clip: RuleClip;
  subjects: RuleSubject[];
  appearances: RuleAppearance[];
  safety: SafetyStatus;
  codes: SafetyReasonCode[];
  mode: 'full' | 'regions' | 'none';
  /** Manual (subject) regions, and unknown-face tracks, in the plan. */
  regions: number;
  faces: number;
  voice: 'mute-all' | null;
}

const cases: Case[] = [
  { name: 'never analysed: full mosaic, unreviewed', clip: clip(null), subjects: [], appearances: [], safety: 'needs-review', codes: ['clip-unreviewed'], mode: 'full', regions: 0, faces: 0, voice: 'mute-all' },
  {
    name: 'analysed, tracks not confirmed: faces covered, sound muted, needs review',
    clip: clip({ confirmed: false, unassigned: [track(0.1), track(0.6)] }), subjects: [], appearances: [],
    safety: 'needs-review', codes: ['faces-unconfirmed'], mode: 'regions', regions: 0, faces: 2, voice: 'mute-all',
  },
  {
    name: 'analysed, nothing found, nobody looked: full mosaic (the detector may have missed everyone)',
    clip: clip({ confirmed: false, unassigned: [] }), subjects: [], appearances: [],
    safety: 'needs-review', codes: ['faces-unconfirmed'], mode: 'full', regions: 0, faces: 0, voice: 'mute-all',
  },
  {
    name: 'confirmed, nothing found: counts as reviewed, nothing hidden',
    clip: clip({ confirmed: true, unassigned: [] }), subjects: [], appearances: [],
    safety: 'cleared', codes: [], mode: 'none', regions: 0, faces: 0, voice: null,
  },
  {
    name: 'confirmed unknown people: cleared for export with their faces covered',
    clip: clip({ confirmed: true, unassigned: [track(0.1), track(0.6)] }), subjects: [], appearances: [],
    safety: 'cleared', codes: [], mode: 'regions', regions: 0, faces: 2, voice: null,
  },
  {
    name: 'track assigned to a subject who consents to be seen: their face is shown, the unknown one covered',
    clip: clip({ confirmed: true, unassigned: [track(0.1)] }), subjects: [subject('a', 'given')], appearances: [assigned('a')],
    safety: 'cleared', codes: [], mode: 'regions', regions: 0, faces: 1, voice: null,
  },
  {
    name: 'only a consenting subject: nothing hidden',
    clip: clip({ confirmed: true, unassigned: [] }), subjects: [subject('a', 'given')], appearances: [assigned('a')],
    safety: 'cleared', codes: [], mode: 'none', regions: 0, faces: 0, voice: null,
  },
  {
    name: 'assigned to a subject who asked for their face hidden: their track covers them',
    clip: clip({ confirmed: true, unassigned: [] }), subjects: [subject('a', 'given', ['face'])], appearances: [assigned('a')],
    safety: 'cleared', codes: [], mode: 'regions', regions: 1, faces: 0, voice: null,
  },
  {
    name: 'assigned to a subject with conditional consent: covered',
    clip: clip({ confirmed: true, unassigned: [track(0.1)] }), subjects: [subject('a', 'conditional')], appearances: [assigned('a')],
    safety: 'cleared', codes: [], mode: 'regions', regions: 1, faces: 1, voice: null,
  },
  {
    name: 'assigned to a subject whose consent is pending: full mosaic until it is recorded',
    clip: clip({ confirmed: true, unassigned: [] }), subjects: [subject('a', 'pending')], appearances: [assigned('a')],
    safety: 'needs-review', codes: ['consent-pending'], mode: 'full', regions: 0, faces: 0, voice: 'mute-all',
  },
  {
    name: 'assigned to a subject who withdrew: blocked, no proxy',
    clip: clip({ confirmed: true, unassigned: [] }), subjects: [subject('a', 'withdrawn')], appearances: [assigned('a')],
    safety: 'blocked', codes: ['consent-withdrawn'], mode: 'full', regions: 0, faces: 0, voice: 'mute-all',
  },
  {
    name: 'a typed appearance without a region for a face-hidden subject still needs a track',
    clip: clip({ confirmed: true, unassigned: [track(0.1)] }), subjects: [subject('a', 'given', ['face'])], appearances: [{ subjectId: 'a', ranges: [], regions: [] }],
    safety: 'needs-review', codes: ['face-uncovered'], mode: 'full', regions: 0, faces: 0, voice: null,
  },
  {
    name: 'a "no people" review does not hide unconfirmed tracks',
    clip: clip({ confirmed: false, unassigned: [track(0.1)] }, true), subjects: [], appearances: [],
    safety: 'needs-review', codes: ['faces-unconfirmed'], mode: 'regions', regions: 0, faces: 1, voice: 'mute-all',
  },
];

describe('face tracks in the safety rules', () => {
  it.each(cases)('$name', (c) => {
    const subjects = new Map(c.subjects.map((s) => [s.id, s]));
    const verdict = evaluateClip(c.clip, c.appearances, subjects);
    expect(verdict.safety).toBe(c.safety);
    expect(verdict.reasons.map((r) => r.code)).toEqual(c.codes);
    const plan = planProtection(c.clip, c.appearances, subjects);
    expect(plan.mode).toBe(c.mode);
    expect(plan.regions.length).toBe(c.regions);
    expect(plan.faces?.length ?? 0).toBe(c.faces);
    expect(plan.voice === null ? null : plan.voice.ranges === 'all' ? `${plan.voice.method}-all` : 'ranges').toBe(c.voice);
  });

  it('a changed track changes the plan fingerprint (the proxy is rebuilt); the same tracks do not', () => {
    const one = planProtection(clip({ confirmed: true, unassigned: [track(0.1)] }), [], new Map());
    const same = planProtection(clip({ confirmed: true, unassigned: [track(0.1)] }), [], new Map());
    const moved = planProtection(clip({ confirmed: true, unassigned: [track(0.15)] }), [], new Map());
    const added = planProtection(clip({ confirmed: true, unassigned: [track(0.1), track(0.5)] }), [], new Map());
    expect(planFingerprint(same)).toBe(planFingerprint(one));
    expect(planFingerprint(moved)).not.toBe(planFingerprint(one));
    expect(planFingerprint(added)).not.toBe(planFingerprint(one));
  });

  it('a plan without face tracks keeps the fingerprint it had before face analysis existed', () => {
    const plan = planProtection(clip(null, true), [], new Map());
    // Recomputed with the v1 canonical form: proxies built before this change are not rebuilt for nothing.
    expect(planFingerprint({ ...plan, faces: [] })).toBe(planFingerprint(plan));
  });
});
