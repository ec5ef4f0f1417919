import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import type { Readable } from 'node:stream';
import {
  CompleteMultipartUploadCommand, CreateMultipartUploadCommand, GetObjectCommand, HeadObjectCommand,
  ListObjectsV2Command, PutObjectCommand, S3Client, UploadPartCommand,
} from '@aws-sdk/client-s3';
import { SafehouseError, type ErrorReason } from '../../../shared/errors';
import type { Carrier, PutFileOptions, UploadPart } from './carrier';

/**
 * The sync layout in an S3-compatible bucket (AWS, MinIO, Garage …) through @aws-sdk/client-s3.
 *
 * Credentials and region come from the SDK's usual chain (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY,
 * AWS_PROFILE and ~/.aws, …); `endpoint` points at a self-hosted store and then forces path-style
 * addressing, which those stores expect. Nothing Safehouse sends carries metadata: no user metadata, no
 * content type beyond the default, no dates; the object names are hashes (layout.ts).
 *
 * Large files go up in parts; each finished part is recorded (UploadResumeStore) so a dropped connection
 * or a killed push continues with the next part. Every PUT carries Content-MD5 (the store refuses a body that
 * does not match), and the finished object is checked by size and, where the store reports it, by ETag.
 */

const MIB = 1024 * 1024;
export const DEFAULT_PART_BYTES = 16 * MIB;
const PART_CONCURRENCY = 4;

export interface S3CarrierOptions {
  bucket: string;
  prefix: string;
  label: string;
  endpoint?: string;
  /** At least 5 MiB (S3's minimum part size). */
  partBytes?: number;
  /** Parts in flight at once (default 4). */
  partConcurrency?: number;
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'TimeoutError', 'RequestTimeout']);
const BAD_CREDENTIALS = new Set(['InvalidAccessKeyId', 'SignatureDoesNotMatch', 'ExpiredToken', 'InvalidToken', 'TokenRefreshRequired', 'CredentialsProviderError']);
const DENIED = new Set(['AccessDenied', 'Forbidden', 'AllAccessDisabled', 'AccountProblem']);

/** The SDK's error name as a reason the window can word (the CLI prints the name itself). */
export function remoteFailureReason(name: string): ErrorReason | undefined {
  if (UNREACHABLE.has(name)) return 'remote-unreachable';
  if (name === 'NoSuchBucket') return 'remote-no-bucket';
  if (BAD_CREDENTIALS.has(name)) return 'remote-credentials';
  if (DENIED.has(name)) return 'remote-denied';
  return undefined;
}

