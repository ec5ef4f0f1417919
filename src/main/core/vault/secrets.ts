import { SafehouseError } from '../../../shared/errors';
import { assertSafeKdfParams, deriveKek } from './kdf';
import { KEY_CLASSES, b64, classKeyPairFromSecret, signingKeyFromSeed, unwrapSecret, type ClassKeyPair, type KeyClass, type SigningKey } from './keys';
import { loadSodium, sodiumSync } from './sodium';
import { verifyVaultHeader } from './vault-file';
import type { VaultHeader } from './vault-header';

/** The secrets an unlocked vault holds in memory, and how they are recovered from vault.json. */

export interface Secrets {
  classes: Partial<Record<KeyClass, ClassKeyPair>>;
  signing: SigningKey;
}

/** Derives the KEK and unwraps every secret present. WRONG_PASSPHRASE leaves the disk untouched. */
export async function unwrapAll(header: VaultHeader, passphrase: string): Promise<Secrets> {
  const sodium = await loadSodium();
  assertSafeKdfParams({ alg: header.kdf.alg, opsLimit: header.kdf.opsLimit, memLimit: header.kdf.memLimit, saltLength: b64.decode(header.kdf.salt).length });
  const kek = await deriveKek(passphrase, b64.decode(header.kdf.salt), header.kdf);
  try {
    const seed = unwrapSecret(kek, header.id, 'signing', b64.decode(header.signing.wrapped));
    if (!seed) throw new SafehouseError('WRONG_PASSPHRASE');
    const signing = signingKeyFromSeed(seed);
    // The passphrase is right from here on, so any further failure means vault.json was altered.
    if (!sodium.memcmp(signing.publicKey, b64.decode(header.signing.publicKey, 32)) || !verifyVaultHeader(header, signing.publicKey)) {
      throw new SafehouseError('VAULT_CORRUPT');
    }
    const classes: Partial<Record<KeyClass, ClassKeyPair>> = {};
    for (const cls of KEY_CLASSES) {
      const entry = header.keys[cls];
      if (entry.wrapped === undefined) continue;
      const secret = unwrapSecret(kek, header.id, cls, b64.decode(entry.wrapped));
      if (!secret) throw new SafehouseError('VAULT_CORRUPT');
      classes[cls] = classKeyPairFromSecret(secret, b64.decode(entry.publicKey, 32));
    }
    return { classes, signing };
  } finally {
    sodium.memzero(kek);
  }
}


export function wipeSecrets(secrets: Secrets): void {
  const sodium = sodiumSync();
  sodium.memzero(secrets.signing.seed);
  sodium.memzero(secrets.signing.privateKey);
  for (const pair of Object.values(secrets.classes)) sodium.memzero(pair.privateKey);
}
