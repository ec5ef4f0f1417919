import { z } from 'zod';
import { SafehouseError } from '../../../shared/errors';
import { sodiumSync } from '../vault/sodium';

/**
 * The sync layout, the same on every carrier (an S3 bucket or a folder on a removable drive):
 *
 *   objects/<BLAKE2b-256 of the sealed object file, hex>      the vault's object files, byte for byte
 *   records/<device id>/<sequence, 10 digits>                 signed, hash-chained catalog records (JSON)
 *
 * Names carry no clip, card, person, place or date: an object's name is the hash of its ciphertext (so an
 * upload can be skipped or checked by name alone), a device id is a hash of the device's public signing key.
 * A record is a small JSON envelope whose payload is sealed to HQ's master key, so whoever reads the bucket
 * (or holds a stolen field key) learns sizes and counts, never the catalog. docs/field-and-hq.md describes it.
 */

export const RECORD_FORMAT = 'safehouse-sync-record';
const RECORD_CONTEXT = 'safehouse-sync-record-v1\n';
const DEVICE_CONTEXT = 'safehouse-sync-device-v1\n';
const GENESIS_CONTEXT = 'safehouse-sync-genesis-v1:';
/** Bounds for what a puller will even look at: a hostile bucket must not make HQ allocate gigabytes. */
export const MAX_RECORD_BYTES = 64 * 1024 * 1024;
export const MAX_RECORD_SEQ = 9_999_999_999;

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
export const deviceIdSchema = z.string().regex(/^[0-9a-f]{32}$/);

export const envelopeSchema = z.strictObject({
  format: z.literal(RECORD_FORMAT),
  version: z.literal(1),
  device: deviceIdSchema,
  seq: z.number().int().min(1).max(MAX_RECORD_SEQ),
  prev: hex64,
  payloadHash: hex64,
  payload: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/),
  sig: z.string().regex(/^[A-Za-z0-9+/]{86}==$/),
});
export type RecordEnvelope = z.infer<typeof envelopeSchema>;

const hexHash = (bytes: Uint8Array | string): string => Buffer.from(sodiumSync().crypto_generichash(32, bytes, null)).toString('hex');

/** A device is named by its signing key: HQ enrolls exactly that key, and the name reveals nothing else. */
export function deviceIdFor(signingKeyB64: string): string {
  return Buffer.from(sodiumSync().crypto_generichash(16, `${DEVICE_CONTEXT}${signingKeyB64}`, null)).toString('hex');
}

/** The `prev` of a device's first record, bound to the device so a chain cannot be moved to another one. */
export function genesisHash(device: string): string {
  return hexHash(`${GENESIS_CONTEXT}${device}`);
}

export function objectKey(blake2b: string): string {
  return `objects/${blake2b}`;
}

export function recordKey(device: string, seq: number): string {
  return `records/${device}/${String(seq).padStart(10, '0')}`;
}

/** Parses `records/<device>/<seq>`; anything else under records/ is not ours and is reported, not guessed at. */
export function parseRecordKey(key: string): { device: string; seq: number } | null {
  const match = /^records\/([0-9a-f]{32})\/(\d{10})$/.exec(key);
  if (!match) return null;
  const seq = Number(match[2]);
  return seq >= 1 ? { device: match[1]!, seq } : null;
}

/** Domain-separated, fixed member order: the bytes the device signs and the chain hashes. */
export function recordSignedMessage(record: Pick<RecordEnvelope, 'device' | 'seq' | 'prev' | 'payloadHash'>): Uint8Array {
  const body = JSON.stringify({ device: record.device, seq: record.seq, prev: record.prev, payloadHash: record.payloadHash });
  return new TextEncoder().encode(`${RECORD_CONTEXT}${body}`);
}

/** The hash the next record's `prev` must name. */
export function recordHash(record: Pick<RecordEnvelope, 'device' | 'seq' | 'prev' | 'payloadHash'>): string {
  return hexHash(recordSignedMessage(record));
}

export function payloadHashOf(sealedPayload: Uint8Array): string {
  return hexHash(sealedPayload);
}

export function makeEnvelope(
  fields: { device: string; seq: number; prev: string; sealedPayload: Uint8Array },
  sign: (message: Uint8Array) => Uint8Array,
): RecordEnvelope {
  const payloadHash = payloadHashOf(fields.sealedPayload);
  const unsigned = { device: fields.device, seq: fields.seq, prev: fields.prev, payloadHash };
  return {
    format: RECORD_FORMAT,
    version: 1,
    ...unsigned,
    payload: Buffer.from(fields.sealedPayload).toString('base64'),
    sig: Buffer.from(sign(recordSignedMessage(unsigned))).toString('base64'),
  };
}

function refused(message: string): SafehouseError {
  return new SafehouseError('SYNC_REFUSED', `${message} Nothing from this pull was imported.`);
}

/**
 * Checks one record as read from `key` against what the chain expects. Every failure is a refusal with the
 * reason: a record that is not valid JSON, is signed by another key (a foreign record), sits under another
 * name than the one it signed (reordered), does not follow the previous record, or whose payload differs
 * from what was signed (tampered).
 */
export function checkRecord(
  raw: Uint8Array,
  at: { key: string; device: string; seq: number },
  expect: { signingKey: Uint8Array; prev: string },
): { envelope: RecordEnvelope; sealedPayload: Buffer; hash: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw).toString('utf8'));
  } catch {
    throw refused(`The record ${at.key} is not readable (damaged or not a Safehouse record).`);
  }
  const result = envelopeSchema.safeParse(parsed);
  if (!result.success) throw refused(`The record ${at.key} is not a Safehouse sync record.`);
  const envelope = result.data;
  const sodium = sodiumSync();
  const signed = sodium.crypto_sign_verify_detached(
    Buffer.from(envelope.sig, 'base64'),
    recordSignedMessage(envelope),
    expect.signingKey,
  );
  if (!signed) throw refused(`The record ${at.key} is not signed by the enrolled key of device ${at.device}: it is forged, foreign or altered.`);
  if (envelope.device !== at.device || envelope.seq !== at.seq) {
    throw refused(`The record ${at.key} was signed as record ${envelope.seq} of device ${envelope.device}: records were moved or reordered.`);
  }
  if (envelope.prev !== expect.prev) {
    throw refused(`The record ${at.key} does not follow the record before it: records were removed, replaced or reordered.`);
  }
  const sealedPayload = Buffer.from(envelope.payload, 'base64');
  if (payloadHashOf(sealedPayload) !== envelope.payloadHash) throw refused(`The content of record ${at.key} was altered after it was signed.`);
  return { envelope, sealedPayload, hash: recordHash(envelope) };
}
