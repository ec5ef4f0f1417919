import { type Command, jsonOption, vaultOptions } from './command';
import { exitCodes, UsageError } from './cli-io';
import { readPassphrase } from './passphrase';
import { printJson, reportFailure } from './output';

function requireVaultDir(values: Record<string, unknown>): string {
  const dir = values['vault'];
  if (typeof dir !== 'string' || dir === '') throw new UsageError('--vault DIR is required: the folder that holds (or will hold) the vault.');
  return dir;
}

export const vaultCommands: Command[] = [
  {
    words: ['init'],
    usage: 'safehouse init --vault DIR [--field] [--passphrase-env NAME] [--json]',
    summary: 'Create a new encrypted vault in an empty folder.',
    options: { ...vaultOptions, ...jsonOption, field: { type: 'boolean' } },
    async run({ io, values, safehouse, json }) {
      const dir = requireVaultDir(values);
      const passphrase = await readPassphrase(io, values['passphrase-env'] as string | undefined, 'New vault passphrase: ');
      const result = await safehouse.call('vault.create', { dir, passphrase, kind: values['field'] ? 'field' : 'normal' });
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

/** Opens the vault named by --vault for commands that work inside one. */
export async function unlockForCommand(context: Parameters<Command['run']>[0]): Promise<number | null> {
  const dir = requireVaultDir(context.values);
  const passphrase = await readPassphrase(context.io, context.values['passphrase-env'] as string | undefined);
  const result = await context.safehouse.call('vault.unlock', { dir, passphrase });
  return result.ok ? null : reportFailure(context.io, context.json, result);
}
