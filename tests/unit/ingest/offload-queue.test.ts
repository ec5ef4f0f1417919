import { describe, expect, it } from 'vitest';
import { createOffloadQueue, type OffloadRequest, type OffloadRunHooks } from '../../../src/main/core/ingest/offload-queue';
import type { OffloadJob, OffloadResult } from '../../../src/shared/model';

/** A runner that works through `files` steps, checking pause and cancel between them like offloadCard does. */
function steppedRunner(files: number, log: string[]) {
  const gates: (() => void)[] = [];
  const run = async (request: OffloadRequest, hooks: OffloadRunHooks): Promise<OffloadResult> => {
    let done = 0;
    for (let file = 0; file < files; file += 1) {
      await hooks.control.waitWhilePaused();
      if (hooks.control.cancelled()) break;
      await new Promise<void>((resolve) => gates.push(resolve));
      log.push(`${request.path}:${file}`);
      done += 1;
    }
    return { ingestId: `i-${request.path}`, cardId: 'c', results: [], notIngested: [], counts: { verified: done, quarantined: 0, failed: files - done, skipped: 0 }, safeToWipe: done === files, recovered: { stagingDiscarded: 0, unrecordedObjectsRemoved: 0 }, reportObjectId: 'r', wipeBlockers: [] };
  };
  const release = async () => {
    for (let spin = 0; spin < 20 && gates.length === 0; spin += 1) await new Promise((resolve) => setImmediate(resolve));
    gates.shift()?.();
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { run, release };
}

function makeQueue(files: number) {
  const log: string[] = [];
  const jobsSeen: OffloadJob[] = [];
  const runner = steppedRunner(files, log);
  const queue = createOffloadQueue({ run: runner.run, onJob: (job) => jobsSeen.push(job), onHeartbeat: () => undefined });
  return { queue, log, jobsSeen, release: runner.release };
}

describe('offload queue', () => {
  it('runs one card at a time, in the order they were added', async () => {
    const { queue, log, release } = makeQueue(2);
    const first = queue.enqueue({ path: 'A', proxies: 'none' });
    const second = queue.enqueue({ path: 'B', proxies: 'none' });
    expect(queue.jobs().map((job) => job.state)).toEqual(['running', 'queued']);
    for (let step = 0; step < 4; step += 1) await release();
    await expect(queue.wait(first.id)).resolves.toMatchObject({ safeToWipe: true });
    await expect(queue.wait(second.id)).resolves.toMatchObject({ safeToWipe: true });
    expect(log).toEqual(['A:0', 'A:1', 'B:0', 'B:1']);
    expect(queue.jobs().map((job) => job.state)).toEqual(['done', 'done']);
    await queue.idle();
  });

  it('pauses between files and resumes where it stopped', async () => {
    const { queue, log, release } = makeQueue(3);
    const job = queue.enqueue({ path: 'A', proxies: 'none' });
    expect(queue.pause(job.id, true).state).toBe('paused');
    await release(); // the file already under way finishes
    await release(); // nothing else starts while paused
    expect(log).toEqual(['A:0']);
    expect(queue.pause(job.id, false).state).toBe('running');
    await release();
    await release();
    await expect(queue.wait(job.id)).resolves.toMatchObject({ counts: { verified: 3 } });
  });

  it('cancel: a running card ends after its file in flight and is reported; a queued card never starts', async () => {
    const { queue, log, release } = makeQueue(3);
    const running = queue.enqueue({ path: 'A', proxies: 'none' });
    const waiting = queue.enqueue({ path: 'B', proxies: 'none' });
    const cancelledWaiting = queue.cancel(waiting.id);
    expect(cancelledWaiting.state).toBe('cancelled');
    await expect(queue.wait(waiting.id)).rejects.toMatchObject({ code: 'OFFLOAD_CANCELLED' });
    queue.pause(running.id, true);
    expect(queue.cancel(running.id)).toMatchObject({ cancelRequested: true, state: 'running' }); // a paused card wakes to end
    await release();
    const result = await queue.wait(running.id);
    expect(result.counts).toEqual({ verified: 1, quarantined: 0, failed: 2, skipped: 0 });
    expect(queue.jobs().find((job) => job.id === running.id)!.state).toBe('cancelled');
    expect(log).toEqual(['A:0']);
    await queue.idle();
  });

  it('a failing card is reported with its error and the next card still runs', async () => {
    const log: string[] = [];
    const queue = createOffloadQueue({
      run: async (request) => {
        if (request.path === 'bad') throw Object.assign(new Error('no space'), { code: 'ENOSPC' });
        log.push(request.path);
        return { ingestId: 'i', cardId: 'c', results: [], notIngested: [], counts: { verified: 0, quarantined: 0, failed: 0, skipped: 0 }, safeToWipe: false, recovered: { stagingDiscarded: 0, unrecordedObjectsRemoved: 0 }, reportObjectId: 'r', wipeBlockers: [] };
      },
      onJob: () => undefined,
      onHeartbeat: () => undefined,
    });
    const bad = queue.enqueue({ path: 'bad', proxies: 'none' });
    queue.enqueue({ path: 'good', proxies: 'none' });
    await expect(queue.wait(bad.id)).rejects.toThrow('no space');
    await queue.idle();
    expect(queue.jobs().map((job) => [job.state, job.error?.code ?? null])).toEqual([
      ['failed', 'DISK_FULL'],
      ['done', null],
    ]);
    expect(log).toEqual(['good']);
  });

  it('unknown jobs are refused with a clear error', () => {
    const { queue } = makeQueue(1);
    expect(() => queue.pause('nope', true)).toThrow(/not known/);
  });
});
