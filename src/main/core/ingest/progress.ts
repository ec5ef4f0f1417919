import type { IngestProgress, IngestStep } from '../../../shared/model';
import { createEtaEstimator } from './eta';

/**
 * Turns byte counts from parallel file workers into the progress the crew sees: overall and per-file
 * bytes, MB/s over a sliding window (so a slow stretch shows at once) and a smoothed ETA (see eta.ts).
 * Pure apart from the injected clock, so it is tested without timers.
 */
export interface ProgressTracker {
  startFile(file: string, totalBytes: number): void;
  advance(file: string, bytes: number, step: IngestStep): void;
  /** A file is finished (or skipped): its remaining bytes count as done so the bar reaches the end. */
  finishFile(file: string): void;
  snapshot(file: string | null, step: IngestStep): IngestProgress;
  /** Progress of every file still being worked on (for a window that re-attaches mid-offload). */
  activeFiles(): IngestProgress[];
}

const WINDOW_MS = 5_000;

export function createProgressTracker(options: {
  ingestId: string;
  bytesTotal: number;
  filesTotal: number;
  now?: () => number;
  emit: (progress: IngestProgress) => void;
  /** At most one event per file per interval, plus every step change and file end. */
  minIntervalMs?: number;
}): ProgressTracker {
  const now = options.now ?? (() => Date.now());
  const minInterval = options.minIntervalMs ?? 200;
  const files = new Map<string, { done: number; total: number; step: IngestStep; lastEmit: number }>();
  const samples: { at: number; bytes: number }[] = [{ at: now(), bytes: 0 }];
  let bytesDone = 0;
  let filesDone = 0;
  const eta = createEtaEstimator(now);

  const rate = (): number => {
    const at = now();
    while (samples.length > 2 && at - samples[0]!.at > WINDOW_MS) samples.shift();
    const first = samples[0]!;
    const seconds = (at - first.at) / 1000;
    return seconds > 0 ? (bytesDone - first.bytes) / seconds : 0;
  };

  const snapshot = (file: string | null, step: IngestStep): IngestProgress => {
    const bytesPerSecond = rate();
    const state = file ? files.get(file) : undefined;
    return {
      ingestId: options.ingestId,
      file,
      step,
      fileBytesDone: Math.round(state?.done ?? 0),
      fileBytesTotal: state?.total ?? 0,
      bytesDone: Math.round(bytesDone),
      bytesTotal: options.bytesTotal,
      filesDone,
      filesTotal: options.filesTotal,
      megabytesPerSecond: Math.round((bytesPerSecond / 1_000_000) * 10) / 10,
      etaSeconds: eta.estimate({ bytesDone, bytesTotal: options.bytesTotal, recentBytesPerSecond: bytesPerSecond }),
    };
  };

  return {
    startFile(file, totalBytes) {
      files.set(file, { done: 0, total: totalBytes, step: 'hash', lastEmit: 0 });
      options.emit(snapshot(file, 'hash'));
    },
    advance(file, bytes, step) {
      const state = files.get(file);
      if (!state) return;
      const counted = Math.min(bytes, Math.max(state.total - state.done, 0));
      state.done += counted;
      bytesDone += counted;
      samples.push({ at: now(), bytes: bytesDone });
      const stepChanged = state.step !== step;
      state.step = step;
      if (stepChanged || now() - state.lastEmit >= minInterval) {
        state.lastEmit = now();
        options.emit(snapshot(file, step));
      }
    },
    finishFile(file) {
      const state = files.get(file);
      if (state) {
        bytesDone += Math.max(state.total - state.done, 0);
        state.done = state.total;
      }
      filesDone += 1;
      samples.push({ at: now(), bytes: bytesDone });
      options.emit(snapshot(file, 'done'));
      files.delete(file);
    },
    snapshot,
    activeFiles: () => [...files.entries()].map(([file, state]) => snapshot(file, state.step)),
  };
}
