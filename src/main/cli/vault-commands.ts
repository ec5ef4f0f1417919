import { readFile, writeFile } from 'node:fs/promises';
import type { CallInput, CallName, CallOutput } from '../../shared/api';
import { type Command, type CommandContext, jsonOption, vaultOptions } from './command';
import { exitCodes, UsageError } from './cli-io';
import { readPassphrase } from './passphrase';
import { printJson, reportFailure } from './output';

export function requireVaultDir(values: Record<string, unknown>): string {
  const dir = values['vault'];
  if (typeof dir !== 'string' || dir === '') throw new UsageError('--vault DIR is required: the folder that holds (or will hold) the vault.');
  return dir;
}

export const vaultCommands: Command[] = [
  {
    words: ['init'],
    usage: 'safehouse init --vault DIR [--field --hq-card FILE] [--passphrase-env NAME] [--json]',
    summary: 'Create a new encrypted vault in an empty folder.',
    options: { ...vaultOptions, ...jsonOption, field: { type: 'boolean' }, 'hq-card': { type: 'string' } },
    async run({ io, values, safehouse, json }) {
      const dir = requireVaultDir(values);
      const hqCardFile = values['hq-card'];
      if (values['field'] && typeof hqCardFile !== 'string') {
        throw new UsageError('a field vault seals masters and identities to HQ: pass HQ\'s recipient card with --hq-card FILE.');
      }
      const hqRecipientCard = typeof hqCardFile === 'string' ? await readFile(hqCardFile, 'utf8') : undefined;
      const passphrase = await readPassphrase(io, values['passphrase-env'] as string | undefined, 'New vault passphrase: ');
      const result = await safehouse.call('vault.create', {
        dir,
        passphrase,
        kind: values['field'] ? 'field' : 'normal',
        ...(hqRecipientCard !== undefined ? { hqRecipientCard } : {}),
      });
      if (!result.ok) return reportFailure(io, json, result);
      if (json) printJson(io, { ok: true, vault: result.value });
      else io.stdout(`Created ${result.value.kind} vault ${result.value.id} in ${result.value.dir}\n`);
      return exitCodes.ok;
    },
  },
  {
    words: ['unlock-check'],
    usage: 'safehouse unlock-check --vault DIR [--passphrase-env NAME] [--json]',
    summary: 'Check that the passphrase opens the vault (exit 0) or not (exit 1). Only the audit log records it.',
    options: { ...vaultOptions, ...jsonOption },
    async run({ io, values, safehouse, json }) {
      const dir = requireVaultDir(values);
      const passphrase = await readPassphrase(io, values['passphrase-env'] as string | undefined);
      const result = await safehouse.call('vault.unlock', { dir, passphrase });
      if (!result.ok) return reportFailure(io, json, result);
      if (json) printJson(io, { ok: true, vault: result.value });
      else io.stdout(`The passphrase opens vault ${result.value.id}.\n`);
      return exitCodes.ok;
    },
  },
];

