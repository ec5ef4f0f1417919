import { readFile } from 'node:fs/promises';
import { quotedName } from '../../shared/display-text';
import type { SyncProgress } from '../../shared/model';
import { exitCodes, UsageError } from './cli-io';
import { type Command, type CommandContext, jsonOption, vaultOptions } from './command';
import { printJson, reportFailure } from './output';
import { runUnlockedCall, unlockForCommand } from './vault-commands';

const remoteOptions = { remote: { type: 'string' }, endpoint: { type: 'string' } } as const;
const mb = (bytes: number) => `${(bytes / 1_000_000).toFixed(1)} MB`;

function remoteOf(values: CommandContext['values'], required: boolean): { remote?: string; endpoint?: string } {
  const remote = values['remote'];
  const endpoint = values['endpoint'];
  if (required && typeof remote !== 'string') throw new UsageError('--remote s3://BUCKET/PREFIX or --remote file:///path/to/folder is required.');
  return { ...(typeof remote === 'string' ? { remote } : {}), ...(typeof endpoint === 'string' ? { endpoint } : {}) };
}

function progressLine(p: SyncProgress): string {
  const percent = p.bytesTotal > 0 ? Math.floor((p.bytesDone / p.bytesTotal) * 100) : 100;
  const rate = p.mbPerSecond === null ? '' : `, ${p.mbPerSecond} MB/s`;
  const eta = p.etaSeconds === null ? '' : `, ${p.etaSeconds}s left`;
  return `[${String(percent).padStart(3)}%] ${p.objectsDone}/${p.objectsTotal} objects, ${mb(p.bytesDone)} of ${mb(p.bytesTotal)}${rate}${eta}  ${p.phase}`;
}

/** Push and pull print progress (JSON lines with --json, a line per quarter second on stderr otherwise). */
async function runTransfer(context: CommandContext, run: () => Promise<number>): Promise<number> {
  const stop = context.safehouse.on('sync.progress', (progress) => {
    if (context.json) context.io.stdout(`${JSON.stringify({ event: 'progress', ...progress })}\n`);
    else context.io.stderr(`${progressLine(progress)}\n`);
  });
  try {
    return await run();
  } finally {
    stop();
  }
}

