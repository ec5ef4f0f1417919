import os from 'node:os';

/**
 * Runs proxy jobs with at most `limit` at once (default: one ffmpeg per core; ffmpeg itself runs in a child
 * process, so the main thread only moves bytes). Jobs are keyed by vault and clip:
 * - a request for a clip whose job has not started yet joins that job (it reads the plan when it starts);
 * - a request for a clip whose job is running queues one follow-up, because the plan may have changed after
 *   the running job read it. Further requests join that follow-up.
 */
export class ProxyQueue {
  private active = 0;
  private readonly waiting: { key: string; start: () => void }[] = [];
  private readonly pending = new Map<string, Promise<unknown>>();
  private readonly running = new Map<string, Promise<unknown>>();

  constructor(readonly limit: number = Math.max(1, os.availableParallelism())) {}

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const queued = this.pending.get(key);
    if (queued) return queued as Promise<T>;
    const before = this.running.get(key);
    const job = (async () => {
      if (before) await before.catch(() => undefined);
      await this.slot();
      this.pending.delete(key);
      const self = (async () => task())();
      this.running.set(key, self);
      try {
        return await self;
      } finally {
        if (this.running.get(key) === self) this.running.delete(key);
        this.release();
      }
    })();
    this.pending.set(key, job);
    // If waiting for the earlier run or a slot failed (it cannot), still clear the entry.
    job.catch(() => undefined).finally(() => {
      if (this.pending.get(key) === job) this.pending.delete(key);
    });
    return job;
  }

  /**
   * Resolves once no job is queued or running. After the vault is locked, jobs fail at their next vault
   * call, so closing waits for them to stop rather than for them to finish.
   */
  async idle(): Promise<void> {
    while (this.pending.size > 0 || this.running.size > 0) {
      await Promise.allSettled([...this.pending.values(), ...this.running.values()]);
    }
  }

  /** Keys queued or running: for status. */
  isQueued(key: string): boolean {
    return this.pending.has(key);
  }

  isRunning(key: string): boolean {
    return this.running.has(key);
  }

  private slot(): Promise<void> {
    if (this.active < this.limit) {
      this.active += 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push({ key: '', start: resolve }));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next.start();
    else this.active -= 1;
  }
}

/** One queue per process: the app and a CLI ingest in the same process share the cores. */
export const proxyQueue = new ProxyQueue();
