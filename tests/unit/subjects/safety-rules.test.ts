import { describe, expect, it } from 'vitest';
import type { ClipStatus, ConsentState, Protection, SafetyReasonCode, SafetyStatus } from '../../../src/shared/model';
import { evaluateClip, mergeRanges, planFingerprint, planProtection, type RuleAppearance, type RuleClip, type RuleSubject } from '../../../src/main/core/subjects/safety-rules';

const box = { t: 0, x: 0.1, y: 0.1, w: 0.2, h: 0.3 };

function subject(id: string, consent: ConsentState | null, protection: Protection[] = []): RuleSubject {
  return { id, pseudonym: `P-${id}`, consent, protection };
}
function appear(subjectId: string, tracked = false, ranges: { from: number; to: number }[] = []): RuleAppearance {
  return { subjectId, ranges, regions: tracked ? [box] : [] };
}
function clip(status: ClipStatus = 'verified', reviewedNoPeople = false): RuleClip {
  return { id: 'c1', code: 'C0001', status, reviewedNoPeople };
}

interface Case {
  name: string;
  clip: RuleClip;
  subjects: RuleSubject[];
  appearances: RuleAppearance[];
  safety: SafetyStatus;
  codes: SafetyReasonCode[];
}

// One row per rule (and the combinations that matter): every rule's reason code is asserted exactly.
const cases: Case[] = [
  { name: 'nobody reviewed the clip', clip: clip(), subjects: [], appearances: [], safety: 'needs-review', codes: ['clip-unreviewed'] },
  { name: 'reviewed: no people', clip: clip('verified', true), subjects: [], appearances: [], safety: 'cleared', codes: [] },
  { name: 'quarantined, even if reviewed', clip: clip('quarantined', true), subjects: [], appearances: [], safety: 'needs-review', codes: ['clip-quarantined'] },
  { name: 'failed offload', clip: clip('failed', true), subjects: [], appearances: [], safety: 'needs-review', codes: ['clip-failed'] },
  { name: 'not verified yet', clip: clip('pending', true), subjects: [], appearances: [], safety: 'needs-review', codes: ['clip-not-verified'] },
  { name: 'consent given, no protection', clip: clip(), subjects: [subject('a', 'given')], appearances: [appear('a')], safety: 'cleared', codes: [] },
  { name: 'conditional consent, voice only', clip: clip(), subjects: [subject('a', 'conditional', ['voice'])], appearances: [appear('a')], safety: 'cleared', codes: [] },
  { name: 'consent never recorded (unreviewed subject)', clip: clip(), subjects: [subject('a', null)], appearances: [appear('a')], safety: 'needs-review', codes: ['consent-unrecorded'] },
  { name: 'consent pending', clip: clip(), subjects: [subject('a', 'pending')], appearances: [appear('a')], safety: 'needs-review', codes: ['consent-pending'] },
  { name: 'consent withdrawn', clip: clip(), subjects: [subject('a', 'withdrawn')], appearances: [appear('a')], safety: 'blocked', codes: ['consent-withdrawn'] },
  { name: 'excluded subject', clip: clip(), subjects: [subject('a', 'given', ['exclude'])], appearances: [appear('a', true)], safety: 'blocked', codes: ['subject-excluded'] },
  { name: 'face hidden, no region track', clip: clip(), subjects: [subject('a', 'given', ['face'])], appearances: [appear('a')], safety: 'needs-review', codes: ['face-uncovered'] },
  { name: 'face hidden, region track present', clip: clip(), subjects: [subject('a', 'given', ['face'])], appearances: [appear('a', true)], safety: 'cleared', codes: [] },
  {
    name: 'face hidden, one of two appearances untracked',
    clip: clip(),
    subjects: [subject('a', 'given', ['face'])],
    appearances: [appear('a', true, [{ from: 0, to: 5 }]), appear('a', false, [{ from: 9, to: 12 }])],
    safety: 'needs-review',
    codes: ['face-uncovered'],
  },
  {
    name: 'blocked wins over needs-review, all reasons kept',
    clip: clip('quarantined'),
    subjects: [subject('a', 'withdrawn'), subject('b', 'pending', ['face'])],
    appearances: [appear('a'), appear('b')],
    safety: 'blocked',
    codes: ['clip-quarantined', 'consent-withdrawn', 'consent-pending', 'face-uncovered'],
  },
  { name: 'face tracks found, nobody confirmed them', clip: { ...clip(), faces: { confirmed: false, unassigned: [[box]] } }, subjects: [], appearances: [], safety: 'needs-review', codes: ['faces-unconfirmed'] },
  {
    name: 'confirmed tracks, one proposed as a known subject: waits for a person',
    clip: { ...clip(), faces: { confirmed: true, unassigned: [[box]], proposed: 1 } },
    subjects: [],
    appearances: [],
    safety: 'needs-review',
    codes: ['appearance-proposed'],
  },
  { name: 'confirmed tracks, no proposal left: cleared with faces covered', clip: { ...clip(), faces: { confirmed: true, unassigned: [[box]], proposed: 0 } }, subjects: [], appearances: [], safety: 'cleared', codes: [] },
  { name: 'appearance of an unknown subject fails closed', clip: clip(), subjects: [], appearances: [appear('ghost')], safety: 'needs-review', codes: ['consent-unrecorded', 'face-uncovered'] },
  {
    name: 'no-people review is overridden by a recorded appearance',
    clip: clip('verified', true),
    subjects: [subject('a', 'pending')],
    appearances: [appear('a')],
    safety: 'needs-review',
    codes: ['consent-pending'],
  },
];

