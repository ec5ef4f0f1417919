import type { EventName, EventPayload } from '../../shared/api';

type Listener<K extends EventName> = (payload: EventPayload<K>) => void;

/** Typed fan-out for contract events; the IPC layer and the test harness subscribe the same way. */
export class EventHub {
  private readonly listeners = new Map<EventName, Set<Listener<EventName>>>();

  on<K extends EventName>(name: K, listener: Listener<K>): () => void {
    let set = this.listeners.get(name);
    if (!set) {
      set = new Set();
      this.listeners.set(name, set);
    }
    set.add(listener as Listener<EventName>);
    return () => set.delete(listener as Listener<EventName>);
  }

  emit<K extends EventName>(name: K, payload: EventPayload<K>): void {
    for (const listener of this.listeners.get(name) ?? []) {
      // One failing listener (a closed window) must not stop progress reaching the others.
      try {
        listener(payload);
      } catch {
        /* ignored on purpose */
      }
    }
  }
}
