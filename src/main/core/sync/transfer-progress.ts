import type { SyncProgress } from '../../../shared/model';

/**
 * Counts bytes and objects of a push or pull and turns them into progress events with a rate and an
 * ETA, at most every quarter second (a large push must not flood the window or the terminal).
 */
export class TransferProgress {
  private readonly started = Date.now();
  private lastEmit = 0;
  bytesDone = 0;
  objectsDone = 0;

  constructor(
    private readonly direction: SyncProgress['direction'],
    private readonly emit: ((progress: SyncProgress) => void) | undefined,
    public bytesTotal = 0,
    public objectsTotal = 0,
  ) {}

  bytes(n: number, phase: SyncProgress['phase'] = 'objects'): void {
    this.bytesDone += n;
    this.report(phase, false);
  }

  object(phase: SyncProgress['phase'] = 'objects'): void {
    this.objectsDone += 1;
    this.report(phase, false);
  }

  get seconds(): number {
    return (Date.now() - this.started) / 1000;
  }

  report(phase: SyncProgress['phase'], force = true): void {
    const now = Date.now();
    if (!this.emit || (!force && now - this.lastEmit < 250)) return;
    this.lastEmit = now;
    const seconds = (now - this.started) / 1000;
    const rate = seconds > 0 ? this.bytesDone / seconds : 0;
    const left = Math.max(0, this.bytesTotal - this.bytesDone);
    this.emit({
      direction: this.direction,
      phase,
      bytesDone: this.bytesDone,
      bytesTotal: this.bytesTotal,
      objectsDone: this.objectsDone,
      objectsTotal: this.objectsTotal,
      mbPerSecond: rate > 0 ? Math.round((rate / 1e6) * 10) / 10 : null,
      etaSeconds: rate > 0 ? Math.round(left / rate) : null,
    });
  }
}