describe('safety rules', () => {
  it.each(cases)('$name → $safety', (c) => {
    const verdict = evaluateClip(c.clip, c.appearances, new Map(c.subjects.map((s) => [s.id, s])));
    expect(verdict.safety).toBe(c.safety);
    expect(verdict.reasons.map((r) => r.code)).toEqual(c.codes);
    for (const reason of verdict.reasons) {
      // The fix is data (what to do, to which clip or subject), never a sentence with a command line in it.
      expect(Object.keys(reason.fix).every((key) => ['action', 'clipId', 'subjectId'].includes(key))).toBe(true);
      expect(JSON.stringify(reason)).not.toMatch(/safehouse |--clip|--subject/);
      if (reason.subjectId) expect(reason.fix.subjectId).toBe(reason.subjectId);
      if (['clip-unreviewed', 'face-uncovered', 'clip-quarantined'].includes(reason.code)) expect(reason.fix.clipId).toBe(c.clip.id);
      expect(reason.message.length).toBeGreaterThan(10);
    }
  });

  it('every reason code is covered by the table', () => {
    const all: SafetyReasonCode[] = ['consent-withdrawn', 'subject-excluded', 'consent-pending', 'consent-unrecorded', 'face-uncovered', 'clip-quarantined', 'clip-failed', 'clip-not-verified', 'clip-unreviewed', 'faces-unconfirmed', 'appearance-proposed'];
    expect(new Set(cases.flatMap((c) => c.codes))).toEqual(new Set(all));
  });

  it('subject reasons name the subject, clip reasons name none', () => {
    const verdict = evaluateClip(clip('failed'), [appear('a')], new Map([['a', subject('a', 'pending')]]));
    expect(verdict.reasons.map((r) => [r.code, r.subjectId])).toEqual([['clip-failed', null], ['consent-pending', 'a']]);
  });
});

interface PlanCase {
  name: string;
  clip: RuleClip;
  subjects: RuleSubject[];
  appearances: RuleAppearance[];
  mode: 'full' | 'regions' | 'none';
  excluded?: boolean;
  voice: null | 'mute-all' | 'pitch-all' | { from: number; to: number }[];
  tracks?: number;
}

