import type { MediaTools } from '../../src/main/core/media/media-tools';
import { runTool } from '../../src/main/core/media/run-tool';

/**
 * Measures a proxy against the true face boxes of the generated clip (scripts/fixtures/make-face-clip.mjs),
 * frame by frame, on pixels: a labelled face counts as covered only when every pixel of its box is black in
 * the proxy. Both the proxy and the master are decoded in memory to gray frames of the proxy's size.
 */

export interface TruthFace { id: string; x: number; y: number; w: number; h: number; visible: number }
export interface TruthFrame { t: number; faces: TruthFace[] }

export interface Coverage {
  /** Labelled (at least partly visible) faces, summed over frames. */
  labelled: number;
  covered: number;
  /** Share of the frame area away from faces (and not already dark) that the proxy masks. */
  maskedNonFace: number;
  /** The first few faces left uncovered, for the failure message. */
  misses: { frame: number; id: string; uncovered: number }[];
}

/** Mask pixels are black (drawbox) before encoding; x264 keeps them well under this luma. */
const DARK = 48;
/** A box's outermost pixels are left out: label rounding and chroma subsampling blur one pixel. */
const INSET = 2;

export async function grayFrames(tools: MediaTools, bytes: Buffer, width: number, height: number): Promise<Buffer[]> {
  const run = await runTool(tools.ffmpeg, ['-hide_banner', '-loglevel', 'error', '-i', 'pipe:0', '-vf', `scale=${width}:${height}:flags=bicubic`, '-f', 'rawvideo', '-pix_fmt', 'gray', 'pipe:1'], {
    input: bytes,
    timeoutMs: 600_000,
    maxStdout: 4 * 1024 ** 3, // every frame is needed: the default cap would silently drop the later ones
  });
  if (run.code !== 0) throw new Error(`ffmpeg: ${run.stderr}`);
  const size = width * height;
  const frames: Buffer[] = [];
  for (let offset = 0; offset + size <= run.stdout.length; offset += size) frames.push(run.stdout.subarray(offset, offset + size));
  return frames;
}

/** The burned-in clip code / timecode (top left) and CONFIDENTIAL (bottom centre) are drawn over any mask. */
function burnIn(x: number, y: number, width: number, height: number): boolean {
  return (y < height * 0.13 && x < width * 0.6) || (y > height - (height / 14 + 40) && x > width * 0.15 && x < width * 0.85);
}

export function measureCoverage(proxy: readonly Buffer[], master: readonly Buffer[], truth: readonly TruthFrame[], width: number, height: number): Coverage {
  const result: Coverage = { labelled: 0, covered: 0, maskedNonFace: 0, misses: [] };
  let away = 0;
  let maskedAway = 0;
  const frames = Math.min(proxy.length, master.length, truth.length);
  for (let n = 0; n < frames; n += 1) {
    const p = proxy[n]!;
    const m = master[n]!;
    const boxes = truth[n]!.faces.map((f) => ({
      face: f,
      x0: Math.floor(f.x * width), y0: Math.floor(f.y * height), x1: Math.ceil((f.x + f.w) * width), y1: Math.ceil((f.y + f.h) * height),
    }));
    for (const { face, x0, y0, x1, y1 } of boxes) {
      if (face.visible <= 0) continue;
      let uncovered = 0;
      for (let y = y0 + INSET; y < y1 - INSET; y += 1) {
        for (let x = x0 + INSET; x < x1 - INSET; x += 1) {
          if (!burnIn(x, y, width, height) && p[y * width + x]! > DARK) uncovered += 1;
        }
      }
      result.labelled += 1;
      if (uncovered === 0) result.covered += 1;
      else if (result.misses.length < 20) result.misses.push({ frame: n, id: face.id, uncovered });
    }
    // Away from faces: sample every other pixel; pixels dark in the master say nothing about the mask.
    for (let y = 0; y < height; y += 2) {
      for (let x = 0; x < width; x += 2) {
        if (burnIn(x, y, width, height) || m[y * width + x]! <= DARK + 20) continue;
        if (boxes.some((b) => x >= b.x0 && x < b.x1 && y >= b.y0 && y < b.y1)) continue;
        away += 1;
        if (p[y * width + x]! <= DARK) maskedAway += 1;
      }
    }
  }
  result.maskedNonFace = away > 0 ? maskedAway / away : 0;
  return result;
}
