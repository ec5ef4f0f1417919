import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { SafehouseError } from '../../../shared/errors';
import type { ClassKeyPair, KeyClass } from './keys';
import { createAppendFile } from './direct-io';
import { digestOffThread, startOffThreadRead, type OffThreadReader } from './object-read';
import { createOffThreadSealer, type OffThreadSealer } from './object-seal';
import {
  ABYTES, ObjectOpener, headerLength, integrity, parseHeader, unsealStreamKey,
  type ParsedHeader,
} from './object-format';
import { sodiumSync } from './sodium';
import { fsyncDir } from './durable-fs';

/**
 * Object files on disk: objects/<first 2 hex>/<32 hex id>, written through staging/<id>.part.
 *
 * Crash safety: a writer fills staging/, fsyncs the file, renames it into objects/ and fsyncs the
 * directory, so an object in objects/ is always complete; whatever is left in staging/ after a crash is
 * garbage (discardStaging). Files are created 0600: ciphertext, but nobody else's business.
 */

export interface ObjectWriter {
  /** Copies into 1 MiB batches of 64 KiB chunks, sealed on a crypto worker once more data follows them. */
  write(chunk: Uint8Array): Promise<void>;
  /** Pushes the final chunk (TAG_FINAL), fsyncs, renames into objects/. xxh64: of the plaintext written. */
  commit(): Promise<WrittenObject>;
  /** Removes the staging file; nothing reaches objects/. */
  abort(): Promise<void>;
}

export interface WrittenObject {
  id: string;
  plainSize: number;
  /**
   * xxh64 (16 hex digits) of the plaintext, taken while sealing: what a verification read must give back.
   * A checksum of the write and read paths; the AEAD is what proves the content against tampering.
   */
  xxh64: string;
}

export type KeyPairFor = (cls: KeyClass) => ClassKeyPair;

const ID_RE = /^[0-9a-f]{32}$/;

export function newObjectId(): string {
  return randomBytes(16).toString('hex');
}


async function readExactly(fh: FileHandle, buf: Buffer, length: number, position: number): Promise<Buffer> {
  let got = 0;
  while (got < length) {
    const { bytesRead } = await fh.read(buf, got, length - got, position + got);
    if (bytesRead === 0) throw integrity('truncated object');
    got += bytesRead;
  }
  return buf.subarray(0, length);
}

export class ObjectStore {
  readonly objectsDir: string;
  readonly stagingDir: string;
  private readonly active = new Set<string>();

  constructor(readonly dir: string, private readonly guard: () => void) {
    this.objectsDir = path.join(dir, 'objects');
    this.stagingDir = path.join(dir, 'staging');
  }

  pathFor(id: string): string {
    // The id is validated before it becomes a path: no traversal through a crafted id.
    if (!ID_RE.test(id)) throw new SafehouseError('OBJECT_NOT_FOUND');
    return path.join(this.objectsDir, id.slice(0, 2), id);
  }

