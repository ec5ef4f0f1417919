import type { UnlockedVault } from '../vault/vault';

/**
 * A clip's thumbnail strip (made from the anonymised proxy, never the master), for the library. Sent to
 * the window as base64 and shown from a blob URL, so no decrypted image is ever a file.
 */
export async function readThumbnail(vault: UnlockedVault, clipId: string): Promise<{ mime: 'image/jpeg'; base64: string } | null> {
  const catalog = await vault.catalog();
  const row = await catalog.get<{ thumbs_object_id: string | null }>('SELECT thumbs_object_id FROM proxies WHERE clip_id = ?', [clipId]);
  if (!row?.thumbs_object_id) return null;
  const { data } = await vault.readObject(row.thumbs_object_id);
  return { mime: 'image/jpeg', base64: data.toString('base64') };
}