export const keyCommands: Command[] = [
  {
    words: ['passwd'],
    usage: 'safehouse passwd --vault DIR [--passphrase-env NAME --new-passphrase-env NAME] [--json]',
    summary: 'Change the vault passphrase (re-wraps the keys; the footage is not re-encrypted).',
    options: { ...vaultOptions, ...jsonOption, 'new-passphrase-env': { type: 'string' } },
    async run(context) {
      const { io, values } = context;
      const dir = requireVaultDir(values);
      const oldPassphrase = await readPassphrase(io, values['passphrase-env'] as string | undefined, 'Current passphrase: ');
      const newPassphrase = await readPassphrase(io, values['new-passphrase-env'] as string | undefined, 'New passphrase: ');
      const unlocked = await context.safehouse.call('vault.unlock', { dir, passphrase: oldPassphrase });
      if (!unlocked.ok) return reportFailure(io, context.json, unlocked);
      const result = await context.safehouse.call('vault.changePassphrase', { oldPassphrase, newPassphrase });
      if (!result.ok) return reportFailure(io, context.json, result);
      if (context.json) printJson(io, { ok: true });
      else io.stdout('Passphrase changed. The old one no longer opens this vault.\n');
      return exitCodes.ok;
    },
  },
  {
    words: ['recipients', 'export'],
    usage: 'safehouse recipients export --vault DIR --out FILE [--class master,proxy,identity] [--passphrase-env NAME]',
    summary: "Write this vault's recipient card (public keys only) and print the fingerprint to read aloud.",
    options: { ...vaultOptions, ...jsonOption, out: { type: 'string' }, class: { type: 'string' } },
    async run(context) {
      const out = context.values['out'];
      if (typeof out !== 'string') throw new UsageError('--out FILE is required.');
      const classes = parseClasses(context.values['class']);
      const locked = await unlockForCommand(context);
      if (locked !== null) return locked;
      const result = await context.safehouse.call('recipients.export', classes ? { classes } : {});
      if (!result.ok) return reportFailure(context.io, context.json, result);
      await writeFile(out, result.value.card, { flag: 'wx' });
      if (context.json) printJson(context.io, { path: out, fingerprintWords: result.value.fingerprintWords });
      else context.io.stdout(`Wrote ${out}. Read this fingerprint to the other side over a separate channel:\n  ${result.value.fingerprintWords}\n`);
      return exitCodes.ok;
    },
  },
  {
    words: ['recipients', 'add'],
    usage: 'safehouse recipients add --vault DIR --card FILE --class master|proxy|identity --label TEXT [--passphrase-env NAME]',
    summary: 'Seal new objects of a class to another recipient too (for example HQ). Check the fingerprint first.',
    options: { ...vaultOptions, ...jsonOption, card: { type: 'string' }, class: { type: 'string' }, label: { type: 'string' } },
    async run(context) {
      const { card, label } = { card: context.values['card'], label: context.values['label'] };
      const classes = parseClasses(context.values['class']);
      if (typeof card !== 'string' || typeof label !== 'string' || !classes || classes.length !== 1) {
        throw new UsageError('--card FILE, one --class and --label TEXT are required.');
      }
      const cardText = await readFile(card, 'utf8');
      return runUnlockedCall(context, 'recipients.add', { keyClass: classes[0]!, card: cardText, label }, {
        text: (added) => `Added ${label} to ${classes[0]}. Its fingerprint is ${added.fingerprintWords}: confirm it with them.\n`,
      });
    },
  },
];

function parseClasses(value: unknown): ('master' | 'proxy' | 'identity')[] | undefined {
  if (value === undefined) return undefined;
  const classes = String(value).split(',').map((entry) => entry.trim());
  if (classes.some((entry) => !['master', 'proxy', 'identity'].includes(entry))) throw new UsageError('--class takes master, proxy and/or identity.');
  return classes as ('master' | 'proxy' | 'identity')[];
}

/** Opens the vault named by --vault for commands that work inside one. */
export async function unlockForCommand(context: CommandContext): Promise<number | null> {
  const dir = requireVaultDir(context.values);
  const passphrase = await readPassphrase(context.io, context.values['passphrase-env'] as string | undefined);
  const result = await context.safehouse.call('vault.unlock', { dir, passphrase });
  return result.ok ? null : reportFailure(context.io, context.json, result);
}

/** How a command shows the value of its one call. */
export interface CallPrinting<K extends CallName> {
  /** Printed without --json. */
  text(value: CallOutput<K>): string;
  /** Printed (as JSON) with --json; the value itself by default. */
  json?(value: CallOutput<K>): unknown;
  /** The exit code once the call succeeded; 0 by default. */
  exitCode?(value: CallOutput<K>): number;
}

/**
 * The shape of most commands once their flags are checked (so a usage error never asks for a passphrase):
 * open the vault, make one contract call, print its value, exit. A failed unlock or call is reported as
 * reportFailure does.
 */
export async function runUnlockedCall<K extends CallName>(context: CommandContext, name: K, input: CallInput<K>, printing: CallPrinting<K>): Promise<number> {
  const locked = await unlockForCommand(context);
  if (locked !== null) return locked;
  const result = await context.safehouse.call(name, input);
  if (!result.ok) return reportFailure(context.io, context.json, result);
  if (context.json) printJson(context.io, printing.json ? printing.json(result.value) : result.value);
  else context.io.stdout(printing.text(result.value));
  return printing.exitCode?.(result.value) ?? exitCodes.ok;
}
