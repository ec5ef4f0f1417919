import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ExportedClip, ExportProgress, ExportRecord, ExportResult } from '../../../shared/model';
import { SafehouseError } from '../../../shared/errors';
import { appendAudit } from '../audit/audit-log';
import { listClips } from '../ingest/clip-queries';
import type { MediaTools } from '../media/media-tools';
import { fileUrlArg, lastLine } from '../media/run-tool';
import { evaluateClips } from '../subjects/safety-report';
import { getProtectionPlan } from '../subjects/protection-plan';
import type { UnlockedVault } from '../vault/vault';
import { manifestCsv } from './manifest';
import { ensureProxies } from './proxy-builder';
import { getProxyRow, getSourceClip, sourceTimecode } from './proxy-store';
import { recordObjects } from '../catalog/objects';
import { defaultToolLimits, guardStall, spawnTool } from '../media/tool-process';

/**
 * The editor's export: only cleared clips leave, as decrypted proxies (that is the point of an export),
 * with a CSV manifest to relink later. Each export is recorded (when, which clips and proxy objects, to
 * whom — sealed) so a later consent withdrawal can list every export that held the subject.
 */

export interface ExportOptions {
  outDir: string;
  clipIds?: readonly string[];
  recipient?: string;
  onProgress?: (progress: ExportProgress) => void;
}

/** Resolves symlinks of the deepest existing ancestor, so "~/vault/../vault/x" and links cannot sneak in. */
async function realish(target: string): Promise<string> {
  const abs = path.resolve(target);
  const rest: string[] = [];
  let cur = abs;
  for (;;) {
    try {
      return path.join(await fs.realpath(cur), ...rest.reverse());
    } catch {
      const parent = path.dirname(cur);
      if (parent === cur) return abs;
      rest.push(path.basename(cur));
      cur = parent;
    }
  }
}

/** Exporting into the vault folder would put plaintext beside the ciphertext it protects. */
export async function assertOutsideVault(outDir: string, vaultDir: string): Promise<void> {
  const out = await realish(outDir);
  const vault = await realish(vaultDir);
  if (out === vault || out.startsWith(vault + path.sep)) {
    throw new SafehouseError('NOT_SAFE', 'The export folder is inside the vault folder. Choose a folder outside the vault.');
  }
}

/**
 * Decrypted proxy → ffmpeg → a classic MP4 with the moov moved to the front (+faststart), which every NLE
 * reads. Stream copy, no metadata. Written to a hidden name and renamed, so a failure leaves no partial file.
 */
