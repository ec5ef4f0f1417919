import { describe, expect, it } from 'vitest';
import { createEtaEstimator } from '../../../src/main/core/ingest/eta';
import { createProgressTracker } from '../../../src/main/core/ingest/progress';
import type { IngestProgress } from '../../../src/shared/model';

const MB = 1_000_000;

describe('time-left estimate', () => {
  it('says nothing before the first second or the first byte, and 0 at the end', () => {
    let clock = 0;
    const eta = createEtaEstimator(() => clock);
    expect(eta.estimate({ bytesDone: 0, bytesTotal: 100, recentBytesPerSecond: 0 })).toBeNull();
    clock = 500;
    expect(eta.estimate({ bytesDone: 10, bytesTotal: 100, recentBytesPerSecond: 20 })).toBeNull();
    clock = 2000;
    expect(eta.estimate({ bytesDone: 100, bytesTotal: 100, recentBytesPerSecond: 0 })).toBe(0);
  });

  it('at a steady rate counts down one second per second', () => {
    let clock = 0;
    const eta = createEtaEstimator(() => clock);
    const shown: number[] = [];
    for (let second = 1; second <= 20; second += 1) {
      clock = second * 1000;
      shown.push(eta.estimate({ bytesDone: second * 10 * MB, bytesTotal: 300 * MB, recentBytesPerSecond: 10 * MB })!);
    }
    expect(shown[0]).toBe(29);
    for (let index = 1; index < shown.length; index += 1) expect(shown[index - 1]! - shown[index]!).toBe(1);
  });

  // The reported bug: frozen at "25s left" for 70 s, then a jump; several files at once read "899m 50s".
  it('during a long stall it rises gradually, never by more than a few seconds a second, and stays sane', () => {
    let clock = 0;
    const eta = createEtaEstimator(() => clock);
    let bytes = 0;
    for (let second = 1; second <= 30; second += 1) {
      clock = second * 1000;
      bytes += 10 * MB;
      eta.estimate({ bytesDone: bytes, bytesTotal: 600 * MB, recentBytesPerSecond: 10 * MB });
    }
    const beforeStall = eta.estimate({ bytesDone: bytes, bytesTotal: 600 * MB, recentBytesPerSecond: 10 * MB })!;
    expect(beforeStall).toBe(30);
    const during: number[] = [beforeStall];
    for (let second = 31; second <= 100; second += 1) {
      clock = second * 1000;
      during.push(eta.estimate({ bytesDone: bytes, bytesTotal: 600 * MB, recentBytesPerSecond: 0 })!);
    }
    const steps = during.slice(1).map((value, index) => value - during[index]!);
    expect(Math.max(...steps.map(Math.abs))).toBeLessThanOrEqual(8);
    expect(during.at(-1)!).toBeGreaterThan(beforeStall); // the stall does show
    expect(during.at(-1)!).toBeLessThan(60 * 10); // but no "899m"
  });

  it('a momentary near-zero recent rate does not make it jump', () => {
    let clock = 0;
    const eta = createEtaEstimator(() => clock);
    for (let second = 1; second <= 10; second += 1) {
      clock = second * 1000;
      eta.estimate({ bytesDone: second * 5 * MB, bytesTotal: 200 * MB, recentBytesPerSecond: 5 * MB });
    }
    clock = 11_000;
    const blip = eta.estimate({ bytesDone: 50 * MB + 1, bytesTotal: 200 * MB, recentBytesPerSecond: 1 })!;
    expect(blip).toBeLessThan(40);
    expect(blip).toBeGreaterThan(25);
  });
});

describe('ingest progress through the tracker', () => {
  it('lists the files in progress and forgets finished ones', () => {
    let clock = 0;
    const events: IngestProgress[] = [];
    const tracker = createProgressTracker({ ingestId: 'i', bytesTotal: 30, filesTotal: 2, now: () => clock, emit: (event) => events.push(event) });
    tracker.startFile('a', 10);
    tracker.startFile('b', 20);
    clock = 1500;
    tracker.advance('b', 5, 'sanitize');
    expect(tracker.activeFiles().map((file) => [file.file, file.fileBytesDone, file.step])).toEqual([
      ['a', 0, 'hash'],
      ['b', 5, 'sanitize'],
    ]);
    tracker.finishFile('a');
    expect(tracker.activeFiles().map((file) => file.file)).toEqual(['b']);
    expect(events.at(-1)).toMatchObject({ file: 'a', step: 'done', filesDone: 1 });
  });
});
