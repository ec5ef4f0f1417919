import type { ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { SafehouseError } from '../../../shared/errors';
import { appendAudit } from '../audit/audit-log';
import type { UnlockedVault } from '../vault/vault';
import type { MediaTools } from './media-tools';
import { defaultToolLimits, guardStall, spawnTool } from './tool-process';

const MAX_FRAME_BYTES = 8 * 1024 * 1024;

/**
 * One unmasked frame of the sanitized master, for the producer drawing face boxes: the proxy hides the
 * whole frame until someone has reviewed the clip, so without this they would draw blind. Only a vault
 * that can open masters gets it; it is decoded through pipes into memory, never saved, and every view is
 * written to the audit log.
 */
/** Part of the frame only (0–1 of it), and whether it is shown as a coarse mosaic (not a view of a face). */
export interface FrameView {
  crop: { x: number; y: number; w: number; h: number };
  masked: boolean;
}

/** The filter for a view: the crop, then either a 12-block mosaic (pixelation, not blur) or a readable size. */
export function frameViewFilter(view: FrameView | undefined): string {
  if (!view) return 'scale=960:-2';
  const { x, y, w, h } = view.crop;
  const crop = `crop=iw*${w.toFixed(4)}:ih*${h.toFixed(4)}:iw*${x.toFixed(4)}:ih*${y.toFixed(4)}`;
  return view.masked ? `${crop},scale=12:-2:flags=area,scale=192:-2:flags=neighbor` : `${crop},scale=192:-2`;
}

export async function reviewFrame(vault: UnlockedVault, tools: MediaTools, clipId: string, seconds: number, view?: FrameView): Promise<{ mime: 'image/jpeg'; base64: string }> {
  if (!vault.info.canOpen.master) throw new SafehouseError('KEY_CLASS_UNAVAILABLE', 'Unmasked frames are for HQ: this vault cannot open the masters.');
  const catalog = await vault.catalog();
  const clip = await catalog.get<{ code: string; kind: string; status: string; master_object_id: string | null }>(
    'SELECT code, kind, status, master_object_id FROM clips WHERE id = ?',
    [clipId],
  );
  if (!clip) throw new SafehouseError('NOT_FOUND', `No clip with id ${clipId} in this vault.`);
  if (clip.kind !== 'video' || clip.status !== 'verified' || !clip.master_object_id) {
    throw new SafehouseError('NOT_SAFE', `${clip.code} has no verified, cleaned video to show.`);
  }
  // Own process group under the watchdog, killed when it stops moving bytes (tool-process.ts).
  const tool = spawnTool(
    tools.ffmpeg,
    ['-hide_banner', '-nostdin', '-loglevel', 'error', '-i', 'pipe:0', '-ss', seconds.toFixed(3), '-frames:v', '1', '-vf', frameViewFilter(view), '-f', 'image2pipe', '-c:v', 'mjpeg', '-q:v', '3', 'pipe:1'],
    ['pipe', 'pipe', 'ignore'],
  );
  const child = tool.child as ChildProcessByStdio<Writable, Readable, null>;
  guardStall(tool, (tools.limits ?? defaultToolLimits).stallMs);
  const chunks: Buffer[] = [];
  let size = 0;
  child.stdout.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size <= MAX_FRAME_BYTES) chunks.push(chunk);
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', (cause) => reject(new SafehouseError('FFMPEG_MISSING', undefined, { cause })));
    child.on('close', resolve);
  });
  let stdinOpen = true;
  child.stdin.on('error', () => (stdinOpen = false)); // ffmpeg stops reading once it has its frame
  child.stdin.on('close', () => (stdinOpen = false));
  try {
    for await (const chunk of vault.streamObject(clip.master_object_id)) {
      if (!stdinOpen) break;
      if (!child.stdin.write(chunk)) await new Promise((resolve) => child.stdin.once('drain', resolve).once('close', resolve));
    }
  } catch (error) {
    tool.killGroup();
    await exited.catch(() => undefined);
    chunks.length = 0;
    throw error;
  }
  child.stdin.end();
  const code = await exited;
  const jpeg = Buffer.concat(chunks);
  if (code !== 0 || jpeg.length === 0 || size > MAX_FRAME_BYTES) throw new SafehouseError('NOT_FOUND', `No frame at ${seconds.toFixed(1)} s in ${clip.code}.`);
  // A mosaic of a face shows nobody; every unmasked view is a person looking at footage, and is audited.
  if (!view?.masked) await appendAudit(vault, 'clip.view-unmasked', { clip: clip.code, seconds: Math.round(seconds * 10) / 10 });
  return { mime: 'image/jpeg', base64: jpeg.toString('base64') };
}
