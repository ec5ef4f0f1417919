import type { FaceProposal, UnknownPersonGroup } from '../../shared/model';
import { UsageError } from './cli-io';
import { type Command, jsonOption, vaultOptions } from './command';
import { requireText } from './subject-commands';
import { runUnlockedCall } from './vault-commands';

/** Who appears where on the command line: proposals from face descriptors, decided by a person (faces.*). */

const seconds = (t: number) => `${t.toFixed(1)} s`;

function proposalsText(proposals: FaceProposal[]): string {
  if (proposals.length === 0) return 'No proposals wait for a decision. Assign a face to a subject (faces assign) and every track that looks like them is proposed.\n';
  const lines = proposals.map((p) => `  ${p.id}  ${p.code.padEnd(6)} ${seconds(p.from)} – ${seconds(p.to)}  subject ${p.subjectId}  match ${Math.round(p.score * 100)}%`);
  return `${proposals.length} proposal(s): accept or reject each (faces accept|reject --proposal ID).\n${lines.join('\n')}\n`;
}

function groupsText(groups: UnknownPersonGroup[]): string {
  if (groups.length === 0) return 'No unnamed face appears in more than one track.\n';
  return groups
    .map((g) => `Unknown person ${g.number}: ${g.tracks.length} tracks\n${g.tracks.map((t) => `  ${t.code.padEnd(6)} track ${t.trackId}  ${seconds(t.from)} – ${seconds(t.to)}`).join('\n')}\n`)
    .join('');
}

function decideCommand(decision: 'accept' | 'reject'): Command {
  return {
    words: ['faces', decision],
    usage: `safehouse faces ${decision} --vault DIR --proposal ID [--proposal ID …] [--passphrase-env NAME] [--json]`,
    summary:
      decision === 'accept'
        ? 'Accept a proposed appearance: the face track becomes that subject in that clip, and their consent decides what is shown.'
        : 'Reject a proposed appearance: that face is not that subject, and it is never proposed as them again.',
    options: { ...vaultOptions, ...jsonOption, proposal: { type: 'string', multiple: true } },
    async run(context) {
      const ids = (context.values['proposal'] as string[] | undefined) ?? [];
      if (ids.length === 0) throw new UsageError(`faces ${decision} needs --proposal ID (from faces proposals).`);
      return runUnlockedCall(context, 'faces.decide', { proposalIds: ids, decision }, {
        text: (decided) => `${decided.length} proposal(s) ${decision === 'accept' ? 'accepted: the faces are now appearances of their subjects' : 'rejected'}.\n`,
        json: (decided) => ({ ok: true, decided: decided.map((p) => ({ id: p.id, state: p.state })) }),
      });
    },
  };
}

export const appearanceProposalCommands: Command[] = [
  {
    words: ['faces', 'proposals'],
    usage: 'safehouse faces proposals --vault DIR [--subject ID] [--passphrase-env NAME] [--json]',
    summary: 'List face tracks proposed as known subjects (from faces already assigned), waiting for a person to decide.',
    options: { ...vaultOptions, ...jsonOption, subject: { type: 'string' } },
    async run(context) {
      const subject = context.values['subject'] === undefined ? undefined : requireText(context.values, 'subject');
      return runUnlockedCall(context, 'faces.proposals', subject ? { subjectId: subject } : {}, {
        text: proposalsText,
        // The documented shape, exactly.
        json: (proposals) => ({
          proposals: proposals.map((p) => ({ id: p.id, clipId: p.clipId, trackId: p.trackId, subjectId: p.subjectId, score: p.score, from: p.from, to: p.to })),
        }),
      });
    },
  },
  decideCommand('accept'),
  decideCommand('reject'),
  {
    words: ['faces', 'group'],
    usage: 'safehouse faces group --vault DIR [--passphrase-env NAME] [--json]',
    summary: 'Group the faces nobody has named that look like the same person ("unknown person 1, 2 …"), to name each once.',
    options: { ...vaultOptions, ...jsonOption },
    async run(context) {
      return runUnlockedCall(context, 'faces.groups', {}, { text: groupsText, json: (groups) => ({ groups }) });
    },
  },
  {
    words: ['faces', 'forget'],
    usage: 'safehouse faces forget --vault DIR --subject ID [--passphrase-env NAME] [--json]',
    summary: "Delete a subject's face descriptors (biometric data) and withdraw their proposals, at their request; their faces stay covered.",
    options: { ...vaultOptions, ...jsonOption, subject: { type: 'string' } },
    async run(context) {
      const subjectId = requireText(context.values, 'subject');
      return runUnlockedCall(context, 'faces.forgetSubject', { subjectId }, {
        text: (r) => `Deleted ${r.descriptorsDeleted} face descriptor(s) and withdrew ${r.proposalsWithdrawn} proposal(s); none will be made for this subject again.\n`,
      });
    },
  },
];
