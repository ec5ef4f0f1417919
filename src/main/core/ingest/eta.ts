/**
 * A time-left estimate that moves the way a person can trust: it counts down between updates and drifts
 * towards a new estimate instead of jumping. The raw estimate blends the recent rate (a stall shows) with
 * the average rate since the start (one slow moment, or several files starting at once, does not turn
 * "25s left" into "899m"). Pure apart from the injected clock.
 */
export interface EtaEstimator {
  /** Seconds left, or null until enough is known to say. */
  estimate(input: { bytesDone: number; bytesTotal: number; recentBytesPerSecond: number }): number | null;
}

/** How quickly the shown estimate follows a changed raw estimate (seconds to cover ~63 % of the gap). */
const FOLLOW_SECONDS = 8;
/** No estimate during the first moments: files are still opening and the rate means nothing yet. */
const WARM_UP_MS = 1_000;

export function createEtaEstimator(now: () => number): EtaEstimator {
  const startedAt = now();
  let shown: { seconds: number; at: number } | null = null;
  return {
    estimate({ bytesDone, bytesTotal, recentBytesPerSecond }) {
      const remaining = Math.max(bytesTotal - bytesDone, 0);
      if (remaining === 0) return 0;
      const at = now();
      const elapsedSeconds = (at - startedAt) / 1000;
      if (bytesDone <= 0 || at - startedAt < WARM_UP_MS) return null;
      const averageRate = bytesDone / elapsedSeconds;
      const rate = (Math.max(recentBytesPerSecond, 0) + averageRate) / 2;
      const raw = remaining / rate;
      if (!shown) {
        shown = { seconds: raw, at };
      } else {
        const dt = Math.max((at - shown.at) / 1000, 0);
        const countedDown = Math.max(shown.seconds - dt, 0);
        const follow = 1 - Math.exp(-dt / FOLLOW_SECONDS);
        shown = { seconds: countedDown + (raw - countedDown) * follow, at };
      }
      return Math.max(1, Math.ceil(shown.seconds));
    },
  };
}
