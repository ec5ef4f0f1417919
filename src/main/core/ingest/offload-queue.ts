import { randomBytes } from 'node:crypto';
import { SafehouseError, toErrorShape } from '../../../shared/errors';
import type { IngestProgress, OffloadJob, OffloadResult } from '../../../shared/model';
import type { ProgressTracker } from './progress';

/** What a job's runner gets: pause/cancel checks, and hooks that keep the job's progress current. */
export interface OffloadRunHooks {
  control: { waitWhilePaused(): Promise<void>; cancelled(): boolean };
  onStarted(started: { ingestId: string; tracker: ProgressTracker }): void;
  onProgress(progress: IngestProgress): void;
}

export interface OffloadRequest {
  path: string;
  label?: string;
  /** 'wait': build the proxies before the job ends (the CLI); 'background': queue them (the window). */
  proxies: 'wait' | 'background' | 'none';
}

export interface OffloadQueue {
  /** Adds a card; it starts at once if nothing else is running, else after the cards before it. */
  enqueue(request: OffloadRequest): OffloadJob;
  /** The job's result once it ends; rejects with the error it failed with (or OFFLOAD_CANCELLED). */
  wait(jobId: string): Promise<OffloadResult>;
  /** Every job of this session, newest last: what a reloaded window re-attaches to. */
  jobs(): OffloadJob[];
  pause(jobId: string, paused: boolean): OffloadJob;
  cancel(jobId: string): OffloadJob;
  /** Ingests being written right now (not "interrupted", although their row has no end yet). */
  runningIngestIds(): string[];
  /** Resolves once nothing is queued or running. */
  idle(): Promise<void>;
}

interface JobRecord {
  job: OffloadJob;
  request: OffloadRequest;
  tracker: ProgressTracker | null;
  ingestId: string | null;
  resume: (() => void) | null;
  pausedUntil: Promise<void> | null;
  settled: Promise<OffloadResult>;
  settle: { resolve(result: OffloadResult): void; reject(error: unknown): void };
}

/** Finished jobs kept for the window to show after a reload; older ones are only in the reports. */
const KEEP_FINISHED = 20;

/**
 * Offloads run here, in the core, one card at a time (they share the disk and the vault's writer lock), so
 * they survive the window navigating away or reloading. The runner is injected: the queue only orders,
 * pauses, cancels and reports. While a job runs, a heartbeat re-sends its progress every second, so a long
 * step without byte movement still shows a live time-left instead of a frozen one.
 */
