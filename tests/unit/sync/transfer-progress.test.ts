import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SyncProgress } from '../../../src/shared/model';
import { TransferProgress } from '../../../src/main/core/sync/transfer-progress';

/** Progress events: rate and time left from what moved so far, and no flood of events. */
describe('sync transfer progress', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  const cases: [string, { seconds: number; done: number; total: number }, { mbPerSecond: number | null; etaSeconds: number | null }][] = [
    ['nothing moved yet', { seconds: 2, done: 0, total: 100e6 }, { mbPerSecond: null, etaSeconds: null }],
    ['half of 100 MB in 5 s', { seconds: 5, done: 50e6, total: 100e6 }, { mbPerSecond: 10, etaSeconds: 5 }],
    ['all done', { seconds: 4, done: 8e6, total: 8e6 }, { mbPerSecond: 2, etaSeconds: 0 }],
    ['more than announced (a resumed part counted twice never shows a negative ETA)', { seconds: 1, done: 3e6, total: 2e6 }, { mbPerSecond: 3, etaSeconds: 0 }],
  ];
  it.each(cases)('%s', (_name, at, expected) => {
    vi.useFakeTimers({ now: 1_000_000 });
    const seen: SyncProgress[] = [];
    const progress = new TransferProgress('push', (p) => seen.push(p), at.total, 3);
    vi.setSystemTime(1_000_000 + at.seconds * 1000);
    progress.bytesDone = at.done;
    progress.report('objects');
    expect(seen.at(-1)).toEqual({ direction: 'push', phase: 'objects', bytesDone: at.done, bytesTotal: at.total, objectsDone: 0, objectsTotal: 3, ...expected });
  });

  it('emits at most every quarter second while bytes flow, and always when asked', () => {
    vi.useFakeTimers({ now: 1000 });
    const seen: SyncProgress[] = [];
    const progress = new TransferProgress('pull', (p) => seen.push(p), 1000, 1);
    for (let i = 0; i < 100; i += 1) progress.bytes(1); // same instant: one event
    expect(seen).toHaveLength(1);
    vi.setSystemTime(1300);
    progress.bytes(1);
    progress.object();
    expect(seen).toHaveLength(2);
    progress.report('done');
    expect(seen.at(-1)).toMatchObject({ phase: 'done', bytesDone: 101, objectsDone: 1 });
  });
});
