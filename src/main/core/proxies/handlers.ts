import type { CoreContext, HandlerMap } from '../core-context';
import { onProtectionChanged } from '../subjects/protection-events';
import { exportProxies, listExports } from './export';
import { ensureProxies, proxyStatuses } from './proxy-builder';

/** Contract calls of the proxies capability, and the rebuild-on-protection-change subscription. */
export function proxyHandlers(context: CoreContext): HandlerMap {
  const rebuild = async (clipIds?: string[]) => {
    const vault = context.requireVault();
    if (!vault.info.canOpen.master) return; // field vault: HQ makes proxies
    await ensureProxies(vault, await context.mediaTools(), clipIds, (progress) => context.hub.emit('proxy.progress', progress));
  };
  // Consent, protection or appearances changed: rebuild those clips' proxies in the background. A locked
  // vault simply skips it; the stale fingerprint makes the next build or export catch up.
  onProtectionChanged((clipIds) => {
    void rebuild(clipIds).catch(() => undefined);
  });
  return {
    'proxies.status': async ({ clipIds }) => proxyStatuses(context.requireVault(), clipIds),
    'proxies.build': async ({ clipIds, wait }) => {
      const vault = context.requireVault();
      const running = rebuild(clipIds);
      if (wait) await running;
      else running.catch(() => undefined); // failures reach the UI as proxy.progress events and in status
      return proxyStatuses(vault, clipIds);
    },
    'export.proxies': async ({ outDir, clipIds, recipient }) =>
      exportProxies(context.requireVault(), await context.mediaTools(), {
        outDir,
        ...(clipIds ? { clipIds } : {}),
        ...(recipient ? { recipient } : {}),
        onProgress: (progress) => context.hub.emit('export.progress', progress),
      }),
    'export.list': async () => listExports(context.requireVault()),
  };
}
