import { SafehouseError } from '../../../shared/errors';
import { ToolUnavailable, withMemoryFiles } from './memory-file';
import type { MediaTools } from './media-tools';
import { whichSync } from './media-tools';
import { fileUrlArg, lastLine, runTool } from './run-tool';

/** A 16-bit 50-megapixel PNG is ~300 MB; anything larger than this is not a photo we can hold in memory. */
const MAX_DECODED_BYTES = 768 * 1024 * 1024;
const TIMEOUT_MS = 180_000;

const cannot = (why: string) => new SafehouseError('CANNOT_SANITIZE', undefined, { cause: new Error(why) });

/** Optional Debian tools for stills; a missing one turns into a clear reason, never a silent skip. */
function tool(name: string, debianPackage: string): string {
  const found = whichSync(name);
  if (!found) throw new SafehouseError('CANNOT_SANITIZE', undefined, { cause: new ToolUnavailable(`${name} is not installed (Debian/Ubuntu: apt-get install ${debianPackage})`) });
  return found;
}

/**
 * ffmpeg filters that turn the stored pixels upright for an EXIF orientation (TIFF tag 274):
 * 2 mirror, 3 rotate 180, 4 flip, 5 transpose, 6 rotate 90 clockwise, 7 transverse, 8 rotate 90 anticlockwise.
 */
export function orientationFilters(orientation: number): string[] {
  const table: Record<number, string[]> = {
    2: ['hflip'], 3: ['hflip', 'vflip'], 4: ['vflip'], 5: ['transpose=cclock_flip'], 6: ['transpose=clock'], 7: ['transpose=clock_flip'], 8: ['transpose=cclock'],
  };
  return table[orientation] ?? [];
}

/** The same for jpegtran, which turns JPEG blocks without decoding them (lossless). */
export function jpegtranArgs(orientation: number): string[] {
  const table: Record<number, string[]> = {
    2: ['-flip', 'horizontal'], 3: ['-rotate', '180'], 4: ['-flip', 'vertical'], 5: ['-transpose'], 6: ['-rotate', '90'], 7: ['-transverse'], 8: ['-rotate', '270'],
  };
  return table[orientation] ?? [];
}

/**
 * Decodes one picture with ffmpeg and writes it as PNG to stdout (ffmpeg's PNG encoder writes no text
 * chunks; it keeps 16-bit and alpha), upright. `demuxer` is forced so the bytes are never probed as another
 * format. Input comes through stdin, or for TIFF and JPEG XL (whose decoders must seek; TIFF directories
 * are often at the end) from a file on a memory file system.
 */
export async function decodeToPng(tools: MediaTools, bytes: Buffer, demuxer: string, orientation: number, options: { seekable?: boolean } = {}): Promise<Buffer> {
  const filters = orientationFilters(orientation);
  const args = (input: string) => [
    // -noautorotate: ffmpeg's JPEG decoder reads the EXIF orientation itself; the turn is applied once, here.
    '-hide_banner', '-nostdin', '-loglevel', 'error', '-noautorotate', '-f', demuxer, '-i', input, '-map', '0:v:0', '-frames:v', '1',
    ...(filters.length ? ['-vf', filters.join(',')] : []), '-map_metadata', '-1', '-fflags', '+bitexact', '-flags', '+bitexact',
    '-c:v', 'png', '-f', 'image2pipe', 'pipe:1',
  ];
  const limits = { timeoutMs: TIMEOUT_MS, maxStdout: MAX_DECODED_BYTES };
  const run = options.seekable
    ? (await withMemoryFiles(bytes, '.bin', 'unused', (input) => runTool(tools.ffmpeg, args(fileUrlArg(input)), limits))).result
    : await runTool(tools.ffmpeg, args('pipe:0'), { input: bytes, ...limits });
  if (run.timedOut) throw cannot('decoding the picture took too long');
  if (run.truncated) throw cannot('the decoded picture is too large to hold in memory');
  if (run.code !== 0 || run.stdout.length === 0) throw cannot(`ffmpeg could not decode it: ${lastLine(run.stderr)}`);
  return run.stdout;
}

/** Lossless JPEG rotation; null when the picture's size is not a whole number of JPEG blocks (-perfect). */
export async function rotateJpeg(bytes: Buffer, orientation: number): Promise<Buffer | null> {
  const jpegtran = tool('jpegtran', 'libjpeg-turbo-progs');
  const run = await runTool(jpegtran, ['-copy', 'none', '-perfect', ...jpegtranArgs(orientation)], { input: bytes, timeoutMs: TIMEOUT_MS, maxStdout: MAX_DECODED_BYTES });
  if (run.code !== 0 || run.truncated || run.stdout.length === 0) return null;
  return run.stdout;
}

/**
 * HEIC/HEIF/AVIF through libheif (heif-convert), which applies the container's rotation and mirror
 * properties itself (HEIF's EXIF orientation is informational and must not be applied again).
 */
export async function heifToPng(bytes: Buffer): Promise<Buffer> {
  const heifConvert = tool('heif-convert', 'libheif-examples');
  const { result, output } = await withMemoryFiles(bytes, '.heic', 'out.png', (input, out) => runTool(heifConvert, ['--quiet', input, out], { timeoutMs: TIMEOUT_MS }));
  if (result.code !== 0 || !output || output.length === 0) throw cannot(`libheif could not decode it: ${lastLine(result.stderr) || `exit ${result.code}`}`);
  return output;
}

/**
 * Camera raw through libraw (dcraw_emu): camera white balance, sRGB, 16 bits per channel, turned upright by
 * the raw's own orientation, as PPM on stdout (the format has no metadata), then PNG via ffmpeg.
 */
export async function rawToPng(tools: MediaTools, bytes: Buffer, ext: string): Promise<Buffer> {
  const dcraw = tool('dcraw_emu', 'libraw-bin');
  const { result } = await withMemoryFiles(bytes, ext, 'unused', (input) => runTool(dcraw, ['-w', '-6', '-o', '1', '-Z', '-', input], { timeoutMs: TIMEOUT_MS, maxStdout: MAX_DECODED_BYTES }));
  if (result.truncated) throw cannot('the developed raw is too large to hold in memory');
  if (result.code !== 0 || !result.stdout.subarray(0, 2).equals(Buffer.from('P6'))) throw cannot(`libraw could not read this raw: ${lastLine(result.stderr) || `exit ${result.code}`}`);
  return decodeToPng(tools, result.stdout, 'ppm_pipe', 1);
}
