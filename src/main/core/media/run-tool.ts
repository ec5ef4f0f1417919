import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { spawnTool } from './tool-process';

export interface ToolRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: string;
  timedOut: boolean;
}

export interface RunOptions {
  /** Bytes (or a stream) written to the tool's stdin; the tool may stop reading early (EPIPE is expected). */
  input?: Buffer | Readable;
  timeoutMs?: number;
  /** Kill the tool when it has written nothing (stdout or stderr) for this long. */
  stallMs?: number;
  /** Stdout beyond this is discarded (counted as truncated) so a hostile file cannot exhaust memory. */
  maxStdout?: number;
}

/**
 * Runs a media tool with an argument vector (never a shell: card file names may contain anything) and
 * collects bounded output. A timeout (and, when given, a stall timeout) kills its process group, so a
 * crafted file cannot hang the ingest; see tool-process.ts for what happens when Safehouse itself dies.
 */
export function runTool(cmd: string, args: string[], opts: RunOptions = {}): Promise<ToolRun & { truncated: boolean }> {
  const { input, timeoutMs = 60_000, maxStdout = 64 * 1024 * 1024, stallMs } = opts;
  return new Promise((resolve, reject) => {
    const tool = spawnTool(cmd, args, [input ? 'pipe' : 'ignore', 'pipe', 'pipe']);
    const { child } = tool;
    const out: Buffer[] = [];
    let outLen = 0;
    let truncated = false;
    let stderr = '';
    let timedOut = false;
    const expire = () => {
      timedOut = true;
      tool.killGroup();
    };
    const timer = setTimeout(expire, timeoutMs);
    let stall = stallMs === undefined ? undefined : setTimeout(expire, stallMs);
    const alive = () => {
      if (stall === undefined) return;
      clearTimeout(stall);
      stall = setTimeout(expire, stallMs);
    };
    const stop = () => {
      clearTimeout(timer);
      clearTimeout(stall);
    };
    child.stdout?.on('data', (c: Buffer) => {
      alive();
      if (outLen + c.length > maxStdout) {
        truncated = true;
        const room = maxStdout - outLen;
        if (room > 0) out.push(c.subarray(0, room));
        outLen = maxStdout;
        return;
      }
      out.push(c);
      outLen += c.length;
    });
    child.stderr?.on('data', (c: Buffer) => {
      alive();
      if (stderr.length < 16_384) stderr += c.toString('utf8');
    });
    child.on('error', (err) => {
      stop();
      reject(err);
    });
    child.on('close', (code, signal) => {
      stop();
      resolve({ code, signal, stdout: Buffer.concat(out), stderr, timedOut, truncated });
    });
    if (input && child.stdin) {
      child.stdin.on('error', () => {}); // the tool may exit before reading everything; that is its answer
      if (Buffer.isBuffer(input)) child.stdin.end(input);
      else {
        input.on('error', () => child.stdin?.destroy());
        input.pipe(child.stdin);
      }
    }
  });
}

/**
 * ffmpeg/ffprobe treat "a:b" as a protocol and "-x" as an option; a `file:` URL of the absolute path
 * makes every card name (leading dash, colon, newline, unicode) an ordinary local file.
 */
export function fileUrlArg(absPath: string): string {
  return `file:${absPath}`;
}

/** A sealed original served to the tools from memory for a retry (ingest/retry-clip.ts): never a file. */
export const isLoopbackUrl = (input: string): boolean => input.startsWith('http://127.0.0.1:');

/** The tool argument for a media input: a card file as a `file:` URL, or a loopback URL as it is. */
export function mediaInputArg(pathOrUrl: string): string {
  return isLoopbackUrl(pathOrUrl) ? pathOrUrl : fileUrlArg(resolve(pathOrUrl));
}

/** Last meaningful line of a tool's stderr, for error messages (never includes the file name we passed). */
export function lastLine(stderr: string, path?: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  const line = lines[lines.length - 1] ?? '';
  return path ? line.split(path).join('<file>') : line;
}
