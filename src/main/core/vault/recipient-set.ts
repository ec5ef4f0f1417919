import { z } from 'zod';
import { SafehouseError } from '../../../shared/errors';
import type { KeyClass, SigningKey } from './keys';
import { fingerprintWords, readRecipientCard, requireSignedCard, type SignedRecipientCard } from './recipients';
import { sodiumSync } from './sodium';
import { canonicalJson, type UnsignedVaultHeader, type VaultHeader } from './vault-header';

/**
 * HQ-signed recipient sets: who a field vault may seal masters and identities to.
 *
 * A field vault's vault.json is signed by the field device key, whose seed the crew's passphrase unwraps:
 * anyone forced to give the passphrase (or holding it) could re-sign a vault.json that adds their own key.
 * So a field vault also pins HQ's signing key (from HQ's signed card, compared aloud when the vault is made)
 * and seals to `master` / `identity` only keys that key vouched for: at first those on the card itself,
 * later those of a recipient set HQ signed (`signRecipientSet`). This is checked on every unlock and before
 * every seal to those classes; a vault.json that fails it is refused, and nothing is sealed.
 *
 * Limit, said plainly in docs/field-and-hq.md: someone with the passphrase and write access to the disk can
 * replace the pin itself (and the program). The fingerprint of the pinned key is shown on every unlock and
 * ingest so a crew can notice that it changed.
 */

export const SEALED_TO_HQ = ['master', 'identity'] as const satisfies readonly KeyClass[];
const sealedToHq = (cls: KeyClass): cls is (typeof SEALED_TO_HQ)[number] => cls !== 'proxy';
export { sealedToHq };
export const RECIPIENT_SET_PREFIX = 'safehouse/v1/recipient-set\n';
const b64Key = z.string().regex(/^[A-Za-z0-9+/]{43}=$/, '32-byte base64 key');
const keyList = z.array(b64Key).min(1).max(32);

const statementSchema = z.strictObject({
  format: z.literal('safehouse-recipient-set'),
  version: z.literal(1),
  /** base64 Ed25519 public key of the signer (HQ's device key). */
  signer: b64Key,
  /** ISO-8601; a field vault only accepts a set newer than the one it holds (no replay of an old set). */
  issuedAt: z.iso.datetime(),
  keys: z.strictObject({ master: keyList, identity: keyList }),
});
const signedSetSchema = z.strictObject({ set: statementSchema, sig: z.string().regex(/^[A-Za-z0-9+/]{86}==$/) });

export type RecipientSetStatement = z.infer<typeof statementSchema>;
export type SignedRecipientSet = z.infer<typeof signedSetSchema>;

/** What vault.json holds under `hq` in a field vault. */
export interface HqPin {
  /** HQ's signed card the vault was made from: pins `card.signing`. */
  card: SignedRecipientCard;
  /** The newest recipient set HQ signed and the crew applied, if any. */
  set?: SignedRecipientSet;
}

export function recipientSetSigningBytes(set: RecipientSetStatement): Uint8Array {
  return new TextEncoder().encode(RECIPIENT_SET_PREFIX + canonicalJson(set));
}

/** HQ side: signs the keys a field vault may seal masters and identities to. */
export function signRecipientSet(keys: RecipientSetStatement['keys'], signing: SigningKey, issuedAt = new Date()): SignedRecipientSet {
  const set: RecipientSetStatement = {
    format: 'safehouse-recipient-set',
    version: 1,
    signer: Buffer.from(signing.publicKey).toString('base64'),
    issuedAt: issuedAt.toISOString(),
    keys: { master: [...new Set(keys.master)], identity: [...new Set(keys.identity)] },
  };
  const sig = sodiumSync().crypto_sign_detached(recipientSetSigningBytes(set), signing.privateKey);
  return { set, sig: Buffer.from(sig).toString('base64') };
}

const setInvalid = (reason: string) => new SafehouseError('RECIPIENT_SET_INVALID', undefined, { cause: new Error(reason) });

/** Parses a signed set and checks its signature against `pinnedSigner`; throws RECIPIENT_SET_INVALID. */
export function readRecipientSet(json: string | unknown, pinnedSigner: string): SignedRecipientSet {
  let raw: unknown = json;
  if (typeof json === 'string') {
    try {
      raw = JSON.parse(json);
    } catch {
      throw setInvalid('not JSON');
    }
  }
  const parsed = signedSetSchema.safeParse(raw);
  if (!parsed.success) throw setInvalid('not a recipient set');
  const { set, sig } = parsed.data;
  if (set.signer !== pinnedSigner) throw setInvalid('signed by another key than the pinned HQ key');
  let good = false;
  try {
    good = sodiumSync().crypto_sign_verify_detached(Buffer.from(sig, 'base64'), recipientSetSigningBytes(set), Buffer.from(pinnedSigner, 'base64'));
  } catch {
    good = false;
  }
  if (!good) throw setInvalid('signature does not verify');
  return parsed.data;
}

