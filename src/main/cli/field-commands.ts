import { readFile, writeFile } from 'node:fs/promises';
import { exitCodes, UsageError } from './cli-io';
import { type Command, jsonOption, vaultOptions } from './command';
import { printJson, reportFailure } from './output';
import { runUnlockedCall, unlockForCommand } from './vault-commands';

/** Field ↔ HQ key commands (HQ-signed recipient sets) and panic. */
export const fieldCommands: Command[] = [
  {
    words: ['recipients', 'sign-set'],
    usage: 'safehouse recipients sign-set --vault HQ_DIR --out FILE [--passphrase-env NAME] [--json]',
    summary: "HQ: sign the master/identity keys this vault seals to, for field vaults to apply (after `recipients add`).",
    options: { ...vaultOptions, ...jsonOption, out: { type: 'string' } },
    async run(context) {
      const out = context.values['out'];
      if (typeof out !== 'string') throw new UsageError('--out FILE is required.');
      const locked = await unlockForCommand(context);
      if (locked !== null) return locked;
      const result = await context.safehouse.call('recipients.signSet', {});
      if (!result.ok) return reportFailure(context.io, context.json, result);
      await writeFile(out, result.value.set, { flag: 'wx' });
      if (context.json) printJson(context.io, { path: out, fingerprintWords: result.value.fingerprintWords });
      else context.io.stdout(`Wrote ${out}, signed by HQ ${result.value.fingerprintWords}. Field vaults made from this HQ's card can apply it.\n`);
      return exitCodes.ok;
    },
  },
  {
    words: ['recipients', 'apply-set'],
    usage: 'safehouse recipients apply-set --vault FIELD_DIR --set FILE [--passphrase-env NAME] [--json]',
    summary: 'Field: seal masters and identities to the keys of a newer recipient set signed by the pinned HQ key.',
    options: { ...vaultOptions, ...jsonOption, set: { type: 'string' } },
    async run(context) {
      const file = context.values['set'];
      if (typeof file !== 'string') throw new UsageError('--set FILE is required (written by `safehouse recipients sign-set` at HQ).');
      const set = await readFile(file, 'utf8');
      return runUnlockedCall(context, 'recipients.applySet', { set }, {
        text: (vault) => `Applied. Masters and identities are sealed to the keys HQ ${vault.hqFingerprint ?? ''} signed.\n`,
      });
    },
  },
  {
    words: ['panic'],
    usage: 'safehouse panic --vault DIR [--yes] [--json]',
    summary: 'Destroy this laptop\'s keys of the vault at once: no passphrase opens it here again. Pushed footage still opens at HQ.',
    options: { vault: { type: 'string' }, ...jsonOption, yes: { type: 'boolean' } },
    async run({ io, values, safehouse, json }) {
      const dir = values['vault'];
      if (typeof dir !== 'string' || dir === '') throw new UsageError('--vault DIR is required: the vault folder to destroy.');
      if (values['yes'] !== true) {
        // Only a person at a terminal can confirm; a script must say --yes, so a typo never destroys a vault.
        if (!io.promptSecret) throw new UsageError('panic destroys the vault on this computer: pass --yes to confirm (no terminal to ask).');
        const answer = await io.promptSecret(`Destroy the keys of ${dir} on this computer? Nothing here will open it again. Type PANIC to confirm: `);
        if (answer.trim() !== 'PANIC') {
          io.stderr('Not confirmed; nothing was changed.\n');
          return exitCodes.failed;
        }
      }
      const result = await safehouse.call('vault.panic', { dir });
      if (!result.ok) return reportFailure(io, json, result);
      if (json) printJson(io, { ok: true, ...result.value });
      else {
        io.stdout(
          result.value.alreadyPanicked
            ? `The vault in ${dir} was already destroyed (${result.value.at}).\n`
            : `Destroyed the keys of vault ${result.value.vaultId} on this computer. No passphrase opens it here any more; what was pushed still opens at HQ.\n`,
        );
      }
      return exitCodes.ok;
    },
  },
];
