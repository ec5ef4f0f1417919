import { displayName, quotedName } from '../../shared/display-text';
import type { VaultVerification } from '../../shared/model';
import { exitCodes } from './cli-io';
import { type Command, jsonOption, vaultOptions } from './command';
import { runUnlockedCall } from './vault-commands';

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

function verificationText(v: VaultVerification): string {
  const { objects } = v;
  const lines = [
    `Checked ${plural(objects.recorded, 'object')} the catalog records (${objects.onDisk} files in the vault): ${objects.headersChecked} headers` +
      (v.deep ? `, ${objects.contentChecked} decrypted or hashed in full and compared with what was written.` : '. Add --deep to decrypt and compare every object too.'),
  ];
  for (const gap of v.notOpened) lines.push(`This vault cannot open ${plural(gap.count, `${gap.keyClass} object`)} (sealed to HQ): checked ${gap.checkedAs}.`);
  if (v.intact) lines.push('Vault intact: every recorded object is there and checks out.');
  else {
    lines.push(`Vault DAMAGED: ${plural(v.damaged.length, 'object')} missing or damaged.`);
    for (const object of v.damaged) {
      lines.push(`  - ${object.objectId} (${object.keyClass ?? 'unknown'}, ${object.problem}): ${object.message}`);
      const owners = object.owners.map((owner) => `${owner.role}${owner.clipCode ? ` of ${owner.clipCode}` : ''}${owner.subjectId ? ` of subject ${owner.subjectId}` : ''}${owner.exportId ? ` of export ${owner.exportId}` : ''}`);
      lines.push(`      ${owners.length > 0 ? `holds: ${owners.join(', ')}` : 'nothing in the catalog points at it'}`);
    }
    if (v.lost.clips.length > 0) lines.push(`Lost with them: ${v.lost.clips.map((clip) => `${clip.code} (${clip.what})`).join(', ')}.`);
    for (const card of v.lost.cards) lines.push(`  card ${quotedName(card.label)} (${card.cardId}): NOT safe to wipe; offload it again if you still have it.`);
    for (const subject of v.lost.subjects) lines.push(`  subject ${displayName(subject.pseudonym)} (${subject.subjectId}): footage or consent evidence lost.`);
    lines.push('Restore the vault folder from a backup, or offload the affected cards again while you still have them.');
  }
  if (v.unrecorded.length > 0) {
    lines.push(`${plural(v.unrecorded.length, 'object file')} in the vault ${v.unrecorded.length === 1 ? 'is' : 'are'} not recorded in the catalog: left by an interrupted write (the next offload removes them).`);
  }
  return `${lines.join('\n')}\n`;
}

/** `safehouse verify`: is everything the catalog records really in the vault, unaltered? */
export const verifyCommands: Command[] = [
  {
    words: ['verify'],
    usage: 'safehouse verify --vault DIR [--deep] [--passphrase-env NAME] [--json]',
    summary: 'Check every vault object (with --deep: decrypt and compare each): exit 0 if intact, 1 with what is damaged and lost.',
    options: { ...vaultOptions, ...jsonOption, deep: { type: 'boolean' } },
    async run(context) {
      return runUnlockedCall(context, 'vault.verify', { deep: context.values['deep'] === true }, {
        text: verificationText,
        json: (verification) => ({ ok: verification.intact, verification }),
        exitCode: (verification) => (verification.intact ? exitCodes.ok : exitCodes.failed),
      });
    },
  },
];
