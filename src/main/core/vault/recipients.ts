import { z } from 'zod';
import { SafehouseError } from '../../../shared/errors';
import { KEY_CLASSES, type KeyClass, type SigningKey } from './keys';
import { sodiumSync } from './sodium';
import { canonicalJson } from './vault-header';

/**
 * Recipient cards: how a vault learns someone else's public keys (e.g. HQ's), as a small JSON file.
 *
 * The fingerprint is BLAKE2b-256 over a canonical text form of the keys, first 16 bytes, hex. It catches
 * accidental damage automatically; against a deliberate swap (someone replacing HQ's card in transit) the
 * only defence is people comparing the fingerprint over another channel — hence `fingerprintWords`,
 * 8 groups of 4 hex digits that can be read aloud over a phone call.
 *
 * Version 2 cards are also signed (Ed25519) by the sender's device key, whose public key is the card's
 * `signing` field. The signature does not prove who the sender is (anyone can make a key and sign with
 * it): it proves that whoever holds that signing key chose these keys. A field vault pins HQ's signing key
 * from the card it was made from (compared aloud by fingerprint once), and from then on accepts a change of
 * master/identity recipients only when that same key signed it — so a coerced crew, or someone who edits
 * vault.json, cannot make future footage open with a key HQ never chose. Version 1 cards (unsigned) are
 * still read for adding an extra recipient to a normal vault, but a field vault refuses them.
 */

export interface RecipientCard {
  version: 1 | 2;
  keys: Partial<Record<KeyClass, string /* base64 X25519 public key */>>;
  /** base64 Ed25519 public key of the sender's device (signs the card from v2; lets HQ verify signed records). */
  signing?: string;
  fingerprint: string;
  /** v2: base64 Ed25519 signature by `signing` over cardSigningBytes(card). */
  sig?: string;
}

export type SignedRecipientCard = RecipientCard & { version: 2; signing: string; sig: string };

export const FINGERPRINT_PREFIX = 'safehouse/v1/recipient-card\n';
export const CARD_SIGNATURE_PREFIX = 'safehouse/v2/recipient-card\n';
const b64Key = z.string().regex(/^[A-Za-z0-9+/]{43}=$/, '32-byte base64 key');
const b64Sig = z.string().regex(/^[A-Za-z0-9+/]{86}==$/, '64-byte base64 signature');
const keysSchema = z.strictObject({ master: b64Key.optional(), proxy: b64Key.optional(), identity: b64Key.optional() });
const fingerprintSchema = z.string().regex(/^[0-9a-f]{32}$/);

const cardSchema = z.discriminatedUnion('version', [
  z.strictObject({ version: z.literal(1), keys: keysSchema, signing: b64Key.optional(), fingerprint: fingerprintSchema }),
  z.strictObject({ version: z.literal(2), keys: keysSchema, signing: b64Key, fingerprint: fingerprintSchema, sig: b64Sig }),
]);

function invalid(reason: string): SafehouseError {
  return new SafehouseError('RECIPIENT_CARD_INVALID', undefined, { cause: new Error(reason) });
}

/** Canonical text: one "<slot>:<base64>\n" line per present key, in the order master, proxy, identity, signing. */
export function cardFingerprint(card: Pick<RecipientCard, 'keys' | 'signing'>): string {
  let text = FINGERPRINT_PREFIX;
  for (const cls of KEY_CLASSES) {
    const key = card.keys[cls];
    if (key !== undefined) text += `${cls}:${key}\n`;
  }
  if (card.signing !== undefined) text += `signing:${card.signing}\n`;
  return Buffer.from(sodiumSync().crypto_generichash(32, new TextEncoder().encode(text), null).subarray(0, 16)).toString('hex');
}

/** Fingerprint of a single public key, for listing recipients. */
export function keyFingerprint(publicKeyB64: string): string {
  return fingerprintWords({ fingerprint: cardFingerprint({ keys: { master: publicKeyB64 } }) });
}

/** The bytes a v2 card's signature covers: prefix ‖ canonical JSON of the card without `sig`. */
export function cardSigningBytes(card: RecipientCard): Uint8Array {
  const { sig: _sig, ...rest } = card;
  return new TextEncoder().encode(CARD_SIGNATURE_PREFIX + canonicalJson(rest));
}

/** An unsigned (v1) card: only for handing a bare key to a normal vault (and to tests). */
export function makeRecipientCard(keys: Partial<Record<KeyClass, string>>, signing?: string): RecipientCard {
  const card: RecipientCard = { version: 1, keys: { ...keys }, fingerprint: '' };
  if (signing !== undefined) card.signing = signing;
  card.fingerprint = cardFingerprint(card);
  return card;
}

/** A v2 card signed by the vault's device key; what `recipients export` writes. */
export function signRecipientCard(keys: Partial<Record<KeyClass, string>>, signing: SigningKey): SignedRecipientCard {
  const signingB64 = Buffer.from(signing.publicKey).toString('base64');
  const unsigned: RecipientCard = { version: 2, keys: { ...keys }, signing: signingB64, fingerprint: cardFingerprint({ keys, signing: signingB64 }) };
  const sig = sodiumSync().crypto_sign_detached(cardSigningBytes(unsigned), signing.privateKey);
  return { ...unsigned, signing: signingB64, version: 2, sig: Buffer.from(sig).toString('base64') };
}

/** What a person reads aloud: "3F2A 91BC 0D4E …" (8 groups of 4 hex digits). */
export function fingerprintWords(card: Pick<RecipientCard, 'fingerprint'>): string {
  return (card.fingerprint.toUpperCase().match(/.{1,4}/g) ?? []).join(' ');
}

/**
 * Parses and validates a card; throws RECIPIENT_CARD_INVALID if malformed, if its fingerprint is wrong,
 * or (v2) if its signature does not verify with its own signing key.
 */
export function readRecipientCard(json: string): RecipientCard {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw invalid('not JSON');
  }
  const parsed = cardSchema.safeParse(raw);
  if (!parsed.success) throw invalid('not a recipient card');
  const card = parsed.data as RecipientCard;
  if (Object.keys(card.keys).length === 0) throw invalid('card holds no keys');
  if (cardFingerprint(card) !== card.fingerprint) throw invalid('fingerprint does not match the keys');
  if (card.version === 2 && !verifyCardSignature(card)) throw invalid('signature does not match the card');
  return card;
}

function verifyCardSignature(card: RecipientCard): boolean {
  if (card.signing === undefined || card.sig === undefined) return false;
  try {
    return sodiumSync().crypto_sign_verify_detached(Buffer.from(card.sig, 'base64'), cardSigningBytes(card), Buffer.from(card.signing, 'base64'));
  } catch {
    return false;
  }
}

/**
 * For pinning HQ: the card must be v2 (signed) — an unsigned card would give the field vault nothing to
 * check later changes against. Throws RECIPIENT_CARD_UNSIGNED for a v1 card.
 */
export function requireSignedCard(card: RecipientCard): SignedRecipientCard {
  const checked = readRecipientCard(JSON.stringify(card));
  if (checked.version !== 2 || checked.signing === undefined || checked.sig === undefined) throw new SafehouseError('RECIPIENT_CARD_UNSIGNED');
  return checked as SignedRecipientCard;
}

export function publicKeyFromCard(card: RecipientCard, cls: KeyClass): Uint8Array {
  const key = card.keys[cls];
  if (key === undefined) throw invalid(`card has no ${cls} key`);
  return new Uint8Array(Buffer.from(key, 'base64'));
}
