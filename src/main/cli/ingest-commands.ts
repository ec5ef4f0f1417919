import type { IngestProgress, OffloadResult } from '../../shared/model';
import { displayName, quotedName } from '../../shared/display-text';
import { exitCodes, UsageError } from './cli-io';
import { type Command, jsonOption, vaultOptions } from './command';
import { printJson, reportFailure } from './output';
import { hqLine, runUnlockedCall, unlockForCommand } from './vault-commands';
import { failureText, quarantineText, verdictLines } from './wipe-words';

const formatMb = (bytes: number) => `${(bytes / 1_000_000).toFixed(1)} MB`;

function progressLine(progress: IngestProgress): string {
  const percent = progress.bytesTotal > 0 ? Math.floor((progress.bytesDone / progress.bytesTotal) * 100) : 100;
  const eta = progress.etaSeconds === null ? '' : `, ${progress.etaSeconds}s left`;
  return `[${String(percent).padStart(3)}%] ${progress.filesDone}/${progress.filesTotal} files, ${formatMb(progress.bytesDone)} of ${formatMb(progress.bytesTotal)}, ${progress.megabytesPerSecond} MB/s${eta}  ${progress.step.padEnd(8)} ${progress.file === null ? '' : displayName(progress.file)}`;
}

/** The reason of one file's outcome in words: from its code when the core gave one. */
function outcomeReason(entry: OffloadResult['results'][number]): string | null {
  if (entry.status === 'failed' && entry.failureKind) return failureText(entry.failureKind);
  if (entry.status === 'quarantined' && entry.quarantineReason) return quarantineText(entry.quarantineReason, entry.file);
  return entry.reason;
}

function summaryText(result: OffloadResult): string {
  const lines = result.results.map((entry) => {
    const found = entry.findings.location + entry.findings.identity + entry.findings.device;
    const removed = found > 0 ? `, removed ${entry.findings.location} location / ${entry.findings.identity} identity / ${entry.findings.device} device fields` : '';
    const reason = outcomeReason(entry);
    return `  ${entry.status.padEnd(11)} ${entry.code ?? '-'.padEnd(5)} ${quotedName(entry.file)}${removed}${reason ? `: ${displayName(reason)}` : ''}`;
  });
  for (const entry of result.notIngested) if (entry.kind !== 'skipped') lines.push(`  not copied  ${quotedName(entry.file)}: ${displayName(entry.reason)}`);
  const { verified, quarantined, failed, skipped } = result.counts;
  lines.push(`${verified} verified, ${quarantined} quarantined, ${failed} failed, ${skipped} already in the vault.`);
  if (result.proxies) {
    lines.push(`Proxies: ${result.proxies.built} ready, ${result.proxies.failed} failed.${result.proxies.note ? ` ${result.proxies.note}` : ''}`);
  }
  // Older stored reports have no blockers: their verdict is recomputed by the core (offload.report).
  lines.push(...verdictLines({ safeToWipe: result.safeToWipe, wipeBlockers: result.wipeBlockers ?? [] }));
  return `${lines.join('\n')}\n`;
}