function remoteFailed(label: string, error: unknown): SafehouseError {
  const name = (error as { name?: string; code?: string } | null)?.code ?? (error as { name?: string } | null)?.name ?? 'error';
  // A refused HEAD has no body to name the error: its status alone says the store refused the key.
  const status = (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
  const reason = remoteFailureReason(name) ?? (status === 403 ? 'remote-denied' : undefined);
  // The SDK's message can quote request details; only its error name is shown, never credentials.
  return new SafehouseError('REMOTE_FAILED', `The sync remote ${label} failed (${name}). Check the address, the credentials and the connection, then run the same command again: what was sent is kept.`, { cause: error, ...(reason ? { reason } : {}) });
}

const isNotFound = (error: unknown): boolean => {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NotFound' || e.name === 'NoSuchKey' || e.$metadata?.httpStatusCode === 404;
};
const isNoSuchUpload = (error: unknown): boolean => (error as { name?: string }).name === 'NoSuchUpload';

const md5 = (bytes: Uint8Array): Buffer => createHash('md5').update(bytes).digest();

async function readPart(file: string, offset: number, length: number): Promise<Buffer> {
  const handle = await fs.open(file, 'r');
  try {
    const buffer = Buffer.allocUnsafe(length);
    let got = 0;
    while (got < length) {
      const { bytesRead } = await handle.read(buffer, got, length - got, offset + got);
      if (bytesRead === 0) throw new SafehouseError('INTEGRITY', 'A vault object became shorter while it was being sent.');
      got += bytesRead;
    }
    return buffer;
  } finally {
    await handle.close();
  }
}

export function createS3Carrier(options: S3CarrierOptions): Carrier {
  const client = new S3Client({
    region: process.env['AWS_REGION'] ?? process.env['AWS_DEFAULT_REGION'] ?? 'us-east-1',
    ...(options.endpoint ? { endpoint: options.endpoint, forcePathStyle: true } : {}),
    // Checksums only where S3 requires them: we send Content-MD5 ourselves, and self-hosted stores do not
    // all understand the newer flexible-checksum trailers.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 3,
  });
  const { bucket, label } = options;
  const partBytes = Math.max(5 * MIB, options.partBytes ?? DEFAULT_PART_BYTES);
  const k = (key: string) => `${options.prefix}${key}`;
  const send = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      if (error instanceof SafehouseError) throw error;
      throw remoteFailed(label, error);
    }
  };

  const stat = async (key: string): Promise<{ size: number; etag: string | undefined } | null> => {
    try {
      const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: k(key) }));
      return { size: head.ContentLength ?? 0, etag: head.ETag?.replace(/"/g, '') };
    } catch (error) {
      if (isNotFound(error)) return null;
      throw remoteFailed(label, error);
    }
  };

  const putSmall = async (key: string, body: Uint8Array): Promise<string | undefined> => {
    const digest = md5(body);
    const put = await send(() => client.send(new PutObjectCommand({ Bucket: bucket, Key: k(key), Body: body, ContentLength: body.length, ContentMD5: digest.toString('base64') })));
    const etag = put.ETag?.replace(/"/g, '');
    if (etag && /^[0-9a-f]{32}$/.test(etag) && etag !== digest.toString('hex')) throw remoteFailed(label, new Error('BadDigest'));
    return digest.toString('hex');
  };

  /** One multipart upload, continued from the parts the resume store already lists. */
  const putMultipart = async (key: string, file: string, opts: PutFileOptions): Promise<string> => {
    const target = `${label}${key}`;
    const count = Math.ceil(opts.size / partBytes);
    let state = await opts.resume.load(target);
    if (state && state.parts.some((part) => part.n > count)) state = null;
    if (!state) {
      const created = await send(() => client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: k(key) })));
      if (!created.UploadId) throw remoteFailed(label, new Error('NoUploadId'));
      state = { uploadId: created.UploadId, parts: [] };
      await opts.resume.save(target, state);
    }
    const uploadId = state.uploadId;
    const done = new Map<number, UploadPart>(state.parts.map((part) => [part.n, part]));
    for (const part of done.values()) opts.onBytes(part.size);
    const todo = Array.from({ length: count }, (_, i) => i + 1).filter((n) => !done.has(n));
    let saving: Promise<void> = Promise.resolve();
    const worker = async (): Promise<void> => {
      for (let n = todo.shift(); n !== undefined; n = todo.shift()) {
        const offset = (n - 1) * partBytes;
        const body = await readPart(file, offset, Math.min(partBytes, opts.size - offset));
        const digest = md5(body);
        const sent = await send(() =>
          client.send(new UploadPartCommand({ Bucket: bucket, Key: k(key), UploadId: uploadId, PartNumber: n, Body: body, ContentLength: body.length, ContentMD5: digest.toString('base64') })),
        );
        const etag = sent.ETag?.replace(/"/g, '') ?? digest.toString('hex');
        if (/^[0-9a-f]{32}$/.test(etag) && etag !== digest.toString('hex')) throw remoteFailed(label, new Error('BadDigest'));
        done.set(n, { n, etag, size: body.length });
        opts.onBytes(body.length);
        const snapshot = { uploadId, parts: [...done.values()].sort((a, b) => a.n - b.n) };
        saving = saving.then(() => opts.resume.save(target, snapshot));
        await saving;
      }
    };
    await Promise.all(Array.from({ length: Math.min(options.partConcurrency ?? PART_CONCURRENCY, Math.max(1, todo.length)) }, worker));
    const parts = [...done.values()].sort((a, b) => a.n - b.n);
    await send(() =>
      client.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: k(key), UploadId: uploadId, MultipartUpload: { Parts: parts.map((part) => ({ PartNumber: part.n, ETag: `"${part.etag}"` })) } })),
    );
    await opts.resume.clear(target);
    // S3's multipart ETag: MD5 of the parts' MD5s, "-" and the part count.
    const combined = createHash('md5').update(Buffer.concat(parts.map((part) => Buffer.from(part.etag, 'hex')))).digest('hex');
    return `${combined}-${parts.length}`;
  };

  return {
    label,
    stat: async (key) => {
      const found = await stat(key);
      return found ? { size: found.size } : null;
    },
    async list(prefix) {
      const out: { key: string; size: number }[] = [];
      let token: string | undefined;
      do {
        const page = await send(() => client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: k(prefix), ContinuationToken: token })));
        for (const item of page.Contents ?? []) {
          if (item.Key?.startsWith(options.prefix)) out.push({ key: item.Key.slice(options.prefix.length), size: item.Size ?? 0 });
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    },
    async putBytes(key, bytes) {
      await putSmall(key, bytes);
    },
    async putFile(key, file, opts) {
      let expected: string;
      if (opts.size <= partBytes) {
        expected = (await putSmall(key, await readPart(file, 0, opts.size))) ?? '';
        opts.onBytes(opts.size);
      } else {
        try {
          expected = await putMultipart(key, file, opts);
        } catch (error) {
          // The store forgot the upload (expired, aborted by a lifecycle rule): start it again, once.
          if (!isNoSuchUpload(error) && !isNoSuchUpload((error as { cause?: unknown }).cause)) throw error;
          await opts.resume.clear(`${label}${key}`);
          expected = await putMultipart(key, file, opts);
        }
      }
      // Verify what was sent: the store must now hold that many bytes, with the ETag its MD5s give.
      const held = await stat(key);
      if (!held || held.size !== opts.size) throw remoteFailed(label, new Error(`SizeMismatch on ${key}`));
      // Compared only where the store's ETag has the form we computed (S3: MD5, or MD5-of-part-MD5s "-N";
      // some self-hosted stores give the whole object's MD5 for a multipart upload, or an opaque value).
      const sameForm = held.etag !== undefined && /^[0-9a-f]{32}(-\d+)?$/.test(held.etag) && held.etag.includes('-') === expected.includes('-');
      if (sameForm && held.etag !== expected) throw remoteFailed(label, new Error(`ETagMismatch on ${key}`));
    },
    async getBytes(key, maxBytes) {
      const got = await send(() => client.send(new GetObjectCommand({ Bucket: bucket, Key: k(key) })));
      if ((got.ContentLength ?? 0) > maxBytes) {
        (got.Body as Readable | undefined)?.destroy();
        throw new SafehouseError('SYNC_REFUSED', `${key} is larger than any Safehouse record can be. Nothing from this pull was imported.`);
      }
      const bytes = await send(async () => Buffer.from((await got.Body?.transformToByteArray()) ?? new Uint8Array()));
      return bytes;
    },
    readFrom(key, start) {
      return (async function* () {
        const got = await send(() => client.send(new GetObjectCommand({ Bucket: bucket, Key: k(key), ...(start > 0 ? { Range: `bytes=${start}-` } : {}) })));
        try {
          for await (const chunk of got.Body as Readable) yield chunk as Uint8Array;
        } catch (error) {
          throw remoteFailed(label, error);
        }
      })();
    },
    close: () => client.destroy(),
  };
}
