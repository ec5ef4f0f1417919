import { exitCodes } from './cli-io';
import { type Command, jsonOption, vaultOptions } from './command';
import { printJson, reportFailure } from './output';
import { requireText } from './subject-commands';
import { readPassphrase } from './passphrase';
import { requireVaultDir, runUnlockedCall } from './vault-commands';

/** Verifying the hash-chained audit log, and exporting the signed checkpoint that makes truncation visible. */
export const auditCommands: Command[] = [
  {
    words: ['audit', 'verify'],
    usage: 'safehouse audit verify --vault DIR [--checkpoint FILE] [--json]',
    summary: 'Check the audit log: exit 0 if intact, 1 with what was edited, deleted, reordered, inserted or cut off.',
    options: { ...vaultOptions, ...jsonOption, checkpoint: { type: 'string' } },
    async run(context) {
      // Read-only: the vault is opened for this check alone, and the check appends nothing to the log.
      const dir = requireVaultDir(context.values);
      const passphrase = await readPassphrase(context.io, context.values['passphrase-env'] as string | undefined);
      const checkpoint = context.values['checkpoint'];
      const result = await context.safehouse.call('audit.verifyReadOnly', { dir, passphrase, ...(typeof checkpoint === 'string' ? { checkpointPath: checkpoint } : {}) });
      if (!result.ok) return reportFailure(context.io, context.json, result);
      const v = result.value;
      if (context.json) printJson(context.io, { ok: v.intact, verification: v });
      else if (v.intact) {
        const against = v.checkpoint ? `; it still reaches the checkpoint at entry ${v.checkpoint.seq}` : '';
        context.io.stdout(`Audit log intact: ${v.entries} entries, each chained and signed${against}.\n`);
        if (!v.checkpoint) context.io.stdout('Without a checkpoint file, entries cut off the end cannot be detected: pass --checkpoint FILE.\n');
      } else {
        context.io.stderr(`Audit log NOT intact (${v.problems.length} problem${v.problems.length === 1 ? '' : 's'}):\n`);
        for (const p of v.problems) context.io.stderr(`  - ${p.message}\n`);
      }
      return v.intact ? exitCodes.ok : exitCodes.failed;
    },
  },
  {
    words: ['audit', 'export-checkpoint'],
    usage: 'safehouse audit export-checkpoint --vault DIR --out FILE [--json]',
    summary: 'Write a signed checkpoint of the audit log; keep it away from this laptop.',
    options: { ...vaultOptions, ...jsonOption, out: { type: 'string' } },
    async run(context) {
      const out = requireText(context.values, 'out');
      return runUnlockedCall(context, 'audit.exportCheckpoint', { out }, {
        text: (checkpoint) => `Checkpoint at entry ${checkpoint.seq} written to ${out}. Keep it somewhere other than this laptop.\n`,
        json: (checkpoint) => ({ ok: true, checkpoint, out }),
      });
    },
  },
];