export const syncCommands: Command[] = [
  {
    words: ['sync', 'push'],
    usage: 'safehouse sync push --vault DIR --remote s3://BUCKET/PREFIX|file:///PATH [--endpoint URL] [--passphrase-env NAME] [--json]',
    summary: 'Field: send sealed footage and signed catalog records to HQ’s bucket or a drive. Resumable.',
    options: { ...vaultOptions, ...jsonOption, ...remoteOptions },
    async run(context) {
      const target = remoteOf(context.values, true);
      const locked = await unlockForCommand(context);
      if (locked !== null) return locked;
      return runTransfer(context, async () => {
        const result = await context.safehouse.call('sync.push', target as { remote: string; endpoint?: string });
        if (!result.ok) return reportFailure(context.io, context.json, result);
        const r = result.value;
        if (context.json) context.io.stdout(`${JSON.stringify({ event: 'summary', ...r })}\n`);
        else {
          context.io.stdout(
            `Pushed to ${r.remote} as device ${r.device}: ${r.objects.sent} objects sent, ${r.objects.alreadyThere} already there, ` +
              `${r.records.sent} of ${r.records.total} records sent (${mb(r.bytesSent)} in ${r.seconds}s).\n` +
              (r.newRecord === null ? 'Nothing new since the last push.\n' : `New record ${r.newRecord}.\n`),
          );
        }
        return exitCodes.ok;
      });
    },
  },
  {
    words: ['sync', 'pull'],
    usage: 'safehouse sync pull --vault HQ --remote s3://BUCKET/PREFIX|file:///PATH [--endpoint URL] [--no-proxies] [--passphrase-env NAME] [--json]',
    summary: 'HQ: check and import what enrolled field devices pushed, then make proxies. A second pull adds nothing.',
    options: { ...vaultOptions, ...jsonOption, ...remoteOptions, 'no-proxies': { type: 'boolean' } },
    async run(context) {
      const target = remoteOf(context.values, true);
      const locked = await unlockForCommand(context);
      if (locked !== null) return locked;
      return runTransfer(context, async () => {
        const result = await context.safehouse.call('sync.pull', { ...(target as { remote: string }), proxies: context.values['no-proxies'] === true ? 'none' : 'wait' });
        if (!result.ok) return reportFailure(context.io, context.json, result);
        const r = result.value;
        if (context.json) context.io.stdout(`${JSON.stringify({ event: 'summary', ...r })}\n`);
        else {
          context.io.stdout(
            `Pulled ${r.records} records from ${r.remote}: ${r.clipsAdded} new clips, ${r.clipsMerged} already at HQ (now listed on their new card too), ` +
              `${r.objects} objects, ${r.auditEntries} field audit entries verified (${mb(r.bytesReceived)} in ${r.seconds}s).` +
              (r.proxiesQueued > 0 ? ` Proxies made for ${r.proxiesQueued} clips.` : '') +
              '\n',
          );
        }
        return exitCodes.ok;
      });
    },
  },
  {
    words: ['devices', 'enroll'],
    usage: 'safehouse devices enroll --vault HQ --card FIELD.json [--name TEXT] [--passphrase-env NAME] [--json]',
    summary: 'HQ: accept pushes from a field vault (its card from `recipients export`). Compare the fingerprint.',
    options: { ...vaultOptions, ...jsonOption, card: { type: 'string' }, name: { type: 'string' } },
    async run(context) {
      const card = context.values['card'];
      if (typeof card !== 'string') throw new UsageError('--card FIELD.json is required: the card exported from the field vault.');
      const cardText = await readFile(card, 'utf8').catch(() => {
        throw new UsageError(`cannot read the card file ${card}.`);
      });
      const name = context.values['name'];
      return runUnlockedCall(context, 'devices.enroll', { card: cardText, ...(typeof name === 'string' ? { name } : {}) }, {
        text: (enrolled) =>
          `${enrolled.alreadyEnrolled ? 'Already enrolled' : 'Enrolled'} device ${enrolled.id}.\n` +
          `Its fingerprint is ${enrolled.fingerprintWords}: compare it with the crew over a separate channel.\n`,
      });
    },
  },
  {
    words: ['devices', 'list'],
    usage: 'safehouse devices list --vault DIR [--remote s3://BUCKET/PREFIX|file:///PATH [--endpoint URL]] [--passphrase-env NAME] [--json]',
    summary: 'Field devices with their last push and pull, audit state and (with --remote) what is pending.',
    options: { ...vaultOptions, ...jsonOption, ...remoteOptions },
    async run(context) {
      const target = remoteOf(context.values, false);
      const locked = await unlockForCommand(context);
      if (locked !== null) return locked;
      const result = await context.safehouse.call('devices.list', target);
      if (!result.ok) return reportFailure(context.io, context.json, result);
      if (context.json) printJson(context.io, result.value);
      else if (result.value.length === 0) context.io.stdout('No devices enrolled. Enroll a field vault’s card with `safehouse devices enroll`.\n');
      else {
        for (const d of result.value) {
          const pending = d.pending ? `, pending ${d.pending.records} records (${mb(d.pending.bytes)})` : '';
          const audit = d.audit ? `, audit ${d.audit.entries} entries ${d.audit.intact ? 'verified' : 'NOT INTACT'}` : '';
          context.io.stdout(`${d.self ? 'this device' : 'device'} ${d.id}${d.name ? ` ${quotedName(d.name)}` : ''}: last push ${d.lastPushAt ?? 'never'}, last pull ${d.lastPullAt ?? 'never'}, ${d.records} records${audit}${pending}\n`);
        }
      }
      return exitCodes.ok;
    },
  },
];
