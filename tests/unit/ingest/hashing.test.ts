import { createHash } from 'node:crypto';
import { symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import { createSourceHasher, hashFile, HASH_READ_BYTES, initHashing } from '../../../src/main/core/ingest/hashing';
import { removeTempCards, tempDir } from './temp-card';
import { xxh64Reference } from './xxh64-reference';

beforeAll(() => initHashing());
afterAll(removeTempCards);

const enc = new TextEncoder();
function digestOf(...chunks: Uint8Array[]) {
  const h = createSourceHasher();
  for (const c of chunks) h.update(c);
  return h.digest();
}

describe('source hashing', () => {
  it('matches known vectors (BLAKE2b checked against Python hashlib, xxh64 against the spec)', () => {
    expect(digestOf()).toEqual({
      xxh64: 'ef46db3751d8e999',
      blake2b256: '0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8',
    });
    expect(digestOf(enc.encode('abc'))).toEqual({
      xxh64: '44bc2cf5ad770999',
      blake2b256: 'bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319',
    });
    expect(xxh64Reference(new Uint8Array())).toBe('ef46db3751d8e999');
  });

  it('xxh64 agrees with an independent reference, including zero-padded values, for any input', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300, size: 'max' }), (data) => {
        expect(digestOf(data).xxh64).toBe(xxh64Reference(data));
      }),
      { numRuns: 300 },
    );
  });

  it('is invariant to how the stream is chunked', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4096, size: 'max' }), fc.array(fc.nat(4096), { maxLength: 12 }), (data, cuts) => {
        const points = [...new Set(cuts.map((c) => c % (data.length + 1)))].sort((a, b) => a - b);
        const chunks: Uint8Array[] = [];
        let last = 0;
        for (const p of [...points, data.length]) {
          chunks.push(data.subarray(last, p));
          last = p;
        }
        expect(digestOf(...chunks)).toEqual(digestOf(data));
      }),
      { numRuns: 200 },
    );
  });

  it('refuses reuse after digest', () => {
    const h = createSourceHasher();
    h.digest();
    expect(() => h.update(enc.encode('x'))).toThrow(/after its digest/);
    expect(() => h.digest()).toThrow(/twice/);
  });

  it('hashFile streams in 1 MiB reads, reports progress and equals the in-memory digest', async () => {
    const data = createHash('sha512').update('seed').digest();
    const big = new Uint8Array(HASH_READ_BYTES * 2 + 12345);
    for (let i = 0; i < big.length; i++) big[i] = data[i % data.length]! ^ (i >> 8);
    const file = path.join(tempDir(), '-clip\u00e9.MP4');
    writeFileSync(file, big);
    const chunks: number[] = [];
    let total = 0;
    const result = await hashFile(file, (n, t) => {
      chunks.push(n);
      total = t;
    });
    expect(result).toEqual({ ...digestOf(big), size: big.length });
    expect(total).toBe(big.length);
    expect(Math.max(...chunks)).toBeLessThanOrEqual(HASH_READ_BYTES);
    expect(chunks.length).toBeGreaterThanOrEqual(3);
  });

  it.runIf(process.platform !== 'win32')('hashFile never follows a symlink (the card is untrusted)', async () => {
    const link = path.join(tempDir(), 'C0001.MP4');
    symlinkSync('/etc/passwd', link);
    await expect(hashFile(link)).rejects.toMatchObject({ code: 'ELOOP' });
  });
});
