import { PROTECTIONS, type ExportRecall, type Protection, type SubjectDetail } from '../../shared/model';
import { displayName } from '../../shared/display-text';
import { UsageError } from './cli-io';
import { type Command, jsonOption, vaultOptions } from './command';
import { parseTimecode } from './timecode';
import { runUnlockedCall } from './vault-commands';

/** Subjects, consent, protection, appearances and reviews on the command line, over the same facade calls. */

export function requireText(values: Record<string, unknown>, flag: string): string {
  const value = values[flag];
  if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`--${flag} is required.`);
  return value;
}

export function parseProtectionList(text: string): Protection[] {
  const items = text.split(',').map((s) => s.trim()).filter((s) => s !== '' && s !== 'none');
  const unknown = items.filter((item) => !PROTECTIONS.includes(item as Protection));
  if (unknown.length > 0) throw new UsageError(`unknown protection "${unknown.join(', ')}": use a comma list of ${PROTECTIONS.join(', ')} (or none).`);
  return items as Protection[];
}

function timeFlag(values: Record<string, unknown>, flag: string): number | undefined {
  const value = values[flag];
  if (typeof value !== 'string') return undefined;
  try {
    return parseTimecode(value);
  } catch (error) {
    throw new UsageError(`--${flag}: ${(error as Error).message}`);
  }
}

export function formatRecall(recall: ExportRecall[]): string {
  if (recall.length === 0) return 'No past export contained their clips: nothing to recall.\n';
  const lines = recall.map((e) => `  ${e.createdAt}  to ${displayName(e.recipient)}  clips ${e.clips.map((c) => c.code).join(', ')}  (export ${e.exportId})`);
  return `Recall these exports, which contained their clips:\n${lines.join('\n')}\n`;
}

function describe(subject: SubjectDetail): string {
  const consent = subject.consent ? `${subject.consent.state}${subject.consent.scope ? ` (${displayName(subject.consent.scope)})` : ''}, ${subject.consent.recordedAt} by ${displayName(subject.consent.recordedBy)}` : 'not recorded';
  const identity = subject.identity ? `Real name: ${displayName(subject.identity.realName) || '(none)'}\n` : subject.identitySealed ? 'Identity: sealed to HQ (this vault cannot open it)\n' : '';
  const clips = subject.appearances.map((a) => a.clipCode);
  return [
    `${displayName(subject.pseudonym)}  (id ${subject.id})\n`,
    identity,
    `Consent: ${consent}\n`,
    `Protection: ${subject.protection.join(', ') || 'none'}\n`,
    `Appears in: ${clips.length > 0 ? [...new Set(clips)].join(', ') : 'no clips yet'}; unprotected in ${subject.unprotectedClipCount}\n`,
    `Consent history: ${subject.consentHistory.length} record(s); evidence: ${subject.evidence.length} file(s); exports containing them: ${subject.exports.length}\n`,
  ].join('');
}

const subjectOption = { subject: { type: 'string' } } as const;

