import { z } from 'zod';
import { SafehouseError } from '../../../shared/errors';
import { KEY_CLASSES, type KeyClass } from './keys';
import { sodiumSync } from './sodium';

/**
 * Recipient cards: how a vault learns someone else's public keys (e.g. HQ's), as a small JSON file.
 *
 * The fingerprint is BLAKE2b-256 over a canonical text form of the keys, first 16 bytes, hex. It catches
 * accidental damage automatically; against a deliberate swap (someone replacing HQ's card in transit) the
 * only defence is people comparing the fingerprint over another channel — hence `fingerprintWords`,
 * 8 groups of 4 hex digits that can be read aloud over a phone call.
 */

export interface RecipientCard {
  version: 1;
  keys: Partial<Record<KeyClass, string /* base64 X25519 public key */>>;
  /** base64 Ed25519 public key of the sender's device (lets HQ verify signed manifests). */
  signing?: string;
  fingerprint: string;
}

export const FINGERPRINT_PREFIX = 'safehouse/v1/recipient-card\n';
const b64Key = z.string().regex(/^[A-Za-z0-9+/]{43}=$/, '32-byte base64 key');

const cardSchema = z.strictObject({
  version: z.literal(1),
  keys: z.strictObject({ master: b64Key.optional(), proxy: b64Key.optional(), identity: b64Key.optional() }),
  signing: b64Key.optional(),
  fingerprint: z.string().regex(/^[0-9a-f]{32}$/),
});

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

export function makeRecipientCard(keys: Partial<Record<KeyClass, string>>, signing?: string): RecipientCard {
  const card: RecipientCard = { version: 1, keys: { ...keys }, fingerprint: '' };
  if (signing !== undefined) card.signing = signing;
  card.fingerprint = cardFingerprint(card);
  return card;
}

/** What a person reads aloud: "3F2A 91BC 0D4E …" (8 groups of 4 hex digits). */
export function fingerprintWords(card: Pick<RecipientCard, 'fingerprint'>): string {
  return (card.fingerprint.toUpperCase().match(/.{1,4}/g) ?? []).join(' ');
}

/** Parses and validates a card; throws RECIPIENT_CARD_INVALID if malformed or its fingerprint is wrong. */
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
  return card;
}

export function publicKeyFromCard(card: RecipientCard, cls: KeyClass): Uint8Array {
  const key = card.keys[cls];
  if (key === undefined) throw invalid(`card has no ${cls} key`);
  return new Uint8Array(Buffer.from(key, 'base64'));
}
