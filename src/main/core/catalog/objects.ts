import type { KeyClass } from '../vault/vault';
import type { CatalogTx } from './catalog';

/**
 * Records vault objects in the catalog, inside the caller's transaction, together with the rows that point
 * at them. Every writer goes through this: after a crash, an object on disk that no row records is known to
 * be an uncommitted leftover (and is removed by the next offload), never something still in use.
 */
export async function recordObjects(tx: CatalogTx, objects: readonly { id: string; cls: KeyClass; plainSize: number }[]): Promise<void> {
  const now = new Date().toISOString();
  for (const object of objects) {
    await tx.run('INSERT INTO objects (id, class, plain_size, created_at) VALUES (?, ?, ?, ?)', [object.id, object.cls, object.plainSize, now]);
  }
}
