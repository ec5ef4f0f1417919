import { runTool } from '../../../src/main/core/media/run-tool';
import type { MediaTools } from '../../../src/main/core/media/media-tools';
import { findOrCreateCard, insertClip } from '../../../src/main/core/ingest/clip-records';
import type { UnlockedVault } from '../../../src/main/core/vault/vault';

/**
 * Test masters made with lavfi, straight into memory as fragmented MP4 (what the offload stores), then
 * into a vault as a verified clip. Nothing is written to disk in clear.
 */

/** The "face": a white square at a known place of the 1280x720 frame. */
export const FACE = { x: 800, y: 200, w: 200, h: 200 };
export const FACE_BOX = { x: FACE.x / 1280, y: FACE.y / 720, w: FACE.w / 1280, h: FACE.h / 720 };

export interface MasterOptions {
  /** testsrc2 (flat colour bars) or life (fine detail everywhere, like skin and hair). */
  pattern?: 'testsrc2' | 'life';
  seconds?: number;
  size?: string;
  audio?: boolean;
  /** Sine frequency of the audio track. */
  hz?: number;
}

export async function makeMaster(tools: MediaTools, options: MasterOptions = {}): Promise<Buffer> {
  const { pattern = 'testsrc2', seconds = 2, size = '1280x720', audio = true, hz = 440 } = options;
  const video =
    pattern === 'life'
      ? `life=s=${size}:mold=10:r=25:ratio=0.5:death_color=#203040:life_color=#f0e0c0,format=yuv420p`
      : `testsrc2=s=${size}:r=25,drawbox=x=${FACE.x}:y=${FACE.y}:w=${FACE.w}:h=${FACE.h}:color=white:t=fill`;
  const args = ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', video];
  if (audio) args.push('-f', 'lavfi', '-i', `sine=f=${hz}:r=48000`);
  args.push('-t', String(seconds), '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-g', '25');
  if (audio) args.push('-c:a', 'aac', '-b:a', '128k');
  args.push('-metadata', 'title=Secret Interview', '-movflags', 'frag_keyframe+empty_moov+default_base_moof', '-f', 'mp4', 'pipe:1');
  const run = await runTool(tools.ffmpeg, args, { timeoutMs: 60_000 });
  if (run.code !== 0) throw new Error(`ffmpeg: ${run.stderr}`);
  return run.stdout;
}

export async function addVerifiedClip(
  vault: UnlockedVault,
  master: Buffer,
  options: { originalName?: string; durationSeconds?: number; timecode?: string | null } = {},
): Promise<{ id: string; code: string; masterId: string }> {
  const catalog = await vault.catalog();
  const stored = await vault.writeObject('master', master, { role: 'sanitized-master', container: 'mp4' });
  const cardId = await findOrCreateCard(vault, catalog, `card-${Math.random()}`, 'Card in Secret Town');
  const { id, code } = await insertClip(vault, catalog, {
    cardId,
    kind: 'video',
    status: 'pending',
    reason: null,
    originalName: options.originalName ?? 'DCIM/100CAM/Interview_Secret_Town.MP4',
    fileFingerprint: `fp-${Math.random()}`,
    contentKey: null,
    hashes: null,
    sizeBytes: master.length,
    durationSeconds: options.durationSeconds ?? 2,
    streams: [{ type: 'video', codec: 'h264', width: 1280, height: 720 }, { type: 'audio', codec: 'aac', sampleRate: 48000, channels: 1 }],
    objects: [{ id: stored.id, cls: 'master', plainSize: stored.plainSize, role: 'master' }],
    summary: { timecode: options.timecode === undefined ? '10:00:00:00' : options.timecode },
  });
  await catalog.run("UPDATE clips SET status = 'verified', verified_at = ? WHERE id = ?", [new Date().toISOString(), id]);
  return { id, code, masterId: stored.id };
}

/** One decoded frame at `at` seconds as 8-bit gray pixels, optionally scaled: bytes in, bytes out. */
export async function grayFrame(tools: MediaTools, bytes: Buffer, at: number, size?: { width: number; height: number }): Promise<Buffer> {
  const vf = size ? ['-vf', `scale=${size.width}:${size.height}:flags=bicubic`] : [];
  const run = await runTool(tools.ffmpeg, ['-hide_banner', '-loglevel', 'error', '-i', 'pipe:0', '-ss', String(at), ...vf, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'gray', 'pipe:1'], { input: bytes });
  if (run.code !== 0) throw new Error(`ffmpeg: ${run.stderr}`);
  return run.stdout;
}

