import { describe, expect, it } from 'vitest';
import type { ClipSafetyReport, SafetyReason, SafetyReport } from '../../../src/shared/model';
import { groupProblems } from '../../../src/renderer/src/safety-groups';

const reason = (code: SafetyReason['code'], subjectId: string | null, status: SafetyReason['status'] = 'needs-review'): SafetyReason => ({
  code,
  status,
  subjectId,
  message: code,
  fix: { action: 'record-consent', ...(subjectId ? { subjectId } : {}) },
});
const clip = (code: string, cardId: string, reasons: SafetyReason[]): ClipSafetyReport => ({
  clipId: `id-${code}`,
  code,
  cardId,
  status: 'verified',
  safety: reasons.some((r) => r.status === 'blocked') ? 'blocked' : reasons.length ? 'needs-review' : 'cleared',
  subjectIds: [],
  reasons,
});
const report: SafetyReport = {
  generatedAt: '',
  counts: { cleared: 1, needsReview: 2, blocked: 1 },
  clips: [
    clip('C0001', 'k1', [reason('clip-unreviewed', null)]),
    clip('C0002', 'k1', [reason('consent-unrecorded', 's1'), reason('face-uncovered', 's1')]),
    clip('C0003', 'k2', [reason('consent-withdrawn', 's2', 'blocked'), reason('consent-unrecorded', 's1')]),
    clip('C0004', 'k2', []),
  ],
  subjects: [
    { subjectId: 's1', pseudonym: 'Osprey', consent: 'unrecorded', protection: [], clips: [], unprotectedClipCount: 0, exports: [] },
    { subjectId: 's2', pseudonym: 'Heron', consent: 'withdrawn', protection: [], clips: [], unprotectedClipCount: 0, exports: [] },
  ],
};
const cards = [
  { id: 'k1', label: 'Card A', createdAt: '', clipCount: 2, verifiedCount: 2, safeToWipe: true, wipeBlockers: [] },
  { id: 'k2', label: '', createdAt: '', clipCount: 2, verifiedCount: 2, safeToWipe: true, wipeBlockers: [] },
];
const shape = (groups: ReturnType<typeof groupProblems>) => groups.map((group) => [group.title, group.blocked, group.entries.map((entry) => `${entry.clip.code}:${entry.reasons.length}`)]);

describe('safety problem groups', () => {
  it.each([
    ['problem', [['Consent withdrawn', true, ['C0003:1']], ['No consent recorded', false, ['C0002:1', 'C0003:1']], ['A face to hide has no region track', false, ['C0002:1']], ['Nobody has recorded who appears', false, ['C0001:1']]]],
    ['subject', [['Heron', true, ['C0003:1']], ['About the clip itself', false, ['C0001:1']], ['Osprey', false, ['C0002:2', 'C0003:1']]]],
    ['card', [['Unlabelled card', true, ['C0003:2']], ['Card A', false, ['C0001:1', 'C0002:2']]]],
  ] as const)('by %s: blocked first, every problem clip once per group, cleared clips never', (grouping, expected) => {
    expect(shape(groupProblems(report, grouping, cards))).toEqual(expected);
  });

  it('a search narrows to matching clip codes', () => {
    expect(shape(groupProblems(report, 'card', cards, 'c0001'))).toEqual([['Card A', false, ['C0001:1']]]);
  });

  it('groups 10,000 problem clips without dropping any', () => {
    const many: SafetyReport = { ...report, clips: Array.from({ length: 10_000 }, (_, index) => clip(`C${index}`, `k${index % 7}`, [reason('clip-unreviewed', null)])) };
    const groups = groupProblems(many, 'card', []);
    expect(groups).toHaveLength(7);
    expect(groups.reduce((total, group) => total + group.entries.length, 0)).toBe(10_000);
  });
});
