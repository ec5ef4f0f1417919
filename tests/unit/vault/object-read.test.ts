import { promises as fs } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { newClassKeyPair, type ClassKeyPair } from '../../../src/main/core/vault/keys';
import { CHUNK_SIZE, ObjectOpener, parseHeader, sealBytes, unsealStreamKey } from '../../../src/main/core/vault/object-format';
import { BATCH_FRAMES, digestOffThread, startOffThreadRead, type ObjectReadSource } from '../../../src/main/core/vault/object-read';
import { loadSodium } from '../../../src/main/core/vault/sodium';
import { SafehouseError } from '../../../src/shared/errors';
import { patternBytes, tempDir, xxh64Of } from './helpers';

// object-read.ts on its own: the crypto worker reads the file named in the job and hands back plaintext
// in transferred buffers; damage is INTEGRITY, a file that cannot be read keeps its errno.
let keyPair: ClassKeyPair;
beforeAll(async () => {
  await loadSodium();
  keyPair = newClassKeyPair();
});

/** An object in the vault format written to `file`, and what a read of it needs. */
async function sealedFile(file: string, plaintext: Uint8Array): Promise<ObjectReadSource> {
  const blob = sealBytes('master', [keyPair.publicKey], plaintext);
  await fs.writeFile(file, blob);
  const header = parseHeader(blob);
  const metaLength = ObjectOpener.metaLength(blob.subarray(header.length, header.length + 4));
  const metaFrame = blob.subarray(header.length + 4, header.length + 4 + metaLength);
  const { streamKey, mac } = unsealStreamKey(header, keyPair);
  return { file, start: header.length + 4 + metaLength, size: blob.length, streamHeader: header.streamHeader, streamKey, mac, metaFrame };
}

describe('reads on the crypto worker', () => {
  it('hands back every batch in order, owned or borrowed, and the digest of the same bytes', async () => {
    const dir = await tempDir();
    const data = patternBytes(3 * CHUNK_SIZE * BATCH_FRAMES + 1234, 5);
    const source = await sealedFile(path.join(dir, 'object'), data);
    for (const borrow of [false, true]) {
      const reader = startOffThreadRead(source, () => undefined);
      const seen: Buffer[] = [];
      for (let chunk = await reader.next(borrow); chunk; chunk = await reader.next(borrow)) seen.push(Buffer.from(chunk));
      expect(seen.map((chunk) => chunk.length)).toEqual([1, 2, 3].map(() => CHUNK_SIZE * BATCH_FRAMES).concat(1234));
      expect(Buffer.concat(seen).equals(Buffer.from(data)), `borrow: ${borrow}`).toBe(true);
    }
    expect(await digestOffThread(source, () => undefined)).toBe(await xxh64Of(data));
  });

  it('a file that cannot be read fails with its errno, not as damage', async () => {
    const dir = await tempDir();
    const source = await sealedFile(path.join(dir, 'object'), patternBytes(1000, 2));
    const gone = { ...source, file: path.join(dir, 'missing') };
    const digestError = await digestOffThread(gone, () => undefined).catch((error: unknown) => error);
    expect(digestError).not.toBeInstanceOf(SafehouseError);
    expect(digestError).toMatchObject({ code: 'ENOENT' });
    const reader = startOffThreadRead(gone, () => undefined);
    await expect(reader.next()).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('a guard that throws stops the read and the digest with its error', async () => {
    const dir = await tempDir();
    const source = await sealedFile(path.join(dir, 'object'), patternBytes(4 * CHUNK_SIZE * BATCH_FRAMES, 3));
    const locked = new SafehouseError('VAULT_LOCKED');
    let open = true;
    const guard = () => {
      if (!open) throw locked;
    };
    const reader = startOffThreadRead(source, guard);
    expect((await reader.next())?.length).toBe(CHUNK_SIZE * BATCH_FRAMES);
    open = false;
    await expect(reader.next()).rejects.toBe(locked);
    reader.discard();
    await expect(digestOffThread(source, guard)).rejects.toBe(locked);
  });
});
