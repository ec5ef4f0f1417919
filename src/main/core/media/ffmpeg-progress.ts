/** One `-progress` block from ffmpeg. */
export interface ProgressSample {
  outTimeSeconds?: number;
  totalSizeBytes?: number;
  /** Realtime multiple ("2.5x" → 2.5). */
  speed?: number;
  fps?: number;
  /** True for the final block (`progress=end`). */
  done: boolean;
}

export interface ProgressParser {
  push(text: string): void;
}

function finite(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number.parseFloat(v);
  return Number.isFinite(n) ? n : undefined;
}

/** "00:01:02.500000" → 62.5; ffmpeg prints "-577014:32:22.77" or N/A before the first packet. */
function clock(v: string | undefined): number | undefined {
  const m = v?.match(/^(\d+):(\d{2}):(\d{2}(?:\.\d+)?)$/);
  if (!m) return undefined;
  return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]);
}

function toSample(kv: Map<string, string>, done: boolean): ProgressSample {
  const sample: ProgressSample = { done };
  // out_time_us is authoritative; out_time_ms is (historically) also microseconds; out_time is the fallback.
  const us = finite(kv.get('out_time_us')) ?? finite(kv.get('out_time_ms'));
  const t = us !== undefined && us >= 0 ? us / 1e6 : clock(kv.get('out_time'));
  if (t !== undefined) sample.outTimeSeconds = t;
  const size = finite(kv.get('total_size'));
  if (size !== undefined && size >= 0) sample.totalSizeBytes = size;
  const speed = finite(kv.get('speed')?.replace(/x$/, ''));
  if (speed !== undefined) sample.speed = speed;
  const fps = finite(kv.get('fps'));
  if (fps !== undefined) sample.fps = fps;
  return sample;
}

/**
 * Incremental parser for `ffmpeg -progress pipe:N`: text arrives in arbitrary pieces, a block ends with
 * `progress=continue|end`. Lines that are not key=value (e.g. stray log output) are ignored.
 */
export function createProgressParser(onSample: (sample: ProgressSample) => void): ProgressParser {
  let pending = '';
  let kv = new Map<string, string>();
  return {
    push(text: string) {
      pending += text;
      const lines = pending.split(/\r?\n/);
      pending = lines.pop() ?? '';
      // A runaway line without newline (not progress output) must not grow memory without bound.
      if (pending.length > 4096) pending = '';
      for (const line of lines) {
        const eq = line.indexOf('=');
        if (eq <= 0) continue;
        const key = line.slice(0, eq).trim();
        const value = line.slice(eq + 1).trim();
        if (key === 'progress') {
          onSample(toSample(kv, value === 'end'));
          kv = new Map();
        } else {
          kv.set(key, value);
        }
      }
    },
  };
}