async function writeFastStart(vault: UnlockedVault, tools: MediaTools, objectId: string, file: string): Promise<void> {
  const partial = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(4).toString('hex')}.part`);
  const args = ['-hide_banner', '-nostdin', '-loglevel', 'error', '-i', 'pipe:0', '-map', '0', '-c', 'copy', '-map_metadata', '-1', '-map_chapters', '-1',
    '-fflags', '+bitexact', '-flags:v', '+bitexact', '-flags:a', '+bitexact', '-movflags', '+faststart', '-f', 'mp4', '-y', fileUrlArg(partial)];
  // Own process group under the watchdog, killed when it stops moving bytes (tool-process.ts).
  const tool = spawnTool(tools.ffmpeg, args, ['pipe', 'ignore', 'pipe']);
  const child = tool.child;
  guardStall(tool, (tools.limits ?? defaultToolLimits).stallMs);
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => {
    if (stderr.length < 8192) stderr += c.toString('utf8');
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  try {
    const [fed, code] = await Promise.allSettled([pipeline(Readable.from(vault.streamObject(objectId)), child.stdin!), exited]);
    if (fed.status === 'rejected') throw fed.reason;
    if (code.status === 'rejected' || code.value !== 0) {
      throw new SafehouseError('PROXY_FAILED', 'Writing the exported proxy failed.', { cause: new Error(lastLine(stderr, partial)) });
    }
    await fs.rename(partial, file);
  } catch (error) {
    tool.killGroup();
    await fs.rm(partial, { force: true });
    throw error;
  }
}

export async function exportProxies(vault: UnlockedVault, tools: MediaTools, options: ExportOptions): Promise<ExportResult> {
  const outDir = path.resolve(options.outDir);
  await assertOutsideVault(outDir, vault.info.dir);
  const catalog = await vault.catalog();
  const all = await listClips(vault);
  const byId = new Map(all.map((clip) => [clip.id, clip]));
  const refused: ExportResult['refused'] = [];
  const wanted = options.clipIds ? [...new Set(options.clipIds)] : all.map((clip) => clip.id);
  const reasons = new Map((await evaluateClips(vault)).map((report) => [report.clipId, report.reasons]));
  const eligible: string[] = [];
  for (const id of wanted) {
    const clip = byId.get(id);
    if (!clip) {
      refused.push({ clipId: id, code: '', reason: 'no such clip in this vault' });
    } else if (clip.safety !== 'cleared') {
      const why = (reasons.get(id) ?? []).map((r) => r.message).join(' ') || 'nobody has reviewed who appears in it';
      refused.push({ clipId: id, code: clip.code, reason: `${clip.safety}: ${why}` });
    } else if (clip.status !== 'verified' || clip.kind === 'still') {
      refused.push({ clipId: id, code: clip.code, reason: clip.kind === 'still' ? 'photos have no proxies' : `the clip is ${clip.status}` });
    } else {
      eligible.push(id);
    }
  }
  // Bring the proxies of what may leave up to date with the current protection plan before copying any.
  if (eligible.length > 0) await ensureProxies(vault, tools, eligible);

  const exportId = randomBytes(12).toString('hex');
  const exported: (ExportedClip & { objectId: string })[] = [];
  let done = 0;
  for (const id of eligible) {
    const clip = byId.get(id)!;
    const row = await getProxyRow(catalog, id);
    const plan = await getProtectionPlan(vault, id);
    if (plan.excluded) refused.push({ clipId: id, code: clip.code, reason: 'a subject in it is excluded: it gets no proxy' });
    else if (!row) refused.push({ clipId: id, code: clip.code, reason: 'its proxy could not be made' });
    else if (row.plan_fingerprint !== plan.fingerprint) refused.push({ clipId: id, code: clip.code, reason: 'its protection changed and the proxy is not rebuilt yet' });
    else {
      await fs.mkdir(outDir, { recursive: true });
      const file = `${clip.code}.mp4`;
      await writeFastStart(vault, tools, row.object_id, path.join(outDir, file));
      const source = await getSourceClip(catalog, id);
      exported.push({ clipId: id, code: clip.code, file, durationSeconds: clip.durationSeconds, timecode: source ? sourceTimecode(vault, source) : null, mode: row.mode, objectId: row.object_id });
    }
    done += 1;
    options.onProgress?.({ exportId, code: clip.code, done, total: eligible.length });
  }
  if (exported.length === 0) return { exportId: null, outDir, manifestFile: null, exported: [], refused };

  const csv = manifestCsv(exported);
  const manifestFile = path.join(outDir, 'manifest.csv');
  await fs.writeFile(manifestFile, csv, { mode: 0o644 });
  const manifest = await vault.writeObject('proxy', Buffer.from(csv), { role: 'export-manifest' });
  const recipient = options.recipient?.trim() || '(not given)';
  const now = new Date().toISOString();
  await catalog.transaction(async (tx) => {
    await recordObjects(tx, [{ id: manifest.id, cls: 'proxy', plainSize: manifest.plainSize }]);
    await tx.run('INSERT INTO exports (id, created_at, recipient_sealed, manifest_object_id) VALUES (?, ?, ?, ?)', [
      exportId, now, Buffer.from(vault.sealValue('proxy', recipient)), manifest.id,
    ]);
    for (const item of exported) await tx.run('INSERT INTO export_items (export_id, clip_id, proxy_object_id) VALUES (?, ?, ?)', [exportId, item.clipId, item.objectId]);
    // The record and its audit entry commit together. Ids and counts only: the recipient is a typed name.
    await appendAudit(vault, 'export.proxies', { export: exportId, clips: exported.length, refused: refused.length }, tx);
  });
  return { exportId, outDir, manifestFile, exported: exported.map(({ objectId: _objectId, ...rest }) => rest), refused };
}

export async function listExports(vault: UnlockedVault): Promise<ExportRecord[]> {
  const catalog = await vault.catalog();
  const rows = await catalog.all<{ id: string; created_at: string; recipient_sealed: Uint8Array | null; clip_id: string | null; code: string | null }>(
    `SELECT e.id, e.created_at, e.recipient_sealed, i.clip_id, c.code FROM exports e
     LEFT JOIN export_items i ON i.export_id = e.id LEFT JOIN clips c ON c.id = i.clip_id ORDER BY e.created_at DESC, e.id, c.code`,
  );
  const out = new Map<string, ExportRecord>();
  for (const row of rows) {
    let record = out.get(row.id);
    if (!record) {
      let recipient = '(sealed)';
      try {
        recipient = row.recipient_sealed ? vault.openText(row.recipient_sealed) : '(not recorded)';
      } catch {
        /* sealed to a class this vault cannot open */
      }
      record = { id: row.id, createdAt: row.created_at, recipient, clips: [] };
      out.set(row.id, record);
    }
    if (row.clip_id) record.clips.push({ clipId: row.clip_id, code: row.code ?? '' });
  }
  return [...out.values()];
}
