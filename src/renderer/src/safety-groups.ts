import type { CardLabel, ClipSafetyReport, SafetyReason, SafetyReasonCode, SafetyReport } from '../../shared/model';

export type Grouping = 'problem' | 'subject' | 'card';

export interface ProblemEntry {
  clip: ClipSafetyReport;
  reasons: SafetyReason[];
}

export interface ProblemGroup {
  key: string;
  title: string;
  blocked: boolean;
  entries: ProblemEntry[];
}

const PROBLEM_TITLES: Record<SafetyReasonCode, string> = {
  'consent-withdrawn': 'Consent withdrawn',
  'subject-excluded': 'Someone who must not be shown appears',
  'consent-pending': 'Consent still pending',
  'consent-unrecorded': 'No consent recorded',
  'face-uncovered': 'A face to hide has no region track',
  'clip-quarantined': 'Quarantined: could not be cleaned',
  'clip-failed': 'Failed to offload',
  'clip-not-verified': 'Not verified yet',
  'clip-unreviewed': 'Nobody has recorded who appears',
  'faces-unconfirmed': 'Face tracks not yet checked by a person',
  'appearance-proposed': 'A face may be someone already named',
};
const PROBLEM_ORDER = Object.keys(PROBLEM_TITLES) as SafetyReasonCode[];

/**
 * The Safety screen's groups: by kind of problem, by subject, or by card. Pure, so a vault of 10,000 clips
 * is grouped once per report (the screen only renders a page of each group) and tested without a browser.
 * Blocked groups come first.
 */
export function groupProblems(report: SafetyReport, grouping: Grouping, cards: readonly CardLabel[], search = ''): ProblemGroup[] {
  const needle = search.trim().toLowerCase();
  const problems = report.clips.filter((clip) => clip.safety !== 'cleared' && (!needle || clip.code.toLowerCase().includes(needle)));
  const groups = new Map<string, ProblemGroup>();
  const add = (key: string, title: string, clip: ClipSafetyReport, reasons: SafetyReason[]) => {
    if (reasons.length === 0) return;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { key, title, blocked: false, entries: [] }));
    group.entries.push({ clip, reasons });
    group.blocked ||= reasons.some((reason) => reason.status === 'blocked');
  };
  const pseudonyms = new Map(report.subjects.map((subject) => [subject.subjectId, subject.pseudonym]));
  const cardLabels = new Map(cards.map((card) => [card.id, card.label || 'Unlabelled card']));
  for (const clip of problems) {
    if (grouping === 'problem') {
      for (const code of new Set(clip.reasons.map((reason) => reason.code))) add(code, PROBLEM_TITLES[code], clip, clip.reasons.filter((reason) => reason.code === code));
    } else if (grouping === 'subject') {
      for (const subjectId of new Set(clip.reasons.map((reason) => reason.subjectId))) {
        const reasons = clip.reasons.filter((reason) => reason.subjectId === subjectId);
        if (subjectId === null) add('~none', 'About the clip itself', clip, reasons);
        else add(subjectId, pseudonyms.get(subjectId) ?? 'A subject no longer in the vault', clip, reasons);
      }
    } else {
      add(clip.cardId, cardLabels.get(clip.cardId) ?? 'Unknown card', clip, clip.reasons);
    }
  }
  const order = (group: ProblemGroup) => (grouping === 'problem' ? PROBLEM_ORDER.indexOf(group.key as SafetyReasonCode) : 0);
  return [...groups.values()].sort((a, b) => Number(b.blocked) - Number(a.blocked) || order(a) - order(b) || a.title.localeCompare(b.title));
}
