import type { CallInput, CallName, CallOutput, EventName, EventPayload, SafehouseApi } from '../../shared/api';
import type { Result } from '../../shared/errors';

declare global {
  interface Window {
    safehouse: SafehouseApi;
    /** The desktop app's preload adds this: the path of a folder dropped on the window. */
    safehouseFiles?: { pathOf(file: File): string };
  }
}

/** Calls the core through the preload bridge; the only door the renderer has. */
export function callCore<K extends CallName>(name: K, input: CallInput<K>): Promise<Result<CallOutput<K>>> {
  const fn = window.safehouse[name] as (input: CallInput<K>) => Promise<Result<CallOutput<K>>>;
  return fn(input);
}

export function onCoreEvent<K extends EventName>(name: K, listener: (payload: EventPayload<K>) => void): () => void {
  const subscribe = window.safehouse[name] as (listener: (payload: EventPayload<K>) => void) => () => void;
  return subscribe(listener);
}