export const subjectCommands: Command[] = [
  {
    words: ['subjects', 'add'],
    usage: 'safehouse subjects add --vault DIR --pseudonym NAME [--real-name TEXT] [--protect face,voice,name,location,exclude] [--json]',
    summary: 'Record a filmed person under a pseudonym; the real name is sealed to HQ. Prints the new id.',
    options: { ...vaultOptions, ...jsonOption, pseudonym: { type: 'string' }, 'real-name': { type: 'string' }, protect: { type: 'string' } },
    async run(context) {
      const { values } = context;
      const pseudonym = requireText(values, 'pseudonym');
      const protection = typeof values['protect'] === 'string' ? parseProtectionList(values['protect']) : [];
      const realName = typeof values['real-name'] === 'string' ? values['real-name'] : undefined;
      return runUnlockedCall(context, 'subjects.create', { pseudonym, protection, ...(realName ? { realName } : {}) }, {
        text: (subject) => `${subject.id}\n`,
        json: (subject) => ({ ok: true, id: subject.id, subject }),
      });
    },
  },
  {
    words: ['subjects', 'list'],
    usage: 'safehouse subjects list --vault DIR [--json]',
    summary: 'List subjects: pseudonym, consent and protection (real names only where this vault can open them).',
    options: { ...vaultOptions, ...jsonOption },
    async run(context) {
      return runUnlockedCall(context, 'subjects.list', {}, {
        text: (subjects) =>
          subjects.length === 0
            ? 'No subjects recorded yet.\n'
            : subjects.map((s) => `${s.id}  ${displayName(s.pseudonym)}  consent: ${s.consent?.state ?? 'not recorded'}  protect: ${s.protection.join(',') || 'none'}\n`).join(''),
        json: (subjects) => ({ ok: true, subjects }),
      });
    },
  },
  {
    words: ['subjects', 'show'],
    usage: 'safehouse subjects show --vault DIR --subject ID [--json]',
    summary: 'Show one subject: consent history, protection, where they appear, exports that contained them.',
    options: { ...vaultOptions, ...jsonOption, ...subjectOption },
    async run(context) {
      const id = requireText(context.values, 'subject');
      return runUnlockedCall(context, 'subjects.get', { id }, { text: describe, json: (subject) => ({ ok: true, subject }) });
    },
  },
  {
    words: ['subjects', 'consent'],
    usage: 'safehouse subjects consent --vault DIR --subject ID --state pending|given|conditional|withdrawn [--scope TEXT] [--recorded-by NAME] [--json]',
    summary: 'Record a consent decision (kept in the history). Withdrawal blocks their clips and lists exports to recall.',
    options: { ...vaultOptions, ...jsonOption, ...subjectOption, state: { type: 'string' }, scope: { type: 'string' }, 'recorded-by': { type: 'string' } },
    async run(context) {
      const { values } = context;
      const id = requireText(values, 'subject');
      const state = requireText(values, 'state');
      if (!['pending', 'given', 'conditional', 'withdrawn'].includes(state)) throw new UsageError('--state must be pending, given, conditional or withdrawn.');
      const input = {
        id,
        state: state as 'pending',
        ...(typeof values['scope'] === 'string' ? { scope: values['scope'] } : {}),
        ...(typeof values['recorded-by'] === 'string' ? { recordedBy: values['recorded-by'] } : {}),
      };
      return runUnlockedCall(context, 'subjects.setConsent', input, {
        text: ({ subject, recall }) =>
          `Consent for ${subject.pseudonym} recorded: ${state}.\n${state === 'withdrawn' ? `Their clips are now blocked.\n${formatRecall(recall)}` : ''}`,
        json: ({ subject, recall }) => ({ ok: true, subject, recall }),
      });
    },
  },
  {
    words: ['subjects', 'protect'],
    usage: 'safehouse subjects protect --vault DIR --subject ID --set face,voice,name,location,exclude|none [--json]',
    summary: 'Set how a subject must be protected (replaces the previous set).',
    options: { ...vaultOptions, ...jsonOption, ...subjectOption, set: { type: 'string' } },
    async run(context) {
      const id = requireText(context.values, 'subject');
      const protection = parseProtectionList(requireText(context.values, 'set'));
      return runUnlockedCall(context, 'subjects.setProtection', { id, protection }, {
        text: (subject) => `${displayName(subject.pseudonym)}: protect ${subject.protection.join(', ') || 'nothing'}.\n`,
        json: (subject) => ({ ok: true, subject }),
      });
    },
  },
  {
    words: ['subjects', 'evidence'],
    usage: 'safehouse subjects evidence --vault DIR --subject ID --file PATH [--kind release|verbal|document|other] [--json]',
    summary: 'Seal a consent evidence file (signed release, recorded verbal consent) into the vault for HQ.',
    options: { ...vaultOptions, ...jsonOption, ...subjectOption, file: { type: 'string' }, kind: { type: 'string' } },
    async run(context) {
      const id = requireText(context.values, 'subject');
      const path = requireText(context.values, 'file');
      const kind = typeof context.values['kind'] === 'string' ? context.values['kind'] : 'release';
      if (!['release', 'verbal', 'document', 'other'].includes(kind)) throw new UsageError('--kind must be release, verbal, document or other.');
      return runUnlockedCall(context, 'subjects.addEvidence', { id, path, kind: kind as 'release' }, {
        text: () => `Sealed into the vault. The original file is still at ${displayName(path)}: delete it securely once you have checked the vault.\n`,
        json: (subject) => ({ ok: true, subject }),
      });
    },
  },
  {
    words: ['appear'],
    usage: 'safehouse appear --vault DIR --clip ID --subject ID [--from TC --to TC] [--json]',
    summary: 'Record that a subject appears in a clip (TC: seconds or HH:MM:SS[.fraction]).',
    options: { ...vaultOptions, ...jsonOption, ...subjectOption, clip: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' } },
    async run(context) {
      const subjectId = requireText(context.values, 'subject');
      const clipId = requireText(context.values, 'clip');
      const from = timeFlag(context.values, 'from');
      const to = timeFlag(context.values, 'to');
      if ((from === undefined) !== (to === undefined)) throw new UsageError('give both --from and --to, or neither (the whole clip).');
      if (from !== undefined && to !== undefined && !(to > from)) throw new UsageError('--to must be after --from.');
      const ranges = from !== undefined && to !== undefined ? [{ from, to }] : [];
      return runUnlockedCall(context, 'appearances.add', { subjectId, clipId, ranges }, {
        text: (appearance) => `Recorded in ${appearance.clipCode} (appearance ${appearance.id}).\n`,
        json: (appearance) => ({ ok: true, appearance }),
      });
    },
  },
  {
    words: ['review'],
    usage: 'safehouse review --vault DIR --clip ID --no-people [--json]',
    summary: 'Record that you watched a clip and nobody identifiable appears in it.',
    options: { ...vaultOptions, ...jsonOption, clip: { type: 'string' }, 'no-people': { type: 'boolean' } },
    async run(context) {
      const clipId = requireText(context.values, 'clip');
      if (context.values['no-people'] !== true) throw new UsageError('say what you found: --no-people (record people with "safehouse appear").');
      return runUnlockedCall(context, 'clips.review', { clipId, noPeople: true }, {
        text: (clip) => `${clip.code}: reviewed, nobody identifiable; now ${clip.safety}.\n`,
        json: (clip) => ({ ok: true, clip }),
      });
    },
  },
];
