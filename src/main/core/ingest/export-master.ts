import type { ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { open, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { SafehouseError } from '../../../shared/errors';
import type { StreamSummary } from '../../../shared/model';
import { exportExtensionsFor, exportPlanFor, type ExportPlan } from '../media/containers';
import type { MediaTools } from '../media/media-tools';
import { stillFormat } from '../media/still-master';
import { exportTimecode } from './timecode-policy';
import type { UnlockedVault } from '../vault/vault';
import { appendAudit } from '../audit/audit-log';
import { defaultToolLimits, guardStall, spawnTool } from '../media/tool-process';

/**
 * Writes the decrypted, sanitized master of a clip as an ordinary file (audio/video re-muxed from the
 * vault's fragmented MP4/MOV/MKV into the container the extension names — MOV/MP4 with the index at the
 * front, MKV, or WAV/AIFF/FLAC/MP3 for sound — with the camera's start timecode where the container has
 * a place for it). An extension that cannot hold the streams is refused before any file is created. This is a deliberate
 * plaintext export to a place the user chose; quarantined clips are never exported, and a failed
 * integrity check removes the partial file.
 */
export async function exportMaster(vault: UnlockedVault, tools: MediaTools, clipId: string, outPath: string): Promise<{ path: string; bytes: number }> {
  const catalog = await vault.catalog();
  const row = await catalog.get<{ status: string; reason: string | null; kind: string; master_object_id: string | null; code: string; streams_json: string | null }>(
    'SELECT status, reason, kind, master_object_id, code, streams_json FROM clips WHERE id = ?',
    [clipId],
  );
  if (!row) throw new SafehouseError('NOT_FOUND', `No clip with id ${clipId} in this vault.`);
  if (row.status !== 'verified' || !row.master_object_id) {
    throw new SafehouseError('NOT_SAFE', `${row.code} is ${row.status}${row.reason ? ` (${row.reason})` : ''}; only verified, cleaned clips can be exported.`);
  }
  if (!vault.info.canOpen.master) throw new SafehouseError('KEY_CLASS_UNAVAILABLE', 'Masters are sealed to HQ; this vault cannot open them.');
  const target = path.resolve(outPath);
  if (isInside(path.resolve(vault.info.dir), target)) throw new SafehouseError('INVALID_INPUT', 'Export outside the vault folder, not into it.');
  if (await stat(target).catch(() => null)) throw new SafehouseError('INVALID_INPUT', `${target} already exists; choose a new file name.`);
  // Decided before any file exists: an extension whose container cannot hold these streams is refused.
  const plan = row.kind === 'still' ? null : planFor(row.code, row.streams_json, target);
  const timecode = plan ? await exportTimecode(vault, clipId) : null;

  // Logged before the first decrypted byte is written: an export that is killed half-way still left plaintext
  // footage outside the vault, and the log must show it. The outcome follows in a second entry.
  await appendAudit(vault, 'export.master', { clip: clipId, code: row.code });
  let bytes = 0;
  try {
    if (plan) await remux(vault, tools, row.master_object_id, target, plan, timecode);
    else await writeStill(vault, row.master_object_id, target);
    bytes = (await stat(target)).size;
    if (bytes === 0) throw new SafehouseError('INTERNAL', `ffmpeg wrote an empty file for ${row.code}; nothing was exported.`);
  } catch (error) {
    // Never leave a partial or empty file behind: the user would take it for the export.
    await rm(target, { force: true });
    await appendAudit(vault, 'export.master-failed', { clip: clipId }).catch(() => undefined);
    throw error;
  }
  await appendAudit(vault, 'export.master-done', { clip: clipId, bytes });
  return { path: target, bytes };
}

function planFor(code: string, streamsJson: string | null, target: string): ExportPlan {
  const streams = JSON.parse(streamsJson ?? '[]') as StreamSummary[];
  const video = streams.find((s) => s.type === 'video')?.codec;
  const audio = streams.filter((s) => s.type === 'audio').map((s) => s.codec);
  const ext = path.extname(target).toLowerCase();
  const plan = exportPlanFor(ext, video, audio);
  if (plan) return plan;
  const fits = exportExtensionsFor(video, audio);
  throw new SafehouseError('INVALID_INPUT', `A ${ext || 'file without an extension'} file cannot hold ${code}'s ${[video, ...audio].filter(Boolean).join(' + ')} without re-encoding; name the export with one of: ${fits.join(', ')}.`);
}

// Extensions that name each clean still format (a HEIC or raw is stored as PNG: it is exported as one).
const STILL_EXTENSIONS: Record<string, string[]> = { jpeg: ['.jpg', '.jpeg'], png: ['.png'], gif: ['.gif'], webp: ['.webp'] };

async function writeStill(vault: UnlockedVault, objectId: string, target: string): Promise<void> {
  const { data } = await vault.readObject(objectId);
  const format = stillFormat(data, path.extname(target));
  const fits = (format && STILL_EXTENSIONS[format]) || [];
  if (!fits.includes(path.extname(target).toLowerCase())) {
    throw new SafehouseError('INVALID_INPUT', `This photo's clean master is ${format ? format.toUpperCase() : 'of an unknown format'}; name the export with ${fits.join(' or ') || 'its format'}.`);
  }
  const handle = await open(target, 'wx');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function remux(vault: UnlockedVault, tools: MediaTools, objectId: string, target: string, plan: ExportPlan, timecode: string | null): Promise<void> {
  const args = [
    '-hide_banner', '-nostdin', '-loglevel', 'error', '-i', 'pipe:0', '-map', '0', ...plan.codecArgs,
    '-map_metadata', '-1', '-fflags', '+bitexact', '-flags:v', '+bitexact', '-flags:a', '+bitexact',
    // The camera's start timecode, for the editor's conform (unless HQ chose to drop it for this vault).
    ...(timecode ? ['-timecode', timecode] : []),
    ...plan.muxArgs, '-f', plan.format, '-n', target,
  ];
  // Own process group under the watchdog, killed when it stops moving bytes (tool-process.ts).
  const tool = spawnTool(tools.ffmpeg, args, ['pipe', 'ignore', 'pipe']);
  const child = tool.child as ChildProcessByStdio<Writable, null, Readable>;
  guardStall(tool, (tools.limits ?? defaultToolLimits).stallMs);
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    if (stderr.length < 8192) stderr += chunk.toString('utf8');
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', (cause) => reject(new SafehouseError('FFMPEG_MISSING', undefined, { cause })));
    child.on('close', resolve);
  });
  child.stdin.on('error', () => undefined);
  try {
    for await (const chunk of vault.streamObject(objectId)) {
      if (!child.stdin.write(chunk)) await new Promise((resolve) => child.stdin.once('drain', resolve));
    }
    child.stdin.end();
  } catch (error) {
    tool.killGroup();
    await exited.catch(() => undefined);
    throw error;
  }
  const code = await exited;
  if (code !== 0) throw new SafehouseError('INTERNAL', `ffmpeg could not write the export: ${stderr.trim().split('\n').pop() ?? code}`);
}

function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}
