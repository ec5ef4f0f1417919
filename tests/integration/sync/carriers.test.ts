import { GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UploadPart, UploadResumeStore } from '../../../src/main/core/sync/carrier';
import { createFileCarrier } from '../../../src/main/core/sync/file-carrier';
import { blake2bFile } from '../../../src/main/core/sync/file-hash';
import { createS3Carrier } from '../../../src/main/core/sync/s3-carrier';
import { startCable, startS3, type S3Emulator } from '../../helpers/s3-emulator';

/**
 * The two carriers on their own: a large object goes to the bucket in parts, a dropped connection keeps
 * the parts that arrived, and the next attempt sends only the rest; a drive continues a `.part` file.
 * Both leave exactly the bytes whose hash names the object, and nothing else (no metadata).
 */
const MIB = 1024 * 1024;

function memoryResume(): UploadResumeStore & { states: Map<string, { uploadId: string; parts: UploadPart[] }> } {
  const states = new Map<string, { uploadId: string; parts: UploadPart[] }>();
  return {
    states,
    load: async (target) => states.get(target) ?? null,
    save: async (target, state) => void states.set(target, structuredClone(state)),
    clear: async (target) => void states.delete(target),
  };
}

describe('sync carriers', () => {
  let base: string;
  let s3: S3Emulator;
  let file: string;
  let digest: { blake2b: string; size: number };

  beforeAll(async () => {
    base = await fs.mkdtemp(path.join(os.tmpdir(), 'sh-sync-carriers-'));
    s3 = await startS3(['carrier-test']);
    file = path.join(base, 'object.bin');
    await fs.writeFile(file, randomBytes(23 * MIB)); // five 5 MiB parts, the last one short
    digest = await blake2bFile(file);
  });
  afterAll(async () => {
    await s3?.stop();
    await fs.rm(base, { recursive: true, force: true });
  });

  it('continues a multipart upload after a dropped connection, sending only the missing parts', async () => {
    const resume = memoryResume();
    const key = `objects/${digest.blake2b}`;
    const cable = await startCable(s3.port, 12 * MIB); // parts 1 and 2 arrive, part 3 is cut
    const first = createS3Carrier({ bucket: 'carrier-test', prefix: 'p/', label: 's3://carrier-test/p/', endpoint: cable.endpoint, partBytes: 5 * MIB, partConcurrency: 1 });
    await expect(first.putFile(key, file, { size: digest.size, blake2b: digest.blake2b, resume, onBytes: () => undefined })).rejects.toMatchObject({ code: 'REMOTE_FAILED' });
    first.close();
    await cable.stop();
    const saved = [...resume.states.values()][0]!;
    expect(saved.parts.map((part) => part.n)).toEqual([1, 2]);

    const counting = await startCable(s3.port);
    const second = createS3Carrier({ bucket: 'carrier-test', prefix: 'p/', label: 's3://carrier-test/p/', endpoint: counting.endpoint, partBytes: 5 * MIB, partConcurrency: 1 });
    let reported = 0;
    await second.putFile(key, file, { size: digest.size, blake2b: digest.blake2b, resume, onBytes: (n) => void (reported += n) });
    second.close();
    await counting.stop();
    expect(reported).toBe(digest.size); // progress counts the parts found already sent
    expect(counting.sent()).toBeGreaterThan(13 * MIB);
    expect(counting.sent()).toBeLessThan(14 * MIB); // parts 3–5 only, plus HTTP
    expect(resume.states.size).toBe(0);

    const client = new S3Client({ endpoint: s3.endpoint, forcePathStyle: true, region: 'us-east-1' });
    const head = await client.send(new HeadObjectCommand({ Bucket: 'carrier-test', Key: `p/${key}` }));
    expect(head.Metadata).toEqual({});
    const body = Buffer.from(await (await client.send(new GetObjectCommand({ Bucket: 'carrier-test', Key: `p/${key}` }))).Body!.transformToByteArray());
    client.destroy();
    expect(body.equals(await fs.readFile(file))).toBe(true);
  }, 120_000);

  it('says which remote failed, without credentials, when the store cannot be reached', async () => {
    const carrier = createS3Carrier({ bucket: 'carrier-test', prefix: '', label: 's3://carrier-test/', endpoint: 'http://127.0.0.1:9' });
    await expect(carrier.stat('objects/x')).rejects.toThrow(/s3:\/\/carrier-test\/ failed \(ECONNREFUSED\)/);
    await expect(carrier.stat('objects/x')).rejects.not.toThrow(/S3RVER/);
    carrier.close();
  });

  it('refuses a record larger than any record can be', async () => {
    const carrier = createS3Carrier({ bucket: 'carrier-test', prefix: 'big/', label: 's3://carrier-test/big/', endpoint: s3.endpoint });
    await carrier.putBytes('records/x', new Uint8Array(2048));
    await expect(carrier.getBytes('records/x', 1024)).rejects.toMatchObject({ code: 'SYNC_REFUSED' });
    expect((await carrier.list('records/')).map((item) => item.key)).toEqual(['records/x']);
    carrier.close();
  });

  it('on a drive, continues a .part file left by a pulled cable and checks what it wrote', async () => {
    const drive = path.join(base, 'usb');
    const carrier = createFileCarrier(drive, `file://${drive}`);
    const key = `objects/${digest.blake2b}`;
    const target = path.join(drive, key);
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.writeFile(`${target}.part`, (await fs.readFile(file)).subarray(0, 7 * MIB));
    let reported = 0;
    await carrier.putFile(key, file, { size: digest.size, blake2b: digest.blake2b, resume: memoryResume(), onBytes: (n) => void (reported += n) });
    expect(reported).toBe(digest.size);
    expect(await blake2bFile(target)).toEqual(digest);
    expect(await carrier.list('objects/')).toEqual([{ key, size: digest.size }]);

    // A .part holding wrong bytes is caught by the read-back, removed, and the object is not published.
    const other = `objects/${'0'.repeat(64)}`;
    await fs.writeFile(path.join(drive, `${other}.part`), Buffer.alloc(7 * MIB, 1));
    await expect(carrier.putFile(other, file, { size: digest.size, blake2b: '0'.repeat(64), resume: memoryResume(), onBytes: () => undefined })).rejects.toMatchObject({ code: 'REMOTE_FAILED' });
    expect(await carrier.stat(other)).toBeNull();
  });
});
