import { beforeAll, describe, expect, it } from 'vitest';
import { parseRemote } from '../../../src/main/core/sync/carrier';
import { checkRecord, deviceIdFor, genesisHash, makeEnvelope, parseRecordKey, recordHash, recordKey } from '../../../src/main/core/sync/layout';
import { loadSodium, type Sodium } from '../../../src/main/core/vault/sodium';

/** The pure parts of the sync layout: remote addresses, record names, and the record checks, rule by rule. */
describe('remote addresses', () => {
  const good: [string, unknown][] = [
    ['s3://footage', { kind: 's3', bucket: 'footage', prefix: '', label: 's3://footage/' }],
    ['s3://footage/season-2', { kind: 's3', bucket: 'footage', prefix: 'season-2/', label: 's3://footage/season-2/' }],
    ['s3://footage//a//b/', { kind: 's3', bucket: 'footage', prefix: 'a/b/' }],
    ['file:///media/usb/footage', { kind: 'file', dir: '/media/usb/footage' }],
    ['file:///media/usb/a%20b', { kind: 'file', dir: '/media/usb/a b' }],
  ];
  it.each(good)('reads %s', (remote, expected) => {
    expect(parseRemote(remote)).toMatchObject(expected as object);
  });

  const bad: [string, RegExp][] = [
    ['https://bucket.example.com', /neither s3:\/\/ nor file:\/\//],
    ['s3://', /valid bucket/],
    ['s3://Upper_Case', /valid bucket/],
    ['s3://footage/../other', /\. or \.\./],
    ['file://relative/path', /absolute/],
    ['/media/usb', /neither/],
  ];
  it.each(bad)('refuses %s and says which forms work', (remote, reason) => {
    expect(() => parseRemote(remote)).toThrow(reason);
    expect(() => parseRemote(remote)).toThrow(/s3:\/\/BUCKET\/PREFIX .* file:\/\/\/path/);
  });
});

describe('record names', () => {
  const device = 'a'.repeat(32);
  const cases: [string, unknown][] = [
    [recordKey(device, 1), { device, seq: 1 }],
    [recordKey(device, 1234567), { device, seq: 1234567 }],
    [`records/${device}/0000000000`, null],
    [`records/${device}/1`, null],
    [`records/${'A'.repeat(32)}/0000000001`, null],
    [`records/${device}/0000000001.part`, null],
    [`records/${device}/../0000000001`, null],
    ['objects/abc', null],
  ];
  it.each(cases)('%s → %j', (key, expected) => {
    expect(parseRecordKey(key)).toEqual(expected);
  });
});

describe('record checks', () => {
  let sodium: Sodium;
  let keys: { publicKey: Uint8Array; privateKey: Uint8Array };
  let device: string;
  beforeAll(async () => {
    sodium = await loadSodium();
    keys = sodium.crypto_sign_keypair();
    device = deviceIdFor(Buffer.from(keys.publicKey).toString('base64'));
  });
  const sign = (message: Uint8Array) => sodium.crypto_sign_detached(message, keys.privateKey);
  const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

  it('accepts a chain of two and gives each record the hash the next one names', () => {
    const first = makeEnvelope({ device, seq: 1, prev: genesisHash(device), sealedPayload: new Uint8Array([1, 2, 3]) }, sign);
    const checked = checkRecord(encode(first), { key: recordKey(device, 1), device, seq: 1 }, { signingKey: keys.publicKey, prev: genesisHash(device) });
    expect(checked.hash).toBe(recordHash(first));
    const second = makeEnvelope({ device, seq: 2, prev: checked.hash, sealedPayload: new Uint8Array([4]) }, sign);
    expect(checkRecord(encode(second), { key: recordKey(device, 2), device, seq: 2 }, { signingKey: keys.publicKey, prev: checked.hash }).sealedPayload).toEqual(Buffer.from([4]));
  });

  type Case = [string, (env: ReturnType<typeof makeEnvelope>) => unknown, { seq?: number; prev?: string; foreignKey?: boolean }, RegExp];
  const cases: Case[] = [
    ['not JSON', () => 'not json', {}, /not readable/],
    ['another format', (e) => ({ ...e, format: 'other' }), {}, /not a Safehouse sync record/],
    ['an extra member', (e) => ({ ...e, extra: 1 }), {}, /not a Safehouse sync record/],
    ['a changed payload', (e) => ({ ...e, payload: Buffer.from([9, 9, 9]).toString('base64') }), {}, /altered after it was signed/],
    ['a changed payload hash', (e) => ({ ...e, payloadHash: 'f'.repeat(64) }), {}, /not signed by the enrolled key/],
    ['a changed sequence number', (e) => ({ ...e, seq: 2 }), { seq: 2 }, /not signed by the enrolled key/],
    ['a record stored under another number', (e) => e, { seq: 2 }, /moved or reordered/],
    ['a record that does not follow the previous one', (e) => e, { prev: 'e'.repeat(64) }, /does not follow the record before it/],
    ['another device’s signature', (e) => e, { foreignKey: true }, /not signed by the enrolled key/],
  ];
  it.each(cases)('refuses %s', (_name, mutate, at, message) => {
    const envelope = makeEnvelope({ device, seq: 1, prev: genesisHash(device), sealedPayload: new Uint8Array([1, 2, 3]) }, sign);
    const raw = mutate(envelope);
    const bytes = typeof raw === 'string' ? new TextEncoder().encode(raw) : encode(raw);
    const seq = at.seq ?? 1;
    const signingKey = at.foreignKey ? sodium.crypto_sign_keypair().publicKey : keys.publicKey;
    expect(() => checkRecord(bytes, { key: recordKey(device, seq), device, seq }, { signingKey, prev: at.prev ?? genesisHash(device) })).toThrow(message);
  });

  it('names devices and genesis hashes apart, so a chain cannot move to another device', () => {
    const other = deviceIdFor(Buffer.from(sodium.crypto_sign_keypair().publicKey).toString('base64'));
    expect(device).toMatch(/^[0-9a-f]{32}$/);
    expect(other).not.toBe(device);
    expect(genesisHash(other)).not.toBe(genesisHash(device));
  });
});
