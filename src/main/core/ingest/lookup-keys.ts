import sodium from 'libsodium-wrappers-sumo';
import type { UnlockedVault } from '../vault/vault';

/**
 * Keyed fingerprints for finding "have we ingested this before?" without storing anything in clear that
 * an adversary holding the seized card could match against the seized laptop. A plain hash of a source
 * file would prove the vault holds that footage; a BLAKE2b keyed with a random per-vault secret (sealed in
 * the catalog) proves nothing without the passphrase.
 */
const LOOKUP_KEY_SETTING = 'lookup-key';

export interface LookupKeys {
  /** Same file at the same place on the same card (path, size, mtime): cheap, no read needed. */
  fileFingerprint(relPath: string, size: number, mtimeMs: number): string;
  /** Same bytes, wherever they came from. */
  contentKey(sourceBlake2b: string): string;
  /** The set of clip primaries that makes up a card. */
  cardFingerprint(files: { relPath: string; size: number; mtimeMs: number }[]): string;
}

export async function loadLookupKeys(vault: UnlockedVault): Promise<LookupKeys> {
  await sodium.ready;
  const catalog = await vault.catalog();
  let row = await catalog.get<{ value_sealed: Uint8Array }>('SELECT value_sealed FROM settings WHERE key = ?', [LOOKUP_KEY_SETTING]);
  if (!row) {
    const fresh = vault.sealValue('proxy', sodium.randombytes_buf(32));
    await catalog.run('INSERT OR IGNORE INTO settings (key, value_sealed) VALUES (?, ?)', [LOOKUP_KEY_SETTING, Buffer.from(fresh)]);
    row = await catalog.get<{ value_sealed: Uint8Array }>('SELECT value_sealed FROM settings WHERE key = ?', [LOOKUP_KEY_SETTING]);
  }
  const key = new Uint8Array(vault.openValue(row!.value_sealed));
  const keyed = (context: string, text: string) => sodium.crypto_generichash(32, `${context}\0${text}`, key, 'hex');
  return {
    fileFingerprint: (relPath, size, mtimeMs) => keyed('file', JSON.stringify([relPath, size, Math.round(mtimeMs)])),
    contentKey: (sourceBlake2b) => keyed('content', sourceBlake2b),
    cardFingerprint: (files) =>
      keyed(
        'card',
        JSON.stringify(
          [...files].sort((a, b) => (a.relPath < b.relPath ? -1 : 1)).map((file) => [file.relPath, file.size, Math.round(file.mtimeMs)]),
        ),
      ),
  };
}
