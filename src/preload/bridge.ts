/**
 * Builds the object exposed as `window.safehouse` from the contract's names. Kept free of Electron so the
 * same builder serves the browser-test harness; channel names match src/main/electron/ipc.ts.
 */
export interface BridgeTransport {
  invoke(channel: string, input: unknown): Promise<unknown>;
  subscribe(channel: string, listener: (payload: unknown) => void): () => void;
}

export function buildBridge(
  callNames: readonly string[],
  eventNames: readonly string[],
  transport: BridgeTransport,
): Record<string, (arg: never) => unknown> {
  const bridge: Record<string, (arg: never) => unknown> = {};
  for (const name of callNames) {
    const channel = `safehouse:call:${name}`;
    bridge[name] = (input: unknown = {}) => transport.invoke(channel, input);
  }
  for (const name of eventNames) {
    const channel = `safehouse:event:${name}`;
    bridge[name] = (listener: unknown) => {
      // Only a function may subscribe: a string or object from a compromised page gets nothing.
      if (typeof listener !== 'function') throw new TypeError('listener must be a function');
      return transport.subscribe(channel, (payload) => (listener as (payload: unknown) => void)(payload));
    };
  }
  return Object.freeze(bridge);
}
