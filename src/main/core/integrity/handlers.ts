import type { CoreContext, HandlerMap } from '../core-context';
import { verifyVault } from './vault-verify';

/** Contract handlers of the integrity capability. */
export function integrityHandlers(context: CoreContext): HandlerMap {
  return {
    'vault.verify': async ({ deep }) => {
      const vault = context.requireVault();
      return verifyVault(vault, { deep, onProgress: (progress) => context.hub.emit('verify.progress', progress) });
    },
  };
}
