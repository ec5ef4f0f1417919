import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSafehouse, type Safehouse } from '../../../src/main/core/app';
import type { OffloadJob } from '../../../src/shared/model';
import { getCard } from '../media/card-fixture';

/**
 * The window's offload against the real core: queued in the core, paused and cancelled between files, and
 * re-attached to by asking for the jobs. After a cancel the vault must be consistent and the card, offloaded
 * again, must complete without redoing verified work.
 */
const PASS = 'correct horse battery staple';

describe('offload queue in the core', () => {
  let base: string;
  let cardRoot: string;
  let safehouse: Safehouse;
  const jobEvents: OffloadJob[] = [];

  beforeAll(async () => {
    base = await fs.mkdtemp(path.join(os.tmpdir(), 'sh-queue-'));
    cardRoot = path.join(base, 'card');
    await fs.cp(getCard().root, cardRoot, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true, filter: (file) => !/MVI_01|passwd|outside|-rf|ñø|MISC/.test(file) });
    safehouse = createSafehouse({ version: 'test' });
    safehouse.on('offload.job', (job) => jobEvents.push(job));
    const created = await safehouse.call('vault.create', { dir: path.join(base, 'vault'), passphrase: PASS });
    expect(created.ok).toBe(true);
  });
  afterAll(async () => {
    await safehouse.close();
    await fs.rm(base, { recursive: true, force: true });
  });

  const jobs = async (): Promise<OffloadJob[]> => {
    const result = await safehouse.call('offload.jobs', {});
    if (!result.ok) throw new Error(result.error.message);
    return result.value;
  };
  const until = async (predicate: (list: OffloadJob[]) => boolean, timeoutMs = 120_000): Promise<OffloadJob[]> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const list = await jobs();
      if (predicate(list)) return list;
      if (Date.now() > deadline) throw new Error(`timed out; jobs: ${JSON.stringify(list.map((job) => job.state))}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  it('pauses, queues a second card behind the first, does not call the running one interrupted, and cancels', async () => {
    const first = await safehouse.call('offload.queue', { path: cardRoot, label: 'first' });
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    const second = await safehouse.call('offload.queue', { path: cardRoot, label: 'second' });
    expect(second.ok && second.value.state).toBe('queued');
    // Pause as soon as the first file is under way.
    await until((list) => (list[0]!.progress?.bytesDone ?? 0) > 0);
    const paused = await safehouse.call('offload.pause', { jobId: first.value.id, paused: true });
    expect(paused.ok && paused.value.state).toBe('paused');
    const interrupted = await safehouse.call('offload.interrupted', {});
    expect(interrupted.ok && interrupted.value).toEqual([]);

    // While paused, the files in flight finish and then nothing moves.
    await until((list) => list[0]!.files.length === 0);
    const settled = (await jobs())[0]!.progress!.filesDone;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect((await jobs())[0]!.progress!.filesDone).toBe(settled);
    expect((await jobs())[1]!.state).toBe('queued');

    // Cancel the paused card: it ends, reports the files it did not reach, and is not safe to wipe.
    const cancel = await safehouse.call('offload.cancel', { jobId: first.value.id });
    expect(cancel.ok && cancel.value.cancelRequested).toBe(true);
    const afterCancel = await until((list) => list[0]!.state === 'cancelled');
    const result = afterCancel[0]!.result!;
    expect(result.safeToWipe).toBe(false);
    expect(result.counts.failed).toBeGreaterThan(0);
    expect(result.results.filter((entry) => entry.reason?.includes('cancelled')).length).toBe(result.counts.failed);
    expect(jobEvents.some((job) => job.id === first.value.id && job.state === 'paused')).toBe(true);

    // The second card starts by itself and completes the card, skipping what the first already verified.
    const done = await until((list) => list[1]!.state === 'done' || list[1]!.state === 'failed');
    const secondResult = done[1]!.result!;
    expect(done[1]!.error).toBeNull();
    expect(secondResult.counts.failed).toBe(0);
    expect(secondResult.counts.skipped).toBe(settled);
    expect(secondResult.safeToWipe).toBe(true);
  });

  it('lists finished offloads with their reports, newest first', async () => {
    const history = await safehouse.call('offload.history', {});
    expect(history.ok).toBe(true);
    if (!history.ok) return;
    expect(history.value).toHaveLength(2);
    expect(history.value[0]).toMatchObject({ safeToWipe: true, counts: { failed: 0 } });
    expect(history.value[1]!.safeToWipe).toBe(false);
    const report = await safehouse.call('offload.report', { ingestId: history.value[1]!.ingestId });
    expect(report.ok && report.value?.counts.failed).toBe(history.value[1]!.counts.failed);
  });
});
