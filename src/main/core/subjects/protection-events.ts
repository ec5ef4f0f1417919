/**
 * Fired whenever something that changes what a clip's proxy must hide changes (consent, protection,
 * appearances, reviews). The proxies code subscribes and rebuilds the proxies of those clips; it compares
 * the new protection plan's fingerprint with the one it built from, so a spurious event costs nothing.
 */
type Listener = (clipIds: string[]) => void;

const listeners = new Set<Listener>();

/** Subscribes; returns the unsubscribe function. */
export function onProtectionChanged(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Called after the change is committed. A failing listener must not undo or hide the change itself. */
export function emitProtectionChanged(clipIds: Iterable<string>): void {
  const unique = [...new Set(clipIds)];
  if (unique.length === 0) return;
  for (const listener of [...listeners]) {
    try {
      listener(unique);
    } catch {
      /* a listener's failure is its own: the proxy stays marked stale by its fingerprint */
    }
  }
}
