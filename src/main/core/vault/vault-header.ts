import { z } from 'zod';
import { SafehouseError } from '../../../shared/errors';

/**
 * vault.json: the only file readable without the passphrase. It holds public keys, KDF parameters and
 * wrapped (encrypted) secrets — nothing that names a person, a clip or a card. Recipient labels are
 * typed by people, so they are stored sealed to the proxy class, not in clear.
 * Exact field semantics: docs/vault-format.md.
 */

export const VAULT_FILE = 'vault.json';
export const VAULT_FORMAT = 'safehouse-vault';
export const VAULT_FORMAT_VERSION = 1;

const b64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64');

const keyEntry = z.strictObject({
  publicKey: b64,
  /** nonce(24) ‖ XChaCha20-Poly1305 ciphertext of the secret; absent when the secret lives only at HQ. */
  wrapped: b64.optional(),
});

const recipientEntry = z.strictObject({
  publicKey: b64,
  /** A sealed value (object format) holding the UTF-8 label, sealed to the proxy class. */
  label: b64,
});

export const vaultHeaderSchema = z.strictObject({
  format: z.literal(VAULT_FORMAT),
  version: z.literal(VAULT_FORMAT_VERSION),
  id: z.string().regex(/^[0-9a-f]{32}$/),
  kind: z.enum(['normal', 'field']),
  createdAt: z.string(),
  kdf: z.strictObject({
    // Bounds are checked separately (assertSafeKdfParams) so that a hostile value gets the specific
    // VAULT_UNSAFE_PARAMETERS error rather than a generic "corrupt".
    alg: z.string(),
    opsLimit: z.number().int(),
    memLimit: z.number().int(),
    salt: b64,
  }),
  keys: z.strictObject({ master: keyEntry, proxy: keyEntry, identity: keyEntry }),
  signing: z.strictObject({ publicKey: b64, wrapped: b64 }),
  recipients: z.strictObject({
    master: z.array(recipientEntry).max(32),
    proxy: z.array(recipientEntry).max(32),
    identity: z.array(recipientEntry).max(32),
  }),
  /**
   * Field vaults only: HQ's signed card (pins HQ's signing key) and the newest recipient set HQ signed.
   * Checked by recipient-set.ts (assertRecipientsSignedByHq), which owns its shape.
   */
  hq: z.strictObject({ card: z.unknown(), set: z.unknown().optional() }).optional(),
  /** Ed25519 signature by the device key over the canonical form of every other field. */
  sig: b64,
});

export type VaultHeader = z.infer<typeof vaultHeaderSchema>;
export type UnsignedVaultHeader = Omit<VaultHeader, 'sig'>;

/** Throws VAULT_CORRUPT for anything that is not a well-formed vault.json. */
export function parseVaultHeader(text: string): VaultHeader {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw new SafehouseError('VAULT_CORRUPT', undefined, { cause });
  }
  // After a panic the header keeps only public facts and says so; no passphrase can open it (panic.ts).
  if (raw !== null && typeof raw === 'object' && 'panickedAt' in raw) throw new SafehouseError('VAULT_PANICKED');
  const parsed = vaultHeaderSchema.safeParse(raw);
  if (!parsed.success) throw new SafehouseError('VAULT_CORRUPT', undefined, { cause: parsed.error });
  return parsed.data;
}

/**
 * Canonical JSON: object keys sorted by UTF-16 code unit order at every level, no whitespace, values as
 * JSON.stringify writes them. This is what the header signature covers (docs/vault-format.md §vault.json).
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export const HEADER_SIGNATURE_PREFIX = 'safehouse/v1/vault.json\n';

/** The exact bytes the device key signs: prefix ‖ canonical JSON of the header without `sig`. */
export function headerSigningBytes(header: UnsignedVaultHeader | VaultHeader): Uint8Array {
  const { sig: _sig, ...rest } = header as VaultHeader;
  return new TextEncoder().encode(HEADER_SIGNATURE_PREFIX + canonicalJson(rest));
}
