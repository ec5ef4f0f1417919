import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { SafehouseError } from '../../../shared/errors';
import { parseProbe, type ProbeResult } from './ffprobe-parse';
import type { MediaTools } from './media-tools';
import { isLoopbackUrl, lastLine, mediaInputArg, runTool } from './run-tool';
import { transientToolFailure } from './tool-failure';

const PROBE_ARGS = ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', '-show_chapters', '-show_programs'];

function check(run: Awaited<ReturnType<typeof runTool>>, path?: string): ProbeResult {
  // A hung or crashed ffprobe says nothing about the file: that is retried, never a verdict on the clip.
  const transient = transientToolFailure(run);
  if (transient) throw transient;
  if (run.code !== 0) {
    throw new SafehouseError('NOT_MEDIA', undefined, { cause: new Error(`ffprobe: ${lastLine(run.stderr, path)}`) });
  }
  const result = parseProbe(run.stdout.toString('utf8'));
  // ffprobe accepts some garbage as "tty" / raw formats with zero streams; that is not media either.
  if (result.streams.length === 0) throw new SafehouseError('NOT_MEDIA');
  return result;
}

/** ffprobe of a file on the card (read-only). Empty, truncated or non-media input → NOT_MEDIA. */
export async function probeFile(tools: MediaTools, path: string, timeoutMs = 30_000): Promise<ProbeResult> {
  const abs = isLoopbackUrl(path) ? path : resolve(path);
  const run = await runTool(tools.ffprobe, [...PROBE_ARGS, '-i', mediaInputArg(abs)], { timeoutMs });
  return check(run, abs);
}

/**
 * ffprobe of bytes that must never touch disk (sanitized output): fed through stdin. For fragmented MP4
 * the head (moov + first fragments) is enough to see every stream and tag.
 */
export async function probeStream(tools: MediaTools, input: Buffer | Readable, timeoutMs = 30_000): Promise<ProbeResult> {
  const run = await runTool(tools.ffprobe, [...PROBE_ARGS, '-i', 'pipe:0'], { input, timeoutMs });
  return check(run);
}
