import type { MediaTools } from './media-tools';
import { mediaInputArg, runTool } from './run-tool';
import { transientToolFailure } from './tool-failure';

const MAX_TRACK_BYTES = 32 * 1024 * 1024;

/**
 * Payload of a subtitle track (as SRT text) or a data track (raw bytes, e.g. GoPro GPMF, timed metadata)
 * as latin1 text, for the coordinate scan. Output goes to a pipe, never a file.
 */
export async function extractTrackText(tools: MediaTools, absPath: string, streamIndex: number, type: 'subtitle' | 'data'): Promise<string> {
  const fmt = type === 'subtitle' ? ['-f', 'srt'] : ['-c', 'copy', '-f', 'data'];
  const run = await runTool(
    tools.ffmpeg,
    ['-hide_banner', '-nostdin', '-loglevel', 'error', '-i', mediaInputArg(absPath), '-map', `0:${streamIndex}`, ...fmt, 'pipe:1'],
    { timeoutMs: 60_000, maxStdout: MAX_TRACK_BYTES },
  );
  // A hung or crashed ffmpeg is retried by the next run; it says nothing about the file.
  const transient = transientToolFailure(run);
  if (transient) throw transient;
  // A subtitle codec ffmpeg cannot turn into SRT (bitmap subs) yields nothing to read; the track is dropped anyway.
  return run.stdout.toString(type === 'subtitle' ? 'utf8' : 'latin1');
}