/** Mono float samples at 48 kHz. */
export async function monoSamples(tools: MediaTools, bytes: Buffer): Promise<Float32Array> {
  const run = await runTool(tools.ffmpeg, ['-hide_banner', '-loglevel', 'error', '-i', 'pipe:0', '-vn', '-ac', '1', '-ar', '48000', '-f', 'f32le', 'pipe:1'], { input: bytes });
  if (run.code !== 0) throw new Error(`ffmpeg: ${run.stderr}`);
  const copy = Buffer.from(run.stdout);
  return new Float32Array(copy.buffer, copy.byteOffset, Math.floor(copy.length / 4));
}

/** Dominant frequency of a (nearly) pure tone by counting upward zero crossings. */
export function toneHz(samples: Float32Array, from: number, to: number, rate = 48000): number {
  let crossings = 0;
  const a = Math.floor(from * rate);
  const b = Math.min(samples.length, Math.floor(to * rate));
  for (let i = a + 1; i < b; i += 1) if (samples[i - 1]! < 0 && samples[i]! >= 0) crossings += 1;
  return crossings / ((b - a) / rate);
}

export function rms(samples: Float32Array, from: number, to: number, rate = 48000): number {
  const a = Math.floor(from * rate);
  const b = Math.min(samples.length, Math.floor(to * rate));
  let sum = 0;
  for (let i = a; i < b; i += 1) sum += samples[i]! * samples[i]!;
  return Math.sqrt(sum / Math.max(1, b - a));
}

export interface Rect { x: number; y: number; w: number; h: number }

/** Mean absolute difference of two gray frames over a rectangle, skipping `exclude` rectangles. */
export function meanAbsDiff(a: Buffer, b: Buffer, width: number, rect: Rect, exclude: Rect[] = []): number {
  let sum = 0;
  let n = 0;
  for (let y = rect.y; y < rect.y + rect.h; y += 1) {
    for (let x = rect.x; x < rect.x + rect.w; x += 1) {
      if (exclude.some((e) => x >= e.x && x < e.x + e.w && y >= e.y && y < e.y + e.h)) continue;
      sum += Math.abs(a[y * width + x]! - b[y * width + x]!);
      n += 1;
    }
  }
  return sum / Math.max(1, n);
}

/** Luma SSIM over non-overlapping 8x8 windows (the classic constants), averaged. */
export function ssim(a: Buffer, b: Buffer, width: number, height: number): number {
  const c1 = (0.01 * 255) ** 2;
  const c2 = (0.03 * 255) ** 2;
  let total = 0;
  let windows = 0;
  for (let y0 = 0; y0 + 8 <= height; y0 += 8) {
    for (let x0 = 0; x0 + 8 <= width; x0 += 8) {
      let ma = 0, mb = 0;
      for (let y = y0; y < y0 + 8; y += 1) for (let x = x0; x < x0 + 8; x += 1) { ma += a[y * width + x]!; mb += b[y * width + x]!; }
      ma /= 64; mb /= 64;
      let va = 0, vb = 0, cov = 0;
      for (let y = y0; y < y0 + 8; y += 1) {
        for (let x = x0; x < x0 + 8; x += 1) {
          const da = a[y * width + x]! - ma;
          const db = b[y * width + x]! - mb;
          va += da * da; vb += db * db; cov += da * db;
        }
      }
      va /= 63; vb /= 63; cov /= 63;
      total += ((2 * ma * mb + c1) * (2 * cov + c2)) / ((ma * ma + mb * mb + c1) * (va + vb + c2));
      windows += 1;
    }
  }
  return total / windows;
}

/** Top-level MP4 box types in order (ftyp, moov, moof, mdat …). */
export function topLevelBoxes(bytes: Buffer): string[] {
  const types: string[] = [];
  let offset = 0;
  while (offset + 8 <= bytes.length && types.length < 10_000) {
    let size = bytes.readUInt32BE(offset);
    const type = bytes.toString('latin1', offset + 4, offset + 8);
    if (size === 1) size = Number(bytes.readBigUInt64BE(offset + 8));
    if (size < 8) break;
    types.push(type);
    offset += size;
  }
  return types;
}
