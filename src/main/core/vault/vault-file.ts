import { promises as fs } from 'node:fs';
import path from 'node:path';
import { SafehouseError } from '../../../shared/errors';
import { b64, type SigningKey } from './keys';
import { sodiumSync } from './sodium';
import { VAULT_FILE, headerSigningBytes, parseVaultHeader, type UnsignedVaultHeader, type VaultHeader } from './vault-header';
import { fsyncDir } from './durable-fs';

/** Reading, signing and atomically replacing vault.json. */

export async function readVaultHeader(dir: string): Promise<VaultHeader> {
  let text: string;
  try {
    text = await fs.readFile(path.join(dir, VAULT_FILE), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new SafehouseError('VAULT_NOT_FOUND');
    throw error;
  }
  return parseVaultHeader(text);
}

/**
 * The device key signs vault.json. Without this, someone with brief access to the laptop could add
 * their own public key as a recipient (or swap HQ's) and silently receive every future object.
 */
export function signVaultHeader(unsigned: UnsignedVaultHeader, signing: SigningKey): VaultHeader {
  const sig = sodiumSync().crypto_sign_detached(headerSigningBytes(unsigned), signing.privateKey);
  return { ...unsigned, sig: b64.encode(sig) };
}

export function verifyVaultHeader(header: VaultHeader, signingPublicKey: Uint8Array): boolean {
  try {
    return sodiumSync().crypto_sign_verify_detached(b64.decode(header.sig, 64), headerSigningBytes(header), signingPublicKey);
  } catch {
    return false;
  }
}


/** write tmp → fsync → rename → fsync dir: a crash leaves either the old or the new header, never half. */
export async function writeVaultHeader(dir: string, header: VaultHeader): Promise<void> {
  const target = path.join(dir, VAULT_FILE);
  const tmp = `${target}.tmp`;
  const fh = await fs.open(tmp, 'w', 0o600);
  try {
    await fh.writeFile(`${JSON.stringify(header, null, 2)}\n`, 'utf8');
    await fh.sync();
  } finally {
    await fh.close();
  }
  await fs.rename(tmp, target);
  await fsyncDir(dir);
}
