import { promises as fs } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVault, type UnlockedVault } from '../../../src/main/core/vault/vault';
import { CHUNK_SIZE, FRAME_SIZE } from '../../../src/main/core/vault/object-format';
import { PASS, expectCode, objectPath, patternBytes, tempDir } from './helpers';

let dir: string;
let vault: UnlockedVault;

beforeAll(async () => {
  dir = path.join(await tempDir(), 'vault');
  vault = await createVault(dir, PASS);
});
afterAll(() => vault.lock());

/** Byte offset where content frames start (header + MAC + meta frame). */
async function contentStart(file: string): Promise<number> {
  const bytes = await fs.readFile(file);
  const count = bytes.readUInt16LE(10);
  const hlen = 52 + 80 * count + 32;
  return hlen + 4 + bytes.readUInt32LE(hlen);
}

async function expectRejected(id: string): Promise<void> {
  await expectCode(vault.readObject(id), 'INTEGRITY');
}

describe('object round-trips', () => {
  for (const size of [0, 1, CHUNK_SIZE - 1, CHUNK_SIZE, CHUNK_SIZE + 1, 3 * CHUNK_SIZE]) {
    it(`round-trips ${size} bytes with metadata`, async () => {
      const data = patternBytes(size, size + 7);
      const { id, plainSize } = await vault.writeObject('proxy', data, { kind: 'test', size });
      expect(plainSize).toBe(size);
      expect(id).toMatch(/^[0-9a-f]{32}$/);
      const back = await vault.readObject(id);
      expect(back.meta).toEqual({ kind: 'test', size });
      expect(Buffer.compare(back.data, Buffer.from(data))).toBe(0);
      const meta = await vault.objectMeta(id);
      expect(meta).toEqual({ cls: 'proxy', meta: { kind: 'test', size }, plainSize: size });
    });
  }

  it('frames are exact: 65536 bytes → one final full frame', async () => {
    const { id } = await vault.writeObject('master', patternBytes(CHUNK_SIZE));
    const file = objectPath(dir, id);
    const { size } = await fs.stat(file);
    expect(size - (await contentStart(file))).toBe(FRAME_SIZE);
  });

  it('property: any size and any write split round-trips (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.integer({ min: 0, max: 3 * CHUNK_SIZE + 3 }), fc.constantFrom(CHUNK_SIZE - 1, CHUNK_SIZE, CHUNK_SIZE + 1, 2 * CHUNK_SIZE, 2 * CHUNK_SIZE + 1)),
        fc.array(fc.integer({ min: 1, max: 2 * CHUNK_SIZE }), { maxLength: 6 }),
        fc.integer({ min: 1, max: 1e6 }),
        async (size, splits, seed) => {
          const data = patternBytes(size, seed);
          const writer = await vault.createObjectWriter('identity', { seed });
          let at = 0;
          for (const n of splits) {
            if (at >= size) break;
            await writer.write(data.subarray(at, Math.min(size, at + n)));
            at += n;
          }
          if (at < size) await writer.write(data.subarray(at));
          const { id, plainSize } = await writer.commit();
          expect(plainSize).toBe(size);
          const back = await vault.readObject(id);
          expect(Buffer.compare(back.data, Buffer.from(data))).toBe(0);
          const streamed: Buffer[] = [];
          for await (const c of vault.streamObject(id)) streamed.push(Buffer.from(c));
          expect(Buffer.compare(Buffer.concat(streamed), Buffer.from(data))).toBe(0);
          await vault.deleteObject(id);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('sealed values round-trip and are class-checked', () => {
    const blob = vault.sealValue('proxy', 'Card label ✓');
    expect(vault.openText(blob)).toBe('Card label ✓');
    const bin = vault.sealValue('identity', new Uint8Array([1, 2, 3]));
    expect([...vault.openValue(bin)]).toEqual([1, 2, 3]);
    const broken = Uint8Array.from(blob);
    broken[broken.length - 1]! ^= 1;
    return expectCode(() => vault.openValue(broken), 'INTEGRITY');
  });

  it('lists and deletes objects', async () => {
    const { id } = await vault.writeObject('proxy', new Uint8Array([1]));
    expect(await vault.listObjectIds()).toContain(id);
    await vault.deleteObject(id);
    expect(await vault.listObjectIds()).not.toContain(id);
    await expectCode(vault.readObject(id), 'OBJECT_NOT_FOUND');
    await expectCode(vault.readObject('../../vault.json'), 'OBJECT_NOT_FOUND');
  });
});

describe('tampering is rejected with INTEGRITY and releases nothing', () => {
  const size = 3 * CHUNK_SIZE + 100; // 4 frames
  let original: Buffer;
  let start: number;

  async function fresh(): Promise<{ id: string; file: string; bytes: Buffer }> {
    const { id } = await vault.writeObject('proxy', patternBytes(size, 99), { secret: 'meta' });
    const file = objectPath(dir, id);
    const bytes = await fs.readFile(file);
    start = await contentStart(file);
    return { id, file, bytes };
  }

  beforeAll(async () => {
    original = Buffer.from(patternBytes(size, 99));
  });

  async function mutate(fn: (bytes: Buffer) => Buffer): Promise<void> {
    const { id, file, bytes } = await fresh();
    await fs.writeFile(file, fn(bytes));
    await expectRejected(id);
    // Streaming consumers never see a chunk past the damage, and the stream throws before completing.
    const seen: Buffer[] = [];
    await expectCode((async () => {
      for await (const c of vault.streamObject(id)) seen.push(c);
    })(), 'INTEGRITY');
    expect(Buffer.concat(seen).equals(original)).toBe(false);
  }

  const frame = (i: number) => [start + i * FRAME_SIZE, start + (i + 1) * FRAME_SIZE] as const;

  it('flipped byte in the header (recipient slot, id, stream header, MAC)', async () => {
    for (const at of [9, 13, 30, 60, 52 + 80 + 5]) await mutate((b) => { b[at]! ^= 0x01; return b; });
  });
  it('flipped byte in the metadata frame', () => mutate((b) => { b[start - 3]! ^= 0x80; return b; }));
  it('flipped byte in the body', () => mutate((b) => { b[start + FRAME_SIZE + 10]! ^= 0x01; return b; }));
  it('final chunk dropped', () => mutate((b) => b.subarray(0, frame(3)[0])));
  it('last byte truncated', () => mutate((b) => b.subarray(0, b.length - 1)));
  it('middle chunk dropped', () => mutate((b) => Buffer.concat([b.subarray(0, frame(1)[0]), b.subarray(frame(2)[0])])));
  it('middle chunks reordered', () =>
    mutate((b) => Buffer.concat([b.subarray(0, frame(1)[0]), b.subarray(...frame(2)), b.subarray(...frame(1)), b.subarray(frame(3)[0])])));
  it('middle chunk duplicated', () =>
    mutate((b) => Buffer.concat([b.subarray(0, frame(2)[0]), b.subarray(...frame(1)), b.subarray(frame(2)[0])])));
  it('bytes appended after TAG_FINAL', () => mutate((b) => Buffer.concat([b, Buffer.from([0])])));
  it('a whole valid frame appended', () => mutate((b) => Buffer.concat([b, b.subarray(...frame(1))])));

  it('headers swapped between two objects', async () => {
    const a = await fresh();
    const b = await fresh();
    const startA = start;
    const headA = a.bytes.subarray(0, startA);
    const headB = b.bytes.subarray(0, startA);
    await fs.writeFile(a.file, Buffer.concat([headB, a.bytes.subarray(startA)]));
    await fs.writeFile(b.file, Buffer.concat([headA, b.bytes.subarray(startA)]));
    await expectRejected(a.id);
    await expectRejected(b.id);
    // Renaming b's intact file to a's name is caught by the id check.
    await fs.writeFile(a.file, b.bytes);
    await expectRejected(a.id);
  });

  it('class field rewritten to another class', async () => {
    for (const cls of [0, 2]) await mutate((b) => { b[9] = cls; return b; });
  });
});

describe('staging', () => {
  it('an aborted writer leaves nothing behind', async () => {
    const before = await vault.listObjectIds();
    const writer = await vault.createObjectWriter('master');
    await writer.write(patternBytes(3 * CHUNK_SIZE));
    expect((await fs.readdir(path.join(dir, 'staging'))).length).toBe(1);
    await writer.abort();
    expect(await fs.readdir(path.join(dir, 'staging'))).toEqual([]);
    expect(await vault.listObjectIds()).toEqual(before);
  });

  it('discardStaging removes leftovers of a crash but not open writers', async () => {
    await fs.writeFile(path.join(dir, 'staging', `${'ab'.repeat(16)}.part`), 'partial');
    await fs.writeFile(path.join(dir, 'staging', `${'cd'.repeat(16)}.part`), 'partial');
    const open = await vault.createObjectWriter('proxy');
    await open.write(new Uint8Array(10));
    expect(await vault.discardStaging()).toBe(2);
    const { id } = await open.commit();
    expect((await vault.readObject(id)).data.length).toBe(10);
    expect(await fs.readdir(path.join(dir, 'staging'))).toEqual([]);
  });
});