  async createWriter(cls: KeyClass, recipients: Uint8Array[], meta: Record<string, unknown>): Promise<ObjectWriter> {
    this.guard();
    const id = newObjectId();
    const staging = path.join(this.stagingDir, `${id}.part`);
    await fs.mkdir(this.stagingDir, { recursive: true, mode: 0o700 });
    const file = await createAppendFile(staging, 0o600);
    this.active.add(staging);
    let plainSize = 0;
    let state: 'open' | 'done' = 'open';
    let chain: Promise<unknown> = Promise.resolve();
    let sealer: OffThreadSealer | undefined;

    const cleanup = async (): Promise<void> => {
      state = 'done';
      await sealer?.discard(); // wipes the plaintext still in shared memory and the worker's stream state
      this.active.delete(staging);
      await file.close().catch(() => undefined);
      await fs.rm(staging, { force: true });
    };
    try {
      // Encryption runs on a crypto worker, which draws the file key; only public keys leave this thread.
      sealer = await createOffThreadSealer(file, { cls, id, recipients, meta });
    } catch (error) {
      await cleanup();
      throw error;
    }
    const seal = sealer;
    // Serialise calls so a caller that forgets to await cannot interleave chunks.
    const serial = <T>(fn: () => Promise<T>): Promise<T> => {
      const next = chain.then(fn);
      chain = next.catch(() => undefined);
      return next;
    };
    const checkOpen = (): void => {
      if (state !== 'open') throw new Error('object writer already committed or aborted');
      try {
        this.guard();
      } catch (error) {
        void serial(cleanup);
        throw error;
      }
    };

    return {
      write: (chunk) =>
        serial(async () => {
          checkOpen();
          await seal.write(chunk);
          plainSize += chunk.length;
        }),
      commit: () =>
        serial(async () => {
          checkOpen();
          try {
            const xxh64 = await seal.finish();
            await file.finish();
            await file.close();
            const finalPath = this.pathFor(id);
            await fs.mkdir(path.dirname(finalPath), { recursive: true, mode: 0o700 });
            await fs.rename(staging, finalPath);
            await fsyncDir(path.dirname(finalPath));
            state = 'done';
            this.active.delete(staging);
            return { id, plainSize, xxh64 };
          } catch (error) {
            await cleanup();
            throw error;
          }
        }),
      abort: () => serial(async () => {
        if (state === 'open') await cleanup();
      }),
    };
  }

