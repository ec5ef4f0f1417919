import type { ExportResult, ProxyStatus } from '../../shared/model';
import { displayName } from '../../shared/display-text';
import { exitCodes, UsageError } from './cli-io';
import { type Command, jsonOption, vaultOptions } from './command';
import { printJson, reportFailure } from './output';
import { unlockForCommand } from './vault-commands';

function clipIdsFrom(values: Record<string, unknown>): string[] | undefined {
  const clips = values['clip'];
  if (clips === undefined) return undefined;
  return Array.isArray(clips) ? (clips as string[]) : [String(clips)];
}

function exportText(result: ExportResult): string {
  const lines = result.exported.map((clip) => `  exported  ${clip.code}  ${displayName(clip.file)}  (${clip.mode === 'none' ? 'not masked' : `masked: ${clip.mode}`})`);
  for (const clip of result.refused) lines.push(`  REFUSED   ${clip.code || clip.clipId}  ${clip.reason}`);
  if (result.manifestFile) lines.push(`${result.exported.length} proxies and manifest.csv written to ${result.outDir} (export ${result.exportId}).`);
  else lines.push('Nothing was exported.');
  if (result.refused.length > 0) lines.push(`${result.refused.length} clip(s) were not exported: they are not cleared for an editor. See the reasons above.`);
  return `${lines.join('\n')}\n`;
}

function statusText(statuses: ProxyStatus[]): string {
  const lines = statuses.map((s) => `  ${s.code.padEnd(6)} ${s.state.padEnd(9)} ${s.mode ?? ''}${s.error ? `  ${s.error}` : ''}`);
  return `${lines.join('\n')}${lines.length ? '\n' : 'No clips need a proxy.\n'}`;
}

export const exportCommands: Command[] = [
  {
    words: ['export', 'proxies'],
    usage: 'safehouse export proxies --vault DIR --out DIR [--clip ID …] [--to RECIPIENT] [--passphrase-env NAME] [--json]',
    summary: 'Export anonymised proxies of cleared clips, with a CSV manifest, for an editor. Every export is recorded.',
    options: { ...vaultOptions, ...jsonOption, out: { type: 'string' }, clip: { type: 'string', multiple: true }, to: { type: 'string' } },
    async run(context) {
      const { io, json, safehouse, values } = context;
      const out = values['out'];
      if (typeof out !== 'string' || out === '') throw new UsageError('--out DIR is required: the folder the proxies are written to (outside the vault).');
      const locked = await unlockForCommand(context);
      if (locked !== null) return locked;
      const stop = safehouse.on('export.progress', (p) => {
        if (!json) io.stderr(`[${p.done}/${p.total}] ${p.code}\n`);
      });
      const clipIds = clipIdsFrom(values);
      const to = values['to'];
      const result = await safehouse.call('export.proxies', { outDir: out, ...(clipIds ? { clipIds } : {}), ...(typeof to === 'string' ? { recipient: to } : {}) });
      stop();
      if (!result.ok) return reportFailure(io, json, result);
      if (json) printJson(io, { ok: result.value.refused.length === 0, ...result.value });
      else io.stdout(exportText(result.value));
      return result.value.refused.length > 0 ? exitCodes.failed : exitCodes.ok;
    },
  },
  {
    words: ['proxies', 'build'],
    usage: 'safehouse proxies build --vault DIR [--clip ID …] [--passphrase-env NAME] [--json]',
    summary: 'Make or refresh the anonymised proxies (all clips, or those given) and wait for them.',
    options: { ...vaultOptions, ...jsonOption, clip: { type: 'string', multiple: true } },
    async run(context) {
      const { io, json, safehouse, values } = context;
      const locked = await unlockForCommand(context);
      if (locked !== null) return locked;
      const stop = safehouse.on('proxy.progress', (p) => {
        if (json) io.stdout(`${JSON.stringify({ event: 'progress', ...p })}\n`);
        else if (p.state !== 'building') io.stderr(`${p.code || p.clipId} ${p.state}${p.error ? `: ${p.error}` : ''}\n`);
      });
      const clipIds = clipIdsFrom(values);
      const result = await safehouse.call('proxies.build', { ...(clipIds ? { clipIds } : {}), wait: true });
      stop();
      if (!result.ok) return reportFailure(io, json, result);
      if (json) io.stdout(`${JSON.stringify({ event: 'summary', ok: true, proxies: result.value })}\n`);
      else io.stdout(statusText(result.value));
      return result.value.some((s) => s.state === 'failed' || s.state === 'missing' || s.state === 'stale') ? exitCodes.failed : exitCodes.ok;
    },
  },
];
