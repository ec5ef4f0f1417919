import { promises as fs } from 'node:fs';
import path from 'node:path';
import { SafehouseError } from '../../../shared/errors';
import { DEFAULT_KDF, KDF_ALG, SALT_BYTES, assertSafeKdfParams, assertStrongPassphrase, deriveKek, type KdfParams } from './kdf';
import { KEY_CLASSES, b64, newClassKeyPair, newSigningKey, wrapSecret, type ClassKeyPair, type KeyClass } from './keys';
import { sealBytes } from './object-format';
import { publicKeyFromCard, readRecipientCard, requireSignedCard, type RecipientCard } from './recipients';
import { assertRecipientsSignedByHq } from './recipient-set';
import { loadSodium } from './sodium';
import { readVaultHeader, signVaultHeader, writeVaultHeader } from './vault-file';
import { VAULT_FILE, VAULT_FORMAT, VAULT_FORMAT_VERSION, type UnsignedVaultHeader } from './vault-header';
import { VaultSession, unwrapAll, wipeSecrets, type UnlockedVault, type VaultKind } from './vault-session';

/**
 * The vault's public API: create, detect, unlock. Format: docs/vault-format.md. Design: DESIGN.md "The vault".
 */

export type { KeyClass } from './keys';
export type { ObjectWriter, WrittenObject } from './object-store';
export { fingerprintWords, readRecipientCard, type RecipientCard } from './recipients';
export { secretBuffersForTest, type UnlockedVault, type VaultInfo, type VaultKind } from './vault-session';

export interface CreateVaultOptions {
  kind?: VaultKind;
  /** Required for a field vault: HQ's signed (v2) card with at least master and identity keys; it is pinned. */
  hqRecipientCard?: RecipientCard;
  /** Argon2id limits; refused below MODERATE or above the ceiling (see kdf.ts). */
  kdf?: KdfParams;
}

export async function isVault(dir: string): Promise<boolean> {
  try {
    const parsed = JSON.parse(await fs.readFile(path.join(dir, VAULT_FILE), 'utf8')) as { format?: unknown };
    return parsed.format === VAULT_FORMAT;
  } catch {
    return false;
  }
}

export async function createVault(dir: string, passphrase: string, options: CreateVaultOptions = {}): Promise<UnlockedVault> {
  assertStrongPassphrase(passphrase);
  const kdf = options.kdf ?? DEFAULT_KDF;
  assertSafeKdfParams(kdf);
  const kind = options.kind ?? 'normal';
  const hq = options.hqRecipientCard ? readRecipientCard(JSON.stringify(options.hqRecipientCard)) : undefined;
  if (kind === 'field' && (!hq?.keys.master || !hq.keys.identity)) {
    throw new SafehouseError('INVALID_INPUT', 'A field vault needs HQ’s recipient card with master and identity keys.');
  }
  // A field vault pins the key that signed HQ's card; an unsigned card would leave nothing to pin.
  const pinned = kind === 'field' && hq ? requireSignedCard(hq) : undefined;
  const existing = await fs.readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[];
    if (error.code === 'ENOTDIR') throw new SafehouseError('VAULT_EXISTS');
    throw error;
  });
  if (existing.length > 0) throw new SafehouseError('VAULT_EXISTS');

  const sodium = await loadSodium();
  await fs.mkdir(path.join(dir, 'objects'), { recursive: true, mode: 0o700 });
  await fs.mkdir(path.join(dir, 'staging'), { recursive: true, mode: 0o700 });
  const id = Buffer.from(sodium.randombytes_buf(16)).toString('hex');
  const salt = sodium.randombytes_buf(SALT_BYTES);
  const kek = await deriveKek(passphrase, salt, kdf);
  try {
    const signing = newSigningKey();
    const classes: Partial<Record<KeyClass, ClassKeyPair>> = {};
    const keys = {} as UnsignedVaultHeader['keys'];
    for (const cls of KEY_CLASSES) {
      if (kind === 'field' && cls !== 'proxy' && hq) {
        // Field vault: HQ's public key only. The secret never exists on this laptop.
        keys[cls] = { publicKey: b64.encode(publicKeyFromCard(hq, cls)) };
        continue;
      }
      const pair = newClassKeyPair();
      classes[cls] = pair;
      keys[cls] = { publicKey: b64.encode(pair.publicKey), wrapped: b64.encode(wrapSecret(kek, id, cls, pair.privateKey)) };
    }
    const proxyPublic = b64.decode(keys.proxy.publicKey);
    const recipients: UnsignedVaultHeader['recipients'] = { master: [], proxy: [], identity: [] };
    if (kind === 'field' && hq?.keys.proxy) {
      recipients.proxy.push({ publicKey: hq.keys.proxy, label: b64.encode(sealBytes('proxy', [proxyPublic], new TextEncoder().encode('HQ'))) });
    }
    const unsigned: UnsignedVaultHeader = {
      format: VAULT_FORMAT,
      version: VAULT_FORMAT_VERSION,
      id,
      kind,
      createdAt: new Date().toISOString(),
      kdf: { alg: KDF_ALG, opsLimit: kdf.opsLimit, memLimit: kdf.memLimit, salt: b64.encode(salt) },
      keys,
      signing: { publicKey: b64.encode(signing.publicKey), wrapped: b64.encode(wrapSecret(kek, id, 'signing', signing.seed)) },
      recipients,
      ...(pinned ? { hq: { card: pinned } } : {}),
    };
    assertRecipientsSignedByHq(unsigned);
    const header = signVaultHeader(unsigned, signing);
    await writeVaultHeader(dir, header);
    return new VaultSession(dir, header, { classes, signing });
  } finally {
    sodium.memzero(kek);
  }
}

export async function unlockVault(dir: string, passphrase: string): Promise<UnlockedVault> {
  const header = await readVaultHeader(dir);
  const secrets = await unwrapAll(header, passphrase);
  try {
    // After the device signature (checked in unwrapAll), because that signature alone does not stop
    // someone who has the passphrase: they could re-sign a vault.json that adds their own key.
    assertRecipientsSignedByHq(header);
  } catch (error) {
    wipeSecrets(secrets);
    throw error;
  }
  return new VaultSession(dir, header, secrets);
}
