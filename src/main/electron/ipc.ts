import type { IpcMain, WebContents } from 'electron';
import { callNames, calls, eventNames, type CallName } from '../../shared/api';
import { SafehouseError, toErrorShape, type Result } from '../../shared/errors';
import type { Safehouse } from '../core/app';
import { originOf } from './app-origin';

/** IPC channel names, derived from the contract: the preload computes the same ones. */
export const callChannel = (name: string): string => `safehouse:call:${name}`;
export const eventChannel = (name: string): string => `safehouse:event:${name}`;

/**
 * Only the app's own top-level page may call the core. A subframe (an injected iframe) or a page from any
 * other origin (after a navigation we failed to stop) is refused before its input is even parsed.
 */
export interface IpcSender {
  senderFrame: { url: string; parent: unknown } | null;
}

export function isTrustedSender(event: IpcSender, trusted: readonly string[]): boolean {
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null) return false;
  const origin = originOf(frame.url);
  return origin !== null && trusted.includes(origin);
}

/** Registers one handler per contract call, by iterating the contract. Returns the channels registered. */
export function registerContract(ipcMain: Pick<IpcMain, 'handle'>, safehouse: Safehouse, trusted: readonly string[]): string[] {
  return callNames.map((name: CallName) => {
    const channel = callChannel(name);
    ipcMain.handle(channel, async (event: IpcSender, input: unknown): Promise<Result<unknown>> => {
      if (!isTrustedSender(event, trusted)) return { ok: false, error: toErrorShape(new SafehouseError('FORBIDDEN_SENDER')) };
      // Validated here at the boundary, and again inside the facade, so the core never sees raw IPC input.
      const parsed = calls[name].input.safeParse(input);
      if (!parsed.success) return { ok: false, error: toErrorShape(new SafehouseError('INVALID_INPUT')) };
      return safehouse.call(name, parsed.data);
    });
    return channel;
  });
}

/** Forwards every contract event to one window's renderer. Returns an unsubscribe function. */
export function forwardEvents(safehouse: Safehouse, contents: Pick<WebContents, 'send' | 'isDestroyed'>): () => void {
  const unsubscribers = eventNames.map((name) =>
    safehouse.on(name, (payload) => {
      if (!contents.isDestroyed()) contents.send(eventChannel(name), payload);
    }),
  );
  return () => unsubscribers.forEach((unsubscribe) => unsubscribe());
}