export const ingestCommands: Command[] = [
  {
    words: ['ingest'],
    usage: 'safehouse ingest SOURCE --vault DIR [--label TEXT] [--no-proxies] [--passphrase-env NAME] [--json]',
    summary: 'Offload a camera card: sanitize, prove clean, encrypt, verify. Resumable; a second run adds nothing.',
    options: { ...vaultOptions, ...jsonOption, label: { type: 'string' }, 'no-proxies': { type: 'boolean' } },
    positionals: { min: 1, max: 1 },
    async run(context) {
      const { io, json, safehouse, positionals, values } = context;
      const locked = await unlockForCommand(context);
      if (locked !== null) return locked;
      const status = await safehouse.call('vault.status', {});
      const hqFingerprint = status.ok && status.value.state === 'unlocked' ? status.value.vault.hqFingerprint : undefined;
      if (hqFingerprint && !json) io.stdout(hqLine(hqFingerprint));
      let lastFile: string | null = null;
      const stop = safehouse.on('offload.progress', (progress) => {
        if (json) io.stdout(`${JSON.stringify({ event: 'progress', ...progress })}\n`);
        else if (progress.file !== lastFile || progress.step === 'done') {
          lastFile = progress.file;
          io.stderr(`${progressLine(progress)}\n`);
        }
      });
      const stopProxies = safehouse.on('proxy.progress', (progress) => {
        if (json) io.stdout(`${JSON.stringify({ event: 'proxy', ...progress })}\n`);
      });
      const label = values['label'];
      const result = await safehouse.call('offload.start', {
        path: positionals[0]!,
        ...(typeof label === 'string' ? { label } : {}),
        proxies: values['no-proxies'] === true ? 'none' : 'wait',
      });
      stop();
      stopProxies();
      if (!result.ok) return reportFailure(io, json, result);
      if (json) {
        for (const entry of result.value.results) io.stdout(`${JSON.stringify({ event: 'file', ...entry })}\n`);
        io.stdout(`${JSON.stringify({ event: 'summary', ...result.value, results: undefined, ...(hqFingerprint ? { hqFingerprint } : {}) })}\n`);
      } else io.stdout(summaryText(result.value));
      // Not 0 unless the card is safe to wipe: `safehouse ingest CARD && format CARD` must never lose a file.
      const { failed, quarantined } = result.value.counts;
      return failed + quarantined > 0 || !result.value.safeToWipe ? exitCodes.failed : exitCodes.ok;
    },
  },
  {
    words: ['clips'],
    usage: 'safehouse clips --vault DIR [--passphrase-env NAME] [--json]',
    summary: 'List every clip (video, audio, stills) with its status and reason.',
    options: { ...vaultOptions, ...jsonOption },
    async run(context) {
      return runUnlockedCall(context, 'clips.list', {}, {
        text: (clips) =>
          clips.length === 0
            ? 'No clips yet. Offload a card with `safehouse ingest SOURCE --vault DIR`.\n'
            : clips.map((clip) => `${clip.code}  ${clip.id}  ${clip.kind.padEnd(5)} ${clip.status.padEnd(11)} ${quotedName(clip.originalName)}${clip.reason ? `  ${displayName(clip.reason)}` : ''}\n`).join(''),
      });
    },
  },
  {
    words: ['export', 'master'],
    usage: 'safehouse export master --vault DIR --clip ID --out FILE [--passphrase-env NAME] [--json]',
    summary: 'Write the decrypted, sanitized master of a verified clip as an ordinary file.',
    options: { ...vaultOptions, ...jsonOption, clip: { type: 'string' }, out: { type: 'string' } },
    async run(context) {
      const clipId = context.values['clip'];
      const out = context.values['out'];
      if (typeof clipId !== 'string' || typeof out !== 'string') throw new UsageError('--clip ID and --out FILE are required.');
      return runUnlockedCall(context, 'export.master', { clipId, outPath: out }, {
        text: (written) => `Wrote ${displayName(written.path)} (${formatMb(written.bytes)}).\n`,
      });
    },
  },
  {
    words: ['retry'],
    usage: 'safehouse retry --vault DIR --clip ID [--passphrase-env NAME] [--json]',
    summary: 'Run a quarantined clip through the pipeline again, from its sealed original (no card needed).',
    options: { ...vaultOptions, ...jsonOption, clip: { type: 'string' } },
    async run(context) {
      const clipId = context.values['clip'];
      if (typeof clipId !== 'string') throw new UsageError('--clip ID is required (`safehouse clips` lists quarantined clips and their ids).');
      return runUnlockedCall(context, 'clip.retry', { id: clipId }, {
        text: (outcome) => {
          const reason = outcomeReason(outcome);
          if (outcome.status === 'verified') return `${outcome.code} is now verified: its cleaned master replaced the quarantined original.\n`;
          if (outcome.status === 'quarantined') return `${outcome.code} is still quarantined: ${reason}.\n`;
          if (outcome.status === 'skipped') return `${outcome.code} stays as it is: ${reason}.\n`;
          return `The retry of ${outcome.code} failed: ${reason}. It stays quarantined, its original kept.\n`;
        },
        exitCode: (outcome) => (outcome.status === 'verified' ? exitCodes.ok : exitCodes.failed),
      });
    },
  },
  {
    words: ['cards'],
    usage: 'safehouse cards --vault DIR [--passphrase-env NAME] [--json]',
    summary: 'List offloaded cards: label, clips, and whether each is safe to wipe.',
    options: { ...vaultOptions, ...jsonOption },
    async run(context) {
      return runUnlockedCall(context, 'cards.list', {}, {
        text: (cards) =>
          cards
            .map((card) => {
              const head = `${card.id}  ${quotedName(card.label)}  ${card.verifiedCount}/${card.clipCount} read back  ${card.safeToWipe ? 'safe to wipe' : 'NOT safe to wipe'}\n`;
              return card.safeToWipe || card.wipeBlockers.length === 0 ? head : `${head}${verdictLines(card, '    ').slice(1).join('\n')}\n`;
            })
            .join(''),
      });
    },
  },
  {
    words: ['export', 'mhl'],
    usage: 'safehouse export mhl --vault DIR --card ID (--out FILE.mhl | --out FOLDER --ascmhl-folder) [--passphrase-env NAME] [--json]',
    summary:
      "Write an ASC MHL v2 manifest of a card's files (names, sizes, xxh64), with neutral creator fields; with --ascmhl-folder, as FOLDER/ascmhl/ (generation and chain files) to copy onto the card root for `ascmhl verify`.",
    options: { ...vaultOptions, ...jsonOption, card: { type: 'string' }, out: { type: 'string' }, 'ascmhl-folder': { type: 'boolean' } },
    async run(context) {
      const cardId = context.values['card'];
      const out = context.values['out'];
      if (typeof cardId !== 'string' || typeof out !== 'string') throw new UsageError('--card ID and --out FILE are required (`safehouse cards` lists the ids).');
      const leftOutNote = (leftOut: number) => (leftOut ? `, ${leftOut} left out: unreadable at offload, or a name an MHL file cannot hold` : '');
      if (context.values['ascmhl-folder'] === true) {
        return runUnlockedCall(context, 'card.exportMhlFolder', { cardId, outDir: out }, {
          text: (mhl) =>
            `Wrote ${displayName(mhl.folder)} (${mhl.files} files${leftOutNote(mhl.leftOut)}).\n` +
            'Copy that ascmhl folder onto the root of the card (or of a copy of it); `ascmhl verify` on that root then checks every file.\n',
        });
      }
      return runUnlockedCall(context, 'card.exportMhl', { cardId, outPath: out }, {
        text: (mhl) => `Wrote ${displayName(mhl.path)} (${mhl.files} files${leftOutNote(mhl.leftOut)}).\n`,
      });
    },
  },
  {
    words: ['wipe-card'],
    usage: 'safehouse wipe-card SOURCE --vault DIR --yes [--passphrase-env NAME] [--json]',
    summary: 'Delete the offloaded media from a card, only when every clip on it is verified in the vault.',
    options: { ...vaultOptions, ...jsonOption, yes: { type: 'boolean' } },
    positionals: { min: 1, max: 1 },
    async run(context) {
      if (context.values['yes'] !== true) throw new UsageError('wiping deletes files from the card; add --yes to confirm.');
      // The same verdict as `ingest` and `cards`, per file, before anything is touched (card.wipe checks again).
      const locked = await unlockForCommand(context);
      if (locked !== null) return locked;
      const check = await context.safehouse.call('card.check', { path: context.positionals[0]! });
      if (!check.ok) return reportFailure(context.io, context.json, check);
      if (!check.value.safeToWipe) {
        if (context.json) printJson(context.io, { deleted: [], kept: [], ...check.value });
        else context.io.stderr(`Nothing was deleted. ${verdictLines(check.value).join('\n')}\n`);
        return exitCodes.failed;
      }
      const wiped = await context.safehouse.call('card.wipe', { path: context.positionals[0]! });
      if (!wiped.ok) return reportFailure(context.io, context.json, wiped);
      if (context.json) printJson(context.io, wiped.value);
      else context.io.stdout(`Deleted ${wiped.value.deleted.length} files from the card.\n${wiped.value.kept.map((kept) => `  kept ${quotedName(kept.file)}: ${displayName(kept.reason)}\n`).join('')}`);
      return wiped.value.kept.length > 0 ? exitCodes.failed : exitCodes.ok;
    },
  },
  {
    words: ['report'],
    usage: 'safehouse report --vault DIR [--ingest ID] [--passphrase-env NAME] [--json]',
    summary: 'Show the report of the last (or a given) offload: what was found, removed, proven and verified.',
    options: { ...vaultOptions, ...jsonOption, ingest: { type: 'string' } },
    async run(context) {
      const locked = await unlockForCommand(context);
      if (locked !== null) return locked;
      const ingestId = context.values['ingest'];
      const result = await context.safehouse.call('offload.report', typeof ingestId === 'string' ? { ingestId } : {});
      if (!result.ok) return reportFailure(context.io, context.json, result);
      if (!result.value) {
        context.io.stdout(context.json ? 'null\n' : 'No offload report to show: none has finished yet, or (in a field vault) the reports are sealed to HQ.\n');
        return exitCodes.ok;
      }
      if (context.json) printJson(context.io, result.value);
      else context.io.stdout(`Offload ${result.value.ingestId}, ${result.value.startedAt} to ${result.value.finishedAt}\n${summaryText({ ...result.value, reportObjectId: '', recovered: { stagingDiscarded: 0, unrecordedObjectsRemoved: 0 } })}`);
      return exitCodes.ok;
    },
  },
];
