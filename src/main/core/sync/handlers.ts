import { appendAudit } from '../audit/audit-log';
import type { CoreContext, HandlerMap } from '../core-context';
import { ensureProxies } from '../proxies/proxy-builder';
import type { Carrier } from './carrier';
import { enrollDevice, listDevices } from './devices';
import { openCarrier } from './open-carrier';
import { pullVault } from './pull';
import { pushVault } from './push';

/** Contract calls of the sync capability: push (field), pull and device enrollment (HQ), device status. */
export function syncHandlers(context: CoreContext): HandlerMap {
  const withCarrier = async <T>(remote: string, endpoint: string | undefined, run: (carrier: Carrier) => Promise<T>): Promise<T> => {
    const carrier = openCarrier(remote, endpoint);
    try {
      return await run(carrier);
    } finally {
      carrier.close();
    }
  };
  // A long push or pull is activity: the vault must not lock itself (and close its catalog) half-way.
  const emitFor = (vault: { touch(): void }) => (progress: Parameters<typeof context.hub.emit<'sync.progress'>>[1]) => {
    vault.touch();
    context.hub.emit('sync.progress', progress);
  };

  return {
    'sync.push': async ({ remote, endpoint }) => {
      const vault = context.requireVault();
      return withCarrier(remote, endpoint, (carrier) => pushVault(vault, carrier, emitFor(vault)));
    },
    'sync.pull': async ({ remote, endpoint, proxies }) => {
      const vault = context.requireVault();
      const { newClipIds, ...result } = await withCarrier(remote, endpoint, (carrier) => pullVault(vault, carrier, emitFor(vault)));
      const mode = proxies ?? 'background';
      if (mode === 'none' || newClipIds.length === 0) return { ...result, proxiesQueued: 0 };
      // HQ makes real proxies from the masters that just arrived (field vaults cannot). The pull itself has
      // committed: a proxy failure is reported per clip in proxies.status, never undoes the import.
      const building = context
        .mediaTools()
        .then((tools) => ensureProxies(vault, tools, newClipIds, (progress) => context.hub.emit('proxy.progress', progress)))
        .catch(() => undefined);
      if (mode === 'wait') await building;
      return { ...result, proxiesQueued: newClipIds.length };
    },
    'devices.enroll': async ({ card, name }) => {
      const vault = context.requireVault();
      const enrolled = await enrollDevice(vault, card, name);
      if (!enrolled.alreadyEnrolled) await appendAudit(vault, 'device.enroll', { device: enrolled.id });
      return enrolled;
    },
    'devices.list': async ({ remote, endpoint }) => {
      const vault = context.requireVault();
      if (!remote) return listDevices(vault);
      return withCarrier(remote, endpoint, (carrier) => listDevices(vault, carrier));
    },
  };
}
