/**
 * Tells a tool that failed for a passing reason (killed by a signal, crashed, hung, out of memory, the card
 * failing under it) from a tool that read the file and said it is not usable. Only the second may
 * quarantine a clip: the first leaves it failed, and the next run tries again.
 */
import { SafehouseError } from '../../../shared/errors';

export interface ToolExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  stderr: string;
}

// What ffmpeg and ffprobe print when the system, not the file, is the problem.
const READ_ERROR = /Input\/output error/i;
const SYSTEM_TROUBLE = /Cannot allocate memory|Resource temporarily unavailable|No space left on device|Too many open files/i;

/** A transient tool failure as a SafehouseError, or null when the tool ended normally (success or its verdict). */
export function transientToolFailure(exit: ToolExit): SafehouseError | null {
  if (exit.timedOut) return new SafehouseError('TOOL_TIMEOUT');
  if (exit.code === 0) return null;
  if (READ_ERROR.test(exit.stderr)) return new SafehouseError('CARD_READ_ERROR');
  // Killed by a signal (a crash, the OOM killer), or a shell-style 128+N, or ffmpeg's 255 ("received signal").
  if (exit.signal !== null || (exit.code !== null && exit.code >= 128) || SYSTEM_TROUBLE.test(exit.stderr)) return new SafehouseError('TOOL_CRASHED');
  return null;
}
