/**
 * Idle auto-lock: an unlocked vault on an unattended laptop is the worst case, so the vault locks itself
 * after `ms` without touch(). The timer is unref'd so it never keeps a CLI process alive.
 */
export class IdleLock {
  private timer: NodeJS.Timeout | null = null;
  private ms: number | null = null;
  private onLock: (() => void) | undefined;

  constructor(private readonly lock: () => void) {}

  configure(ms: number | null, onLock?: () => void): void {
    if (ms !== null && (!Number.isFinite(ms) || ms <= 0)) throw new RangeError('auto-lock delay must be a positive number of ms or null');
    this.ms = ms;
    this.onLock = onLock;
    this.touch();
  }

  touch(): void {
    this.clear();
    if (this.ms === null) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.lock();
      this.onLock?.();
    }, this.ms);
    this.timer.unref();
  }

  clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