const planCases: PlanCase[] = [
  { name: 'nobody reviewed', clip: clip(), subjects: [], appearances: [], mode: 'full', voice: 'mute-all' },
  { name: 'no people', clip: clip('verified', true), subjects: [], appearances: [], mode: 'none', voice: null },
  { name: 'quarantined clip', clip: clip('quarantined', true), subjects: [], appearances: [], mode: 'full', voice: 'mute-all' },
  { name: 'pending subject', clip: clip(), subjects: [subject('a', 'pending')], appearances: [appear('a', true)], mode: 'full', voice: 'mute-all' },
  { name: 'unrecorded subject', clip: clip(), subjects: [subject('a', null)], appearances: [appear('a', true)], mode: 'full', voice: 'mute-all' },
  { name: 'withdrawn', clip: clip(), subjects: [subject('a', 'withdrawn')], appearances: [appear('a', true)], mode: 'full', excluded: true, voice: 'mute-all' },
  { name: 'excluded', clip: clip(), subjects: [subject('a', 'given', ['exclude'])], appearances: [appear('a', true)], mode: 'full', excluded: true, voice: 'mute-all' },
  { name: 'given, no protection', clip: clip(), subjects: [subject('a', 'given')], appearances: [appear('a')], mode: 'none', voice: null },
  { name: 'face hidden with track', clip: clip(), subjects: [subject('a', 'given', ['face'])], appearances: [appear('a', true)], mode: 'regions', voice: null, tracks: 1 },
  { name: 'face hidden without track', clip: clip(), subjects: [subject('a', 'given', ['face'])], appearances: [appear('a')], mode: 'full', voice: null },
  { name: 'conditional without face protection still needs cover', clip: clip(), subjects: [subject('a', 'conditional')], appearances: [appear('a')], mode: 'full', voice: null },
  { name: 'conditional with track', clip: clip(), subjects: [subject('a', 'conditional')], appearances: [appear('a', true)], mode: 'regions', voice: null, tracks: 1 },
  {
    name: 'voice over ranges, merged',
    clip: clip(),
    subjects: [subject('a', 'given', ['voice'])],
    appearances: [appear('a', false, [{ from: 4, to: 8 }]), appear('a', false, [{ from: 0, to: 5 }])],
    mode: 'none',
    voice: [{ from: 0, to: 8 }],
  },
  { name: 'voice over the whole clip', clip: clip(), subjects: [subject('a', 'given', ['voice', 'face'])], appearances: [appear('a', true)], mode: 'regions', voice: 'pitch-all', tracks: 1 },
  {
    name: 'two covered subjects, one track each; consenting one shown',
    clip: clip(),
    subjects: [subject('a', 'given', ['face']), subject('b', 'conditional'), subject('c', 'given')],
    appearances: [appear('a', true), appear('b', true), appear('c')],
    mode: 'regions',
    voice: null,
    tracks: 2,
  },
];

describe('protection plan', () => {
  it.each(planCases)('$name → $mode', (c) => {
    const plan = planProtection(c.clip, c.appearances, new Map(c.subjects.map((s) => [s.id, s])));
    expect(plan.mode).toBe(c.mode);
    expect(plan.excluded).toBe(c.excluded ?? false);
    const voice = plan.voice === null ? null : plan.voice.ranges === 'all' ? `${plan.voice.method}-all` : plan.voice.ranges;
    expect(voice).toEqual(c.voice);
    expect(plan.regions.length).toBe(c.tracks ?? 0);
  });

  it('fingerprint is stable across appearance order and changes with the plan', () => {
    const subjects = new Map([['a', subject('a', 'given', ['face'])], ['b', subject('b', 'given', ['face'])]]);
    const one = planProtection(clip(), [appear('a', true), appear('b', true)], subjects);
    const two = planProtection(clip(), [appear('b', true), appear('a', true)], subjects);
    expect(planFingerprint(one)).toBe(planFingerprint(two));
    const three = planProtection(clip(), [appear('a', true), appear('b', false)], subjects);
    expect(planFingerprint(three)).not.toBe(planFingerprint(one));
  });

  it('merges overlapping ranges', () => {
    expect(mergeRanges([{ from: 5, to: 6 }, { from: 0, to: 2 }, { from: 1, to: 3 }])).toEqual([{ from: 0, to: 3 }, { from: 5, to: 6 }]);
  });
});
