import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { SafehouseError } from '../../../shared/errors';
import { fsyncDir } from './durable-fs';
import { sodiumSync } from './sodium';
import type { UnlockedVault } from './vault-session';
import { VAULT_FILE, VAULT_FORMAT, VAULT_FORMAT_VERSION, canonicalJson } from './vault-header';

/**
 * Panic: make this laptop's copy of the vault unopenable, at once and for good.
 *
 * Every secret of a vault (class keys, device signing seed) exists on disk only wrapped in vault.json, so
 * destroying those wrapped bytes makes every object here unreadable with any passphrase — proxies included.
 * Objects sealed to HQ's keys (field masters and identities, and anything already pushed) still open at HQ,
 * which never needed this laptop's secrets.
 *
 * Order matters for a seizure in progress: lock (wipe memory) first, then overwrite vault.json's bytes in
 * place with random data and fsync (so the old wrapped keys are not merely unlinked), then put a header in
 * its place that holds only public facts and `panickedAt`, which unlock refuses with VAULT_PANICKED.
 * Limits (docs/field-and-hq.md): on SSDs and copy-on-write or journaling file systems an in-place overwrite
 * may not reach every physical copy; a copy of vault.json taken earlier plus the passphrase still opens.
 *
 * The panic is recorded for HQ in panic.json, a small file the sync layout carries: signed by the device key
 * when the vault was unlocked at the time (the key is still in memory, so HQ can verify it against the
 * enrolled device), unsigned otherwise — HQ then knows only that someone with the laptop said so.
 */

export const PANIC_FILE = 'panic.json';
export const PANIC_SIGNATURE_PREFIX = 'safehouse/v1/panic\n';

const panicRecordSchema = z.strictObject({
  format: z.literal('safehouse-panic'),
  version: z.literal(1),
  vault: z.string().regex(/^[0-9a-f]{32}$/),
  /** base64 Ed25519 public key of the device (the field card's `signing`). */
  device: z.string().regex(/^[A-Za-z0-9+/]{43}=$/),
  at: z.iso.datetime(),
  /** The `vault.panic` audit entry written just before (seq, hash), when the vault was unlocked. */
  audit: z.strictObject({ seq: z.number().int().positive(), hash: z.string().regex(/^[0-9a-f]{64}$/) }).nullable(),
  /** base64 Ed25519 signature by `device`; absent when the vault was locked when panic was pressed. */
  sig: z.string().regex(/^[A-Za-z0-9+/]{86}==$/).optional(),
});

export type PanicRecord = z.infer<typeof panicRecordSchema>;

export function panicSigningBytes(record: PanicRecord): Uint8Array {
  const { sig: _sig, ...rest } = record;
  return new TextEncoder().encode(PANIC_SIGNATURE_PREFIX + canonicalJson(rest));
}

/** HQ side: true only when the record is signed by `devicePublicKeyB64` (an enrolled device's key). */
export function verifyPanicRecord(record: PanicRecord, devicePublicKeyB64: string): boolean {
  if (record.sig === undefined || record.device !== devicePublicKeyB64) return false;
  try {
    return sodiumSync().crypto_sign_verify_detached(Buffer.from(record.sig, 'base64'), panicSigningBytes(record), Buffer.from(devicePublicKeyB64, 'base64'));
  } catch {
    return false;
  }
}

/** Parses a panic record (from panic.json or a sync carrier); throws INVALID_INPUT if malformed. */
export function parsePanicRecord(text: string): PanicRecord {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw new SafehouseError('INVALID_INPUT', 'The panic record is not JSON.', { cause });
  }
  const parsed = panicRecordSchema.safeParse(raw);
  if (!parsed.success) throw new SafehouseError('INVALID_INPUT', 'The panic record is malformed.', { cause: parsed.error });
  return parsed.data;
}