  /**
   * Reads what precedes an object's content frames: the header (whose MAC'd id must be this file's name:
   * the swap/rename defence), the still-encrypted metadata frame, and the file's size. The content frames
   * are read by a crypto worker (object-read.ts), which opens the file itself.
   */
  private async readHead(id: string): Promise<{ size: number; header: ParsedHeader; metaFrame: Buffer; start: number }> {
    this.guard();
    let fh: FileHandle;
    try {
      fh = await fs.open(this.pathFor(id), 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new SafehouseError('OBJECT_NOT_FOUND');
      throw error;
    }
    try {
      const { size } = await fh.stat();
      const small = Buffer.alloc(12);
      const hlen = headerLength(await readExactly(fh, small, 12, 0));
      const header = parseHeader(Buffer.from(await readExactly(fh, Buffer.alloc(hlen), hlen, 0)));
      if (header.id !== id) throw integrity('object id does not match its file name');
      const metaLen = ObjectOpener.metaLength(await readExactly(fh, small, 4, hlen));
      const metaFrame = Buffer.from(await readExactly(fh, Buffer.alloc(metaLen), metaLen, hlen + 4));
      return { size, header, metaFrame, start: hlen + 4 + metaLen };
    } finally {
      await fh.close();
    }
  }

  /**
   * What can be checked of any object without its class key (vault verification, a field vault's masters):
   * magic, version, class, recipient count, the id against the file name, the metadata frame's length, and
   * how many content bytes follow. Throws INTEGRITY or OBJECT_NOT_FOUND.
   */
  async inspect(id: string): Promise<{ header: ParsedHeader; fileSize: number; contentBytes: number }> {
    const { size, header, start } = await this.readHead(id);
    return { header, fileSize: size, contentBytes: size - start };
  }

  /**
   * Opens, checks and returns the metadata plus a generator over authenticated content chunks, read and
   * decrypted on a crypto worker (object-read.ts). Each chunk is the buffer the worker decrypted into,
   * the caller's to keep; with `borrow`, it is valid only until the next chunk is asked for, and then goes
   * back to the worker: for consumers that are done with a chunk (written out, hashed) before they ask for
   * the next, it saves allocating and collecting a buffer per 1.3 MiB batch.
   */
  async open(id: string, keyPairFor: KeyPairFor, options: { borrow?: boolean } = {}): Promise<{ header: ParsedHeader; meta: Record<string, unknown>; contentBytes: number; chunks: AsyncGenerator<Uint8Array>; close: () => Promise<void> }> {
    const { size, header, metaFrame, start } = await this.readHead(id);
    const file = this.pathFor(id);
    const keyPair = keyPairFor(header.cls);
    const meta = new ObjectOpener(header, keyPair).openMeta(metaFrame);
    const guard = this.guard;
    let job: OffThreadReader | undefined;
    let closed = false;
    const close = async (): Promise<void> => {
      closed = true;
      job?.discard(); // a read stopped early: the worker stops and wipes its state
    };
    async function* chunks(): AsyncGenerator<Uint8Array> {
      try {
        if (closed) return;
        if (size - start < ABYTES) throw integrity('stream ends without TAG_FINAL');
        // Started on the first read (objectMeta only needs the head). A batch's plaintext comes out only
        // once every frame in it authenticated; the end only once TAG_FINAL was the last frame.
        const { streamKey, mac } = unsealStreamKey(header, keyPair);
        try {
          job = startOffThreadRead({ file, start, size, streamHeader: header.streamHeader, streamKey, mac, metaFrame }, guard);
        } finally {
          sodiumSync().memzero(streamKey); // the worker got its own copy and wipes it
        }
        for (let chunk = await job.next(options.borrow); chunk; chunk = await job.next(options.borrow)) yield chunk;
      } finally {
        job?.discard();
      }
    }
    return { header, meta, contentBytes: size - start, chunks: chunks(), close };
  }

  /**
   * xxh64 of an object's authenticated plaintext, for verification: the same checks as open() plus
   * reading every frame, but the reading, decryption and checksum run on a crypto worker (object-read.ts)
   * and no plaintext comes back. Throws INTEGRITY on any failed frame, a missing TAG_FINAL or trailing
   * bytes. The frames are read past the page cache where the filesystem allows (direct-io.ts): from the disk.
   */
  async digestContent(id: string, keyPairFor: KeyPairFor): Promise<string> {
    const { size, header, metaFrame, start } = await this.readHead(id);
    if (size - start < ABYTES) throw integrity('stream ends without TAG_FINAL');
    const { streamKey, mac } = unsealStreamKey(header, keyPairFor(header.cls));
    let digest: Promise<string>;
    try {
      digest = digestOffThread({ file: this.pathFor(id), start, size, streamHeader: header.streamHeader, streamKey, mac, metaFrame }, this.guard);
    } finally {
      sodiumSync().memzero(streamKey); // the worker got its own copy and wipes it
    }
    return digest;
  }

  async delete(id: string): Promise<void> {
    const file = this.pathFor(id);
    try {
      await fs.unlink(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new SafehouseError('OBJECT_NOT_FOUND');
      throw error;
    }
    await fsyncDir(path.dirname(file));
  }

  async list(): Promise<string[]> {
    const ids: string[] = [];
    const shards = await fs.readdir(this.objectsDir).catch(() => [] as string[]);
    for (const shard of shards.sort()) {
      if (!/^[0-9a-f]{2}$/.test(shard)) continue;
      for (const name of (await fs.readdir(path.join(this.objectsDir, shard)).catch(() => [] as string[])).sort()) {
        if (ID_RE.test(name) && name.startsWith(shard)) ids.push(name);
      }
    }
    return ids;
  }

  /** Removes partial writes left by a crash; never touches a writer still open in this process. */
  async discardStaging(): Promise<number> {
    const names = await fs.readdir(this.stagingDir).catch(() => [] as string[]);
    let removed = 0;
    for (const name of names) {
      const file = path.join(this.stagingDir, name);
      if (this.active.has(file)) continue;
      await fs.rm(file, { force: true, recursive: true });
      removed++;
    }
    return removed;
  }

  /** Writers currently open in this process (their staging files are protected from discardStaging). */
  activeCount(): number {
    return this.active.size;
  }
}
