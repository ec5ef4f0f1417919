import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SafehouseError } from '../../../shared/errors';

/**
 * A carrier moves the sync layout (layout.ts) to and from one place: an S3-compatible bucket or a folder
 * (a removable drive). Keys are relative to the remote's prefix. Carriers only move bytes; every check of
 * what the bytes mean (hashes, signatures, decryption) happens in push.ts and pull.ts, the same for both.
 */

export interface UploadPart {
  n: number;
  etag: string;
  size: number;
}

/** Where a carrier keeps an unfinished multipart upload, so a killed push continues it (field catalog). */
export interface UploadResumeStore {
  load(target: string): Promise<{ uploadId: string; parts: UploadPart[] } | null>;
  save(target: string, state: { uploadId: string; parts: UploadPart[] }): Promise<void>;
  clear(target: string): Promise<void>;
}

export interface PutFileOptions {
  size: number;
  /** BLAKE2b-256 (hex) of the file: what the carrier must hold under the key once it returns. */
  blake2b: string;
  resume: UploadResumeStore;
  /** Bytes sent (or found already sent) since the last call, for progress. */
  onBytes(bytes: number): void;
}

export interface Carrier {
  /** The remote as the user gave it (no credentials are ever part of it), for messages and resume keys. */
  readonly label: string;
  stat(key: string): Promise<{ size: number } | null>;
  list(prefix: string): Promise<{ key: string; size: number }[]>;
  putBytes(key: string, bytes: Uint8Array): Promise<void>;
  putFile(key: string, file: string, options: PutFileOptions): Promise<void>;
  getBytes(key: string, maxBytes: number): Promise<Buffer>;
  /** The object's bytes from `start` on (a resumed download asks for the rest only). */
  readFrom(key: string, start: number): AsyncIterable<Uint8Array>;
  close(): void;
}

export type RemoteAddress = { kind: 's3'; bucket: string; prefix: string; label: string } | { kind: 'file'; dir: string; label: string };

const BUCKET_RE = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

function badRemote(detail: string): SafehouseError {
  return new SafehouseError('INVALID_INPUT', `The remote ${detail}. Use s3://BUCKET/PREFIX for a bucket or file:///path/to/folder for a drive.`);
}

/** Parses `s3://BUCKET/PREFIX` or `file:///absolute/path`; anything else is refused with the two forms. */
export function parseRemote(remote: string): RemoteAddress {
  if (remote.startsWith('s3://')) {
    const rest = remote.slice('s3://'.length);
    const slash = rest.indexOf('/');
    const bucket = slash === -1 ? rest : rest.slice(0, slash);
    if (!BUCKET_RE.test(bucket)) throw badRemote(`"${remote}" does not name a valid bucket`);
    const parts = (slash === -1 ? '' : rest.slice(slash + 1)).split('/').filter((part) => part !== '');
    if (parts.some((part) => part === '.' || part === '..')) throw badRemote(`"${remote}" has . or .. in its prefix`);
    const prefix = parts.length > 0 ? `${parts.join('/')}/` : '';
    return { kind: 's3', bucket, prefix, label: `s3://${bucket}/${prefix}` };
  }
  if (remote.startsWith('file://')) {
    let dir: string;
    try {
      dir = fileURLToPath(remote);
    } catch {
      throw badRemote(`"${remote}" is not an absolute file:/// address`);
    }
    if (!path.isAbsolute(dir)) throw badRemote(`"${remote}" is not an absolute path`);
    return { kind: 'file', dir: path.resolve(dir), label: `file://${path.resolve(dir)}` };
  }
  throw badRemote(`"${remote}" is neither s3:// nor file://`);
}