/** The vault folder's panic record, or null if it never panicked. */
export async function readPanicRecord(dir: string): Promise<PanicRecord | null> {
  const text = await fs.readFile(path.join(dir, PANIC_FILE), 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  return text === null ? null : parsePanicRecord(text);
}

interface PublicFacts {
  id: string;
  kind: string;
  signingPublicKey: string;
  keys: Record<string, { publicKey: string }>;
}

/** What survives a panic: ids and public keys only (no salt, no wrapped bytes). */
function publicFacts(text: string): PublicFacts {
  const raw = JSON.parse(text) as {
    id?: unknown; kind?: unknown; signing?: { publicKey?: unknown }; keys?: Record<string, { publicKey?: unknown }>;
  };
  if (typeof raw.id !== 'string' || !/^[0-9a-f]{32}$/.test(raw.id) || typeof raw.signing?.publicKey !== 'string') throw new Error('not a vault header');
  const keys: PublicFacts['keys'] = {};
  for (const [cls, entry] of Object.entries(raw.keys ?? {})) if (typeof entry.publicKey === 'string') keys[cls] = { publicKey: entry.publicKey };
  return { id: raw.id, kind: typeof raw.kind === 'string' ? raw.kind : 'normal', signingPublicKey: raw.signing.publicKey, keys };
}

async function writeDurably(dir: string, name: string, text: string): Promise<void> {
  const target = path.join(dir, name);
  const tmp = `${target}.tmp`;
  const handle = await fs.open(tmp, 'w', 0o600);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.rename(tmp, target);
  await fsyncDir(dir);
}

/** Overwrites a file's bytes in place with random data and fsyncs, if it exists. */
async function overwriteInPlace(file: string): Promise<void> {
  const handle = await fs.open(file, 'r+').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  if (!handle) return;
  try {
    const { size } = await handle.stat();
    await handle.write(sodiumSync().randombytes_buf(Math.max(size, 1)), 0, Math.max(size, 1), 0);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export interface PanicOutcome {
  vaultId: string;
  at: string;
  /** True when the record is signed by the device key (the vault was unlocked at the time). */
  signed: boolean;
  alreadyPanicked: boolean;
}

/**
 * Destroys the wrapped secrets of the vault in `dir`. `unlocked` is the open session of that vault, if
 * any: it signs the record (with the `audit` entry the caller appended) and is locked before anything else.
 */
export async function panicVault(dir: string, options: { unlocked?: UnlockedVault; audit?: { seq: number; hash: string } } = {}): Promise<PanicOutcome> {
  const headerFile = path.join(dir, VAULT_FILE);
  const text = await fs.readFile(headerFile, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') throw new SafehouseError('VAULT_NOT_FOUND');
    throw error;
  });
  const previous = (() => {
    try {
      return JSON.parse(text) as { panickedAt?: unknown; id?: unknown };
    } catch {
      return null;
    }
  })();
  if (previous && typeof previous.panickedAt === 'string') {
    options.unlocked?.lock();
    return { vaultId: String(previous.id), at: previous.panickedAt, signed: false, alreadyPanicked: true };
  }
  let facts: PublicFacts;
  try {
    facts = publicFacts(text);
  } catch {
    facts = { id: '0'.repeat(32), kind: 'unknown', signingPublicKey: '', keys: {} };
  }
  const at = new Date().toISOString();
  const session = options.unlocked && !options.unlocked.isLocked() && options.unlocked.info.id === facts.id ? options.unlocked : undefined;
  const record: PanicRecord = { format: 'safehouse-panic', version: 1, vault: facts.id, device: facts.signingPublicKey, at, audit: options.audit ?? null };
  if (session) record.sig = Buffer.from(session.sign(panicSigningBytes(record))).toString('base64');
  options.unlocked?.lock();

  await overwriteInPlace(headerFile);
  await overwriteInPlace(`${headerFile}.tmp`); // a half-written header from an interrupted change
  await fs.rm(`${headerFile}.tmp`, { force: true });
  const panicked = { format: VAULT_FORMAT, version: VAULT_FORMAT_VERSION, id: facts.id, kind: facts.kind, panickedAt: at, signing: { publicKey: facts.signingPublicKey }, keys: facts.keys };
  await writeDurably(dir, VAULT_FILE, `${JSON.stringify(panicked, null, 2)}\n`);
  if (/^[A-Za-z0-9+/]{43}=$/.test(record.device)) await writeDurably(dir, PANIC_FILE, `${JSON.stringify(record, null, 2)}\n`);
  return { vaultId: facts.id, at, signed: session !== undefined, alreadyPanicked: false };
}
