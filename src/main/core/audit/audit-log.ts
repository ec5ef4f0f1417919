import type { CatalogTx } from '../catalog';
import { loadSodium, type Sodium } from '../vault/sodium';
import type { UnlockedVault } from '../vault/vault';

/**
 * Append-only, hash-chained audit log (table audit_log, migration 4).
 *
 * Each entry's hash is BLAKE2b-256 over the previous entry's hash and the entry's canonical JSON (seq, time,
 * action, details with sorted keys), so editing, deleting, reordering or inserting an entry breaks the
 * chain. Anyone can recompute a chain, so each entry's hash is also signed with the vault's Ed25519 device
 * key: rewriting history needs the passphrase. What a signature cannot show is a tail quietly cut off;
 * that is what exported checkpoints are for (audit-verify.ts).
 *
 * Details hold ids, codes, enum values and counts only, never a name or other text a person typed: the log
 * must be safe to show to anyone who can open the catalog, including a field vault's crew.
 */

/**
 * The genesis entry: seq 1, chained to the vault-bound genesis hash and signed like every other, written
 * when the vault is created. A log that does not start with it was emptied or cut at the start, even if
 * what follows chains and verifies (a restarted log would).
 */
export const GENESIS_ACTION = 'vault.create';

export type AuditDetails = Record<string, string | number | boolean | null>;

export interface AuditEntry {
  seq: number;
  at: string;
  action: string;
  details: AuditDetails;
  prevHash: string;
  hash: string;
}

export interface AuditRow {
  seq: number;
  at: string;
  action: string;
  details_json: string;
  prev_hash: string;
  hash: string;
  sig: string;
}

const ACTION_RE = /^[a-z][a-z0-9.-]{0,63}$/;
const KEY_RE = /^[A-Za-z][A-Za-z0-9_]{0,31}$/;
const MAX_KEYS = 32;
const MAX_STRING = 256;

function assertDetails(action: string, details: AuditDetails): void {
  if (!ACTION_RE.test(action)) throw new Error(`bad audit action ${JSON.stringify(action)}`);
  const keys = Object.keys(details);
  if (keys.length > MAX_KEYS) throw new Error('too many audit details');
  for (const key of keys) {
    const value = details[key];
    if (!KEY_RE.test(key)) throw new Error(`bad audit detail key ${JSON.stringify(key)}`);
    if (typeof value === 'string' && value.length > MAX_STRING) throw new Error(`audit detail ${key} is too long`);
    if (typeof value === 'number' && !Number.isFinite(value)) throw new Error(`audit detail ${key} is not finite`);
    if (value !== null && !['string', 'number', 'boolean'].includes(typeof value)) throw new Error(`audit detail ${key} must be a plain value`);
  }
}

/** The exact bytes an entry's hash covers; key order fixed so the same entry always hashes the same. */
export function canonicalEntry(entry: { seq: number; at: string; action: string; details: AuditDetails }): string {
  const details: AuditDetails = {};
  for (const key of Object.keys(entry.details).sort()) details[key] = entry.details[key] ?? null;
  return JSON.stringify({ seq: entry.seq, at: entry.at, action: entry.action, details });
}

export function genesisHash(sodium: Sodium, vaultId: string): string {
  // Bound to the vault id, so a whole log cannot be transplanted from another vault.
  return sodium.to_hex(sodium.crypto_generichash(32, `safehouse-audit-genesis-v1:${vaultId}`, null));
}

export function entryHash(sodium: Sodium, prevHash: string, canonical: string): string {
  const prev = sodium.from_hex(prevHash);
  const body = new TextEncoder().encode(canonical);
  const message = new Uint8Array(prev.length + body.length);
  message.set(prev, 0);
  message.set(body, prev.length);
  return sodium.to_hex(sodium.crypto_generichash(32, message, null));
}

/** Domain-separated so an entry signature can never be replayed as a header or manifest signature. */
export function entrySignedMessage(vaultId: string, hash: string): Uint8Array {
  return new TextEncoder().encode(`safehouse-audit-entry-v1:${vaultId}:${hash}`);
}

/**
 * Appends one entry. Joins the caller's catalog transaction when called inside one, so an action and its
 * audit entry commit (or roll back) together.
 */
export async function appendAudit(vault: UnlockedVault, action: string, details: AuditDetails = {}, db?: CatalogTx): Promise<AuditEntry> {
  assertDetails(action, details);
  const sodium = await loadSodium();
  const catalog = await vault.catalog();
  const write = async (tx: CatalogTx): Promise<AuditEntry> => {
    const last = await tx.get<{ seq: number; hash: string }>('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
    const seq = (last?.seq ?? 0) + 1;
    const prevHash = last?.hash ?? genesisHash(sodium, vault.info.id);
    const at = new Date().toISOString();
    const hash = entryHash(sodium, prevHash, canonicalEntry({ seq, at, action, details }));
    const sig = sodium.to_base64(vault.sign(entrySignedMessage(vault.info.id, hash)), sodium.base64_variants.ORIGINAL);
    await tx.run('INSERT INTO audit_log (seq, at, action, details_json, prev_hash, hash, sig) VALUES (?, ?, ?, ?, ?, ?, ?)', [
      seq, at, action, JSON.stringify(details), prevHash, hash, sig,
    ]);
    return { seq, at, action, details, prevHash, hash };
  };
  return db ? write(db) : catalog.transaction(write);
}

/** Writes the genesis entry of a new vault's log (the facade does, right after creating the vault). */
export function appendGenesis(vault: UnlockedVault): Promise<AuditEntry> {
  return appendAudit(vault, GENESIS_ACTION, { kind: vault.info.kind });
}

export async function readAuditRows(vault: UnlockedVault): Promise<AuditRow[]> {
  const catalog = await vault.catalog();
  return catalog.all<AuditRow>('SELECT * FROM audit_log ORDER BY seq');
}
