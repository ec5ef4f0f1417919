import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createOffThreadBlake2b } from '../../../src/main/core/vault/crypto-worker';
import { digestOffThread } from '../../../src/main/core/vault/object-read';
import { createSourceHasher, initHashing } from '../../../src/main/core/ingest/hashing';

beforeAll(() => initHashing());

const reference = (data: Uint8Array) => {
  const h = createSourceHasher();
  h.update(data);
  return h.digest().blake2b256;
};

describe('BLAKE2b-256 on the hash worker', () => {
  it('matches the in-thread hash for empty input, odd chunk sizes, and one update larger than its ring', async () => {
    const data = randomBytes(9 * 1024 * 1024 + 12345);
    const empty = createOffThreadBlake2b();
    expect(await empty.digest()).toBe(reference(new Uint8Array()));

    const chunked = createOffThreadBlake2b();
    const sizes = [1, 65536, 1048575, 3, 1048577, 700000];
    for (let at = 0, i = 0; at < data.length; i += 1) {
      const n = Math.min(sizes[i % sizes.length]!, data.length - at);
      chunked.update(data.subarray(at, at + n));
      at += n;
      await chunked.flowing();
    }
    const whole = createOffThreadBlake2b();
    whole.update(data); // no flowing(): more than the ring holds goes as a transferred copy
    const [a, b] = await Promise.all([chunked.digest(), whole.digest()]);
    expect(a).toBe(reference(data));
    expect(b).toBe(reference(data));
  });

  it('keeps concurrent hashers apart, and copies (the caller may reuse its buffer)', async () => {
    const x = createOffThreadBlake2b();
    const y = createOffThreadBlake2b();
    const buf = Buffer.alloc(300_000, 1);
    x.update(buf);
    buf.fill(2);
    y.update(buf);
    expect(await x.digest()).toBe(reference(Buffer.alloc(300_000, 1)));
    expect(await y.digest()).toBe(reference(Buffer.alloc(300_000, 2)));
  });
});

describe('the worker and the process lifetime', () => {
  // A CLI must exit as soon as its work is done: an idle worker keeps nothing alive, a busy one does.
  const keepingAlive = () => process.getActiveResourcesInfo().filter((kind) => kind === 'MessagePort' || kind === 'Worker').length;

  it('holds the process open while a job is open, and not once it is answered', async () => {
    const idle = keepingAlive();
    const hasher = createOffThreadBlake2b();
    hasher.update(randomBytes(1024));
    expect(keepingAlive()).toBeGreaterThan(idle);
    expect(await hasher.digest()).toMatch(/^[0-9a-f]{64}$/);
    expect(keepingAlive()).toBe(idle);
  });

  it('lets the process go after a job failed on the worker', async () => {
    const idle = keepingAlive();
    // a metadata frame that does not authenticate: the worker answers with an error, not a digest
    const source = { file: '/nonexistent', start: 0, size: 100, streamHeader: randomBytes(24), streamKey: randomBytes(32), mac: randomBytes(32), metaFrame: randomBytes(40) };
    const digest = digestOffThread(source, () => undefined);
    expect(keepingAlive()).toBeGreaterThan(idle);
    await expect(digest).rejects.toMatchObject({ code: 'INTEGRITY' });
    expect(keepingAlive()).toBe(idle);
  });
});