export function createOffloadQueue(options: {
  run: (request: OffloadRequest, hooks: OffloadRunHooks) => Promise<OffloadResult>;
  onJob: (job: OffloadJob) => void;
  onHeartbeat: (progress: IngestProgress) => void;
  heartbeatMs?: number;
}): OffloadQueue {
  const records: JobRecord[] = [];
  let running: JobRecord | null = null;
  let idleWaiters: (() => void)[] = [];

  // Paused before its first file, a job still has totals to show: the tracker knows them from the scan.
  const view = (record: JobRecord): OffloadJob => ({
    ...record.job,
    progress: record.job.progress ?? record.tracker?.snapshot(null, 'scan') ?? null,
    files: record.tracker?.activeFiles() ?? [],
  });
  const changed = (record: JobRecord) => options.onJob(view(record));
  const find = (jobId: string): JobRecord => {
    const record = records.find((candidate) => candidate.job.id === jobId);
    if (!record) throw new SafehouseError('NOT_FOUND', 'That offload is not known to this session of Safehouse.');
    return record;
  };
  const finish = (record: JobRecord, state: OffloadJob['state'], outcome: { result?: OffloadResult; error?: unknown }) => {
    record.job = { ...record.job, state, ...(outcome.result ? { result: outcome.result } : {}), ...(outcome.error ? { error: toErrorShape(outcome.error) } : {}) };
    record.resume?.();
    record.tracker = null;
    if (outcome.result) record.settle.resolve(outcome.result);
    else record.settle.reject(outcome.error);
    changed(record);
    const finished = records.filter((candidate) => ['done', 'cancelled', 'failed'].includes(candidate.job.state));
    for (const old of finished.slice(0, Math.max(finished.length - KEEP_FINISHED, 0))) records.splice(records.indexOf(old), 1);
  };

  const pump = () => {
    if (running) return;
    const next = records.find((record) => record.job.state === 'queued');
    if (!next) {
      const waiters = idleWaiters;
      idleWaiters = [];
      waiters.forEach((wake) => wake());
      return;
    }
    running = next;
    next.job = { ...next.job, state: 'running' };
    changed(next);
    const heartbeat = setInterval(() => {
      if (next.tracker && next.job.state === 'running') options.onHeartbeat(next.tracker.snapshot(null, next.job.progress?.step ?? 'hash'));
    }, options.heartbeatMs ?? 1000);
    heartbeat.unref?.();
    const hooks: OffloadRunHooks = {
      control: {
        waitWhilePaused: async () => {
          await next.pausedUntil;
        },
        cancelled: () => next.job.cancelRequested,
      },
      onStarted: ({ ingestId, tracker }) => {
        next.ingestId = ingestId;
        next.tracker = tracker;
      },
      onProgress: (progress) => {
        next.job = { ...next.job, progress };
      },
    };
    void options
      .run(next.request, hooks)
      .then(
        (result) => finish(next, next.job.cancelRequested ? 'cancelled' : 'done', { result }),
        (error: unknown) => finish(next, 'failed', { error }),
      )
      .finally(() => {
        clearInterval(heartbeat);
        running = null;
        pump();
      });
  };

  return {
    enqueue(request) {
      let settle!: JobRecord['settle'];
      const settled = new Promise<OffloadResult>((resolve, reject) => (settle = { resolve, reject }));
      settled.catch(() => undefined); // a job nobody waits for (the window's) must not be an unhandled rejection
      const record: JobRecord = {
        job: {
          id: randomBytes(9).toString('hex'),
          path: request.path,
          label: request.label ?? null,
          state: 'queued',
          cancelRequested: false,
          queuedAt: new Date().toISOString(),
          progress: null,
          files: [],
          result: null,
          error: null,
        },
        request,
        tracker: null,
        ingestId: null,
        resume: null,
        pausedUntil: null,
        settled,
        settle,
      };
      records.push(record);
      changed(record);
      pump();
      return view(record);
    },
    wait: (jobId) => find(jobId).settled,
    jobs: () => records.map(view),
    pause(jobId, paused) {
      const record = find(jobId);
      const state = record.job.state;
      if (paused && state === 'running' && !record.job.cancelRequested) {
        record.pausedUntil = new Promise<void>((resolve) => (record.resume = resolve));
        record.job = { ...record.job, state: 'paused' };
        changed(record);
      } else if (!paused && state === 'paused') {
        record.resume?.();
        record.resume = null;
        record.pausedUntil = null;
        record.job = { ...record.job, state: 'running' };
        changed(record);
      }
      return view(record);
    },
    cancel(jobId) {
      const record = find(jobId);
      if (record.job.state === 'queued') {
        record.job = { ...record.job, cancelRequested: true };
        finish(record, 'cancelled', { error: new SafehouseError('OFFLOAD_CANCELLED') });
      } else if (record.job.state === 'running' || record.job.state === 'paused') {
        record.job = { ...record.job, cancelRequested: true, state: 'running' };
        // A paused job is woken so it can see the cancel and end; files in flight finish first.
        record.resume?.();
        record.resume = null;
        record.pausedUntil = null;
        changed(record);
      }
      return view(record);
    },
    runningIngestIds: () => (running?.ingestId ? [running.ingestId] : []),
    idle: () => (running || records.some((record) => record.job.state === 'queued') ? new Promise<void>((resolve) => idleWaiters.push(resolve)) : Promise.resolve()),
  };
}
