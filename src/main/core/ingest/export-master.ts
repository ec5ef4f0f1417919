import type { ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { open, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { SafehouseError } from '../../../shared/errors';
import type { MediaTools } from '../media/media-tools';
import type { UnlockedVault } from '../vault/vault';
import { appendAudit } from '../audit/audit-log';
import { defaultToolLimits, guardStall, spawnTool } from '../media/tool-process';

/**
 * Writes the decrypted, sanitized master of a clip as an ordinary file (audio/video re-muxed from the
 * vault's fragmented MP4/MOV into a regular one with the index at the front). This is a deliberate
 * plaintext export to a place the user chose; quarantined clips are never exported, and a failed
 * integrity check removes the partial file.
 */
export async function exportMaster(vault: UnlockedVault, tools: MediaTools, clipId: string, outPath: string): Promise<{ path: string; bytes: number }> {
  const catalog = await vault.catalog();
  const row = await catalog.get<{ status: string; reason: string | null; kind: string; master_object_id: string | null; code: string }>(
    'SELECT status, reason, kind, master_object_id, code FROM clips WHERE id = ?',
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

  // Logged before the first decrypted byte is written: an export that is killed half-way still left plaintext
  // footage outside the vault, and the log must show it. The outcome follows in a second entry.
  await appendAudit(vault, 'export.master', { clip: clipId, code: row.code });
  try {
    if (row.kind === 'still') await writeStill(vault, row.master_object_id, target);
    else await remux(vault, tools, row.master_object_id, target);
  } catch (error) {
    await rm(target, { force: true });
    await appendAudit(vault, 'export.master-failed', { clip: clipId }).catch(() => undefined);
    throw error;
  }
  const bytes = (await stat(target)).size;
  await appendAudit(vault, 'export.master-done', { clip: clipId, bytes });
  return { path: target, bytes };
}

async function writeStill(vault: UnlockedVault, objectId: string, target: string): Promise<void> {
  const { data } = await vault.readObject(objectId);
  const handle = await open(target, 'wx');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function remux(vault: UnlockedVault, tools: MediaTools, objectId: string, target: string): Promise<void> {
  const args = ['-hide_banner', '-nostdin', '-loglevel', 'error', '-i', 'pipe:0', '-map', '0', '-c', 'copy', '-map_metadata', '-1', '-fflags', '+bitexact', '-flags:v', '+bitexact', '-flags:a', '+bitexact', '-movflags', '+faststart', '-f', path.extname(target).toLowerCase() === '.mov' ? 'mov' : 'mp4', '-n', target];
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
