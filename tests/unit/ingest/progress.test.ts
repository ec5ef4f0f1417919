import { describe, expect, it } from 'vitest';
import type { IngestProgress } from '../../../src/shared/model';
import { createProgressTracker } from '../../../src/main/core/ingest/progress';

function tracker(bytesTotal: number, filesTotal: number) {
  let clock = 0;
  const events: IngestProgress[] = [];
  const progress = createProgressTracker({ ingestId: 'i1', bytesTotal, filesTotal, now: () => clock, emit: (event) => events.push(event), minIntervalMs: 100 });
  return { progress, events, tick: (ms: number) => (clock += ms) };
}

describe('ingest progress', () => {
  it('computes MB/s and ETA from bytes over time', () => {
    const { progress, tick } = tracker(100_000_000, 1);
    progress.startFile('a.mp4', 100_000_000);
    tick(1000);
    progress.advance('a.mp4', 20_000_000, 'hash');
    const snapshot = progress.snapshot('a.mp4', 'hash');
    expect(snapshot.megabytesPerSecond).toBe(20);
    expect(snapshot.etaSeconds).toBe(4);
    expect(snapshot.fileBytesDone).toBe(20_000_000);
  });

  it('has no ETA before any byte moved, and 0 at the end', () => {
    const { progress, tick } = tracker(10, 1);
    progress.startFile('a', 10);
    expect(progress.snapshot('a', 'hash').etaSeconds).toBeNull();
    tick(10);
    progress.finishFile('a');
    const end = progress.snapshot(null, 'done');
    expect(end).toMatchObject({ bytesDone: 10, filesDone: 1, etaSeconds: 0 });
  });

  it('never counts more than a file holds (sanitize and verify passes re-read it)', () => {
    const { progress } = tracker(10, 1);
    progress.startFile('a', 10);
    progress.advance('a', 8, 'hash');
    progress.advance('a', 8, 'verify');
    expect(progress.snapshot('a', 'verify').bytesDone).toBe(10);
  });

  it('throttles events but always reports a step change', () => {
    const { progress, events, tick } = tracker(1000, 1);
    progress.startFile('a', 1000);
    const before = events.length;
    tick(150);
    progress.advance('a', 1, 'hash');
    progress.advance('a', 1, 'hash');
    progress.advance('a', 1, 'hash');
    progress.advance('a', 1, 'encrypt');
    expect(events.length - before).toBe(2);
    expect(events.at(-1)!.step).toBe('encrypt');
  });

  it('uses a sliding window so a stall shows in the rate', () => {
    const { progress, tick } = tracker(1_000_000_000, 1);
    progress.startFile('a', 1_000_000_000);
    for (let second = 0; second < 5; second += 1) {
      tick(1000);
      progress.advance('a', 100_000_000, 'hash');
    }
    const fast = progress.snapshot('a', 'hash').megabytesPerSecond;
    for (let second = 0; second < 6; second += 1) {
      tick(1000);
      progress.advance('a', 1_000_000, 'hash');
    }
    const slow = progress.snapshot('a', 'hash').megabytesPerSecond;
    expect(fast).toBeGreaterThan(50);
    expect(slow).toBeLessThan(fast / 5);
  });
});
