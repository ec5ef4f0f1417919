import type { ClipFaces, FaceScanOutcome } from '../../shared/model';
import { exitCodes, UsageError } from './cli-io';
import { type Command, jsonOption, vaultOptions } from './command';
import { reportFailure } from './output';
import { requireText } from './subject-commands';
import { runUnlockedCall, unlockForCommand } from './vault-commands';

/** Automatic face tracks on the command line: scan, list, assign, confirm (contract: faces.*). */

const seconds = (t: number) => `${t.toFixed(2)} s`;

function scanText(outcomes: FaceScanOutcome[]): string {
  if (outcomes.length === 0) return 'No clip needed analysing: every video clip has been scanned (name one with --clip to scan it again).\n';
  const lines = outcomes.map((o) => `  ${o.code.padEnd(6)} ${o.result.padEnd(9)} ${o.result === 'done' ? `${o.tracks} face track(s)` : (o.error ?? '')}`);
  return `${lines.join('\n')}\n`;
}

function listText(faces: ClipFaces): string {
  if (faces.scannedAt === null) return `${faces.code} has not been analysed for faces (its proxy is a full mosaic).\n`;
  const head = `${faces.code}: ${faces.tracks.length} face track(s); ${faces.confirmedAt ? `confirmed ${faces.confirmedAt}` : 'not confirmed by a person yet'}\n`;
  const lines = faces.tracks.map(
    (t) => `  ${t.id}  ${seconds(t.from)} – ${seconds(t.to)}  ${t.origin}${t.confirmed ? ', confirmed' : ''}  ${t.subjectId ? `subject ${t.subjectId}` : 'unknown person (covered)'}`,
  );
  return `${head}${lines.join('\n')}${lines.length ? '\n' : ''}`;
}

export const faceCommands: Command[] = [
  {
    words: ['faces', 'scan'],
    usage: 'safehouse faces scan --vault DIR [--clip ID …] [--passphrase-env NAME] [--json]',
    summary: 'Find and track the faces in video clips (all not yet analysed, or those given) and store the tracks.',
    options: { ...vaultOptions, ...jsonOption, clip: { type: 'string', multiple: true } },
    async run(context) {
      const { io, json, safehouse, values } = context;
      const locked = await unlockForCommand(context);
      if (locked !== null) return locked;
      const stop = safehouse.on('faces.progress', (p) => {
        // JSON lines: one progress object per line, then one summary line.
        if (json) io.stdout(`${JSON.stringify({ event: 'progress', ...p })}\n`);
        else if (p.state !== 'analysing') io.stderr(`${p.code || p.clipId} ${p.state}${p.error ? `: ${p.error}` : ''}\n`);
      });
      const clips = values['clip'] as string[] | undefined;
      const result = await safehouse.call('faces.scan', { ...(clips ? { clipIds: clips } : {}), wait: true });
      stop();
      if (!result.ok) return reportFailure(io, json, result);
      const failed = result.value.some((o) => o.result === 'failed' || o.result === 'cancelled');
      if (json) io.stdout(`${JSON.stringify({ event: 'summary', ok: !failed, clips: result.value })}\n`);
      else io.stdout(scanText(result.value));
      return failed ? exitCodes.failed : exitCodes.ok;
    },
  },
  {
    words: ['faces', 'list'],
    usage: 'safehouse faces list --vault DIR --clip ID [--passphrase-env NAME] [--json]',
    summary: "List a clip's face tracks: time range, who they are assigned to, and whether a person confirmed them.",
    options: { ...vaultOptions, ...jsonOption, clip: { type: 'string' } },
    async run(context) {
      const clipId = requireText(context.values, 'clip');
      return runUnlockedCall(context, 'faces.list', { clipId }, {
        text: listText,
        // The documented shape, exactly: seconds, and 0–1 of the frame with a top-left origin.
        json: (faces) => ({
          tracks: faces.tracks.map((t) => ({ id: t.id, subjectId: t.subjectId, keyframes: t.keyframes.map(({ t: time, x, y, w, h }) => ({ t: time, x, y, w, h })) })),
        }),
      });
    },
  },
  {
    words: ['faces', 'assign'],
    usage: 'safehouse faces assign --vault DIR --clip ID --track ID --subject ID [--passphrase-env NAME] [--json]',
    summary: "Say whose face a track is: it becomes the subject's appearance, and their consent decides if it is shown.",
    options: { ...vaultOptions, ...jsonOption, clip: { type: 'string' }, track: { type: 'string' }, subject: { type: 'string' } },
    async run(context) {
      const { values } = context;
      const input = { clipId: requireText(values, 'clip'), trackId: requireText(values, 'track'), subjectId: requireText(values, 'subject') };
      return runUnlockedCall(context, 'faces.assign', input, {
        text: (track) => `Track ${track.id} is now subject ${track.subjectId ?? '(none)'} in this clip (appearance ${track.appearanceId ?? '-'}).\n`,
        json: (track) => ({ ok: true, track }),
      });
    },
  },
  {
    words: ['faces', 'confirm'],
    usage: 'safehouse faces confirm --vault DIR --clip ID [--passphrase-env NAME] [--json]',
    summary: "Record that a person checked the clip's face tracks (and so who appears in it).",
    options: { ...vaultOptions, ...jsonOption, clip: { type: 'string' } },
    async run(context) {
      const clipId = requireText(context.values, 'clip');
      if (context.positionals.length > 0) throw new UsageError('faces confirm takes no arguments.');
      return runUnlockedCall(context, 'faces.confirm', { clipId }, {
        text: (report) => `${report.code}: face tracks confirmed; the clip is ${report.safety}.\n${report.reasons.map((r) => `  - ${r.message}\n`).join('')}`,
        json: (report) => ({ ok: true, report }),
      });
    },
  },
];