const notSigned = (reason: string) =>
  new SafehouseError('RECIPIENTS_NOT_SIGNED', undefined, { cause: new Error(reason) });

/** The pin, checked: HQ's card signature and, if present, the set's signature by the card's key. */
export function checkedPin(raw: unknown): HqPin & { authorized: RecipientSetStatement['keys'] } {
  if (raw === null || typeof raw !== 'object') throw notSigned('no HQ pin');
  const { card: rawCard, set: rawSet, ...extra } = raw as { card?: unknown; set?: unknown };
  if (Object.keys(extra).length > 0) throw notSigned('unknown members in the HQ pin');
  let card: SignedRecipientCard;
  try {
    card = requireSignedCard(readRecipientCard(JSON.stringify(rawCard ?? null)));
  } catch {
    throw notSigned('the pinned HQ card is not a valid signed card');
  }
  if (!card.keys.master || !card.keys.identity) throw notSigned('the pinned HQ card lacks master or identity');
  if (rawSet === undefined) return { card, authorized: { master: [card.keys.master], identity: [card.keys.identity] } };
  let set: SignedRecipientSet;
  try {
    set = readRecipientSet(rawSet, card.signing);
  } catch {
    throw notSigned('the stored recipient set is not signed by the pinned HQ key');
  }
  return { card, set, authorized: set.set.keys };
}

/**
 * Throws RECIPIENTS_NOT_SIGNED unless every key this header seals masters and identities to is one the
 * pinned HQ key vouched for. A vault that holds its own master and identity secrets (a normal vault) needs
 * no pin; one that does not must be a field vault with a valid pin — whatever `kind` says, so flipping
 * `kind` to "normal" does not switch the check off.
 */
export function assertRecipientsSignedByHq(header: UnsignedVaultHeader): void {
  const holdsOwnSecrets = SEALED_TO_HQ.every((cls) => header.keys[cls].wrapped !== undefined);
  if (header.hq === undefined) {
    if (header.kind === 'field' || !holdsOwnSecrets) {
      throw new SafehouseError(
        'RECIPIENTS_NOT_SIGNED',
        'This field vault has no pinned HQ key (an older Safehouse made it, or vault.json was changed), so nothing can be sealed to HQ safely. ' +
          'Make a new field vault from HQ’s signed card; the sealed objects already in this folder can be copied to HQ as they are.',
      );
    }
    return;
  }
  if (header.kind !== 'field') throw notSigned('an HQ pin on a vault that is not a field vault');
  const { authorized } = checkedPin(header.hq);
  for (const cls of SEALED_TO_HQ) {
    const used = [header.keys[cls].publicKey, ...header.recipients[cls].map((r) => r.publicKey)];
    const stray = used.filter((key) => !authorized[cls].includes(key));
    if (stray.length > 0 || header.keys[cls].wrapped !== undefined) throw notSigned(`${cls} is sealed to a key HQ did not sign`);
  }
}

/** HQ side: every key a vault seals masters and identities to (its own, then the extra recipients). */
export function recipientKeysOf(header: UnsignedVaultHeader): RecipientSetStatement['keys'] {
  const list = (cls: (typeof SEALED_TO_HQ)[number]) => [header.keys[cls].publicKey, ...header.recipients[cls].map((r) => r.publicKey)];
  return { master: list('master'), identity: list('identity') };
}

/**
 * Field side: the header with a newer HQ-signed set in force — its first key of each class becomes the
 * class key, the rest extra recipients (labelled `hqLabel`). RECIPIENT_SET_INVALID if the set is not signed
 * by the pinned key or is not newer than the set already held (no replay of an old set).
 */
export function headerWithRecipientSet(header: VaultHeader, json: string, hqLabel: string): UnsignedVaultHeader {
  const pin = checkedPin(header.hq);
  const next = readRecipientSet(json, pin.card.signing);
  if (pin.set && Date.parse(next.set.issuedAt) <= Date.parse(pin.set.set.issuedAt)) {
    throw new SafehouseError('RECIPIENT_SET_INVALID', 'This recipient set is not newer than the one this field vault already uses. Nothing was changed.');
  }
  const { sig: _sig, ...rest } = header;
  const keys = structuredClone(header.keys);
  const recipients = { ...header.recipients };
  for (const cls of SEALED_TO_HQ) {
    const [first, ...others] = next.set.keys[cls];
    keys[cls] = { publicKey: first! };
    recipients[cls] = others.map((publicKey) => ({ publicKey, label: hqLabel }));
  }
  return { ...rest, keys, recipients, hq: { card: pin.card, set: next } };
}

/** HQ's fingerprint as a person reads it, or null for a vault without a pin. */
export function hqFingerprintWords(header: UnsignedVaultHeader): string | null {
  if (header.hq === undefined) return null;
  return fingerprintWords(checkedPin(header.hq).card);
}
