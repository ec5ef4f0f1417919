import { SafehouseError } from '../../../shared/errors';
import type { PanicResult } from '../../../shared/model';
import { appendAudit } from '../audit/audit-log';
import { panicVault } from './panic';
import type { UnlockedVault } from './vault-session';

/**
 * The `vault.panic` call: the open vault if there is one (its audit log gets a signed `vault.panic` entry
 * first, which sync carries to HQ), else the folder given. Panic must not be stopped by a failing audit
 * write (full disk): the keys are destroyed either way.
 */
export async function panicHandler(open: UnlockedVault | null, dir: string | null): Promise<PanicResult> {
  const target = open?.info.dir ?? dir;
  if (!target) throw new SafehouseError('VAULT_NOT_FOUND', 'No vault is open or named: say which vault folder to destroy.');
  const audit = open ? await appendAudit(open, 'vault.panic', {}).then((entry) => ({ seq: entry.seq, hash: entry.hash })).catch(() => undefined) : undefined;
  const outcome = await panicVault(target, { ...(open ? { unlocked: open } : {}), ...(audit ? { audit } : {}) });
  return { dir: target, ...outcome };
}
