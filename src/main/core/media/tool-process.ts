/**
 * How every external media tool (ffmpeg, ffprobe) is started and stopped. Each runs in its own process group
 * so a kill reaches whatever it started too, and each group is registered with one small watchdog process
 * per Safehouse process: when Safehouse dies in any way (SIGKILL included, which no handler sees), the
 * watchdog's stdin pipe closes and it kills every group still registered. Node cannot set PR_SET_PDEATHSIG
 * on a child, and a hung ffmpeg left behind by a killed offload would keep reading the card (and its pipes)
 * forever.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Writable } from 'node:stream';

/**
 * The watchdog: reads "+PGID" / "-PGID" lines; at end of input (its parent is gone, or exited normally)
 * kills every group still listed. POSIX sh, no external commands, so it runs before anything else can fail.
 */
const WATCHDOG_SCRIPT = [
  "groups=''",
  'while IFS= read -r line; do',
  '  case "$line" in',
  '    +*) groups="$groups ${line#+}" ;;',
  '    -*) kept=\'\'; for g in $groups; do [ "$g" = "${line#-}" ] || kept="$kept $g"; done; groups=$kept ;;',
  '  esac',
  'done',
  'for g in $groups; do kill -9 "-$g" 2>/dev/null; done',
].join('\n');

let watchdogInput: Writable | null | undefined;

function watchdog(): Writable | null {
  if (watchdogInput !== undefined) return watchdogInput;
  if (process.platform === 'win32' || !existsSync('/bin/sh')) return (watchdogInput = null);
  // Its own process group too: a signal to Safehouse's group (Ctrl-C, a supervisor) must not take the
  // watchdog with it before it has cleaned up.
  const child = spawn('/bin/sh', ['-c', WATCHDOG_SCRIPT], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
  child.on('error', () => undefined);
  child.unref();
  const input = child.stdin!;
  input.on('error', () => undefined);
  (input as unknown as { unref?: () => void }).unref?.(); // never keeps Safehouse running
  return (watchdogInput = input);
}

export interface ToolProcess {
  child: ChildProcess;
  /** SIGKILL to the tool's whole process group; safe to call more than once or after it exited. */
  killGroup(): void;
}

export function spawnTool(cmd: string, args: string[], stdio: SpawnOptions['stdio']): ToolProcess {
  const child = spawn(cmd, args, { stdio, detached: true });
  const pid = child.pid;
  const guard = watchdog();
  if (pid !== undefined) guard?.write(`+${pid}\n`);
  let exited = false;
  child.once('exit', () => {
    exited = true;
    if (pid !== undefined) guard?.write(`-${pid}\n`);
  });
  return {
    child,
    killGroup() {
      if (exited || pid === undefined) return;
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL'); // the group is already gone; the leader may not be
      }
    },
  };
}

/** Limits for one tool run; tests shorten them. */
export interface ToolLimits {
  /** No progress (output or a progress line) for this long: the tool is hung. */
  stallMs: number;
  /** A run may take at least this long, plus the time to read its input at `minBytesPerSecond`. */
  baseMs: number;
  minBytesPerSecond: number;
}

export const defaultToolLimits: ToolLimits = { stallMs: 120_000, baseMs: 60_000, minBytesPerSecond: 2 * 1024 * 1024 };

/** The whole-run timeout for a tool that reads `inputBytes`: generous (2 MB/s is a slow USB 2 card reader). */
export function runTimeoutMs(limits: ToolLimits, inputBytes: number): number {
  // setTimeout takes at most 2^31-1 ms (~24 days); more would fire at once.
  return Math.min(Math.round(limits.baseMs + (inputBytes / limits.minBytesPerSecond) * 1000), 2 ** 31 - 1);
}

/**
 * Kills a tool that has stopped moving: no byte read from its output pipes and no byte written to its stdin
 * for `stallMs`. For runs whose length cannot be known up front (proxies, exports, a frame for review), this
 * is the bound: a working ffmpeg always moves bytes, a hung one never does.
 */
export function guardStall(tool: ToolProcess, stallMs: number): { stalled(): boolean } {
  const pipes = (tool.child.stdio ?? []).filter((pipe): pipe is NonNullable<typeof pipe> => pipe !== null) as unknown as { bytesRead?: number; bytesWritten?: number }[];
  const moved = () => pipes.reduce((total, pipe) => total + (pipe.bytesRead ?? 0) + (pipe.bytesWritten ?? 0), 0);
  let last = moved();
  let lastChange = Date.now();
  let stalled = false;
  const timer = setInterval(() => {
    const now = moved();
    if (now !== last) {
      last = now;
      lastChange = Date.now();
    } else if (Date.now() - lastChange >= stallMs) {
      stalled = true;
      clearInterval(timer);
      tool.killGroup();
    }
  }, Math.min(1000, Math.max(50, stallMs / 4)));
  timer.unref();
  tool.child.once('exit', () => clearInterval(timer));
  return { stalled: () => stalled };
}
