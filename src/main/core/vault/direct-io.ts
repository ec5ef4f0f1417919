import { constants, promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { SafehouseError } from '../../../shared/errors';

/**
 * Object files are written, and read back for verification, with O_DIRECT where the OS and the filesystem
 * allow it (Linux on ext4, xfs, btrfs …):
 * - the ciphertext goes from this process's memory to the disk without a copy into the page cache. Filling
 *   fresh page-cache pages was the largest single cost of an ingest (on the measured machine ~2.5 s of CPU
 *   per GB written, more than encrypting it), and the ciphertext is never read again soon;
 * - the verification read then comes from the disk itself, not from a cached copy of what was just written.
 *
 * O_DIRECT needs block-aligned memory, offsets and lengths. The buffers are WebAssembly memories, which V8
 * maps on their own pages (a Node Buffer starts 16 bytes into one); writes go out in whole blocks, and the
 * last block is padded with zeros and cut back with ftruncate. Where O_DIRECT is refused (macOS, Windows,
 * tmpfs, some network filesystems), or SAFEHOUSE_DIRECT_IO=0, the same interface goes through the page
 * cache, and a file that refuses an aligned transfer half-way is reopened without it.
 */
const BLOCK = 4096; // a multiple of every common logical block size (512, 4096)
export const DIRECT_BUFFER_BYTES = 4 * 1024 * 1024;
const WASM_PAGE = 65536;
const MAX_POOLED = 4;

const pool: Uint8Array[] = [];
/** A page-aligned buffer, or null if none can be had (V8 caps the address space WebAssembly memories take). */
const takeAligned = (): Uint8Array | null => {
  const pages = DIRECT_BUFFER_BYTES / WASM_PAGE;
  try {
    return pool.pop() ?? new Uint8Array(new WebAssembly.Memory({ initial: pages, maximum: pages }).buffer);
  } catch {
    return null; // the file then goes through the page cache
  }
};
const giveAligned = (buffer: Uint8Array): void => {
  buffer.fill(0); // ciphertext only, but nothing of one object lingers in the next one's buffer
  if (pool.length < MAX_POOLED) pool.push(buffer);
};

const O_DIRECT: number | undefined = (constants as Record<string, number | undefined>)['O_DIRECT'];
const directWanted = (): boolean => O_DIRECT !== undefined && process.env['SAFEHOUSE_DIRECT_IO'] !== '0';
const refused = (error: unknown): boolean => (error as NodeJS.ErrnoException).code === 'EINVAL';

/** Opens with O_DIRECT added to `flags`, or returns null where the OS or filesystem refuses it. */
async function openDirect(file: string, flags: number, mode?: number): Promise<FileHandle | null> {
  if (!directWanted()) return null;
  try {
    return await fs.open(file, flags | (O_DIRECT as number), mode);
  } catch (error) {
    if (refused(error)) return null;
    throw error;
  }
}

async function writeAll(fh: FileHandle, bytes: Uint8Array, position: number): Promise<void> {
  for (let at = 0; at < bytes.length; ) {
    const { bytesWritten } = await fh.write(bytes, at, bytes.length - at, position + at);
    at += bytesWritten;
  }
}

export interface AppendFile {
  /** True while writes bypass the page cache. */
  readonly direct: boolean;
  /** Appends a copy of `bytes` (the caller may reuse its memory once this resolves). */
  append(bytes: Uint8Array): Promise<void>;
  /** Writes what is still buffered, sets the exact length and fsyncs: the file is complete on disk. */
  finish(): Promise<void>;
  close(): Promise<void>;
}

/** Creates `file` (which must not exist) for sequential appends; see the module comment. */
export async function createAppendFile(file: string, mode = 0o600): Promise<AppendFile> {
  const { O_WRONLY, O_CREAT, O_EXCL, O_TRUNC } = constants;
  const aligned = directWanted() ? takeAligned() : null;
  const directHandle = aligned ? await openDirect(file, O_WRONLY | O_CREAT | O_EXCL, mode) : null;
  let direct = directHandle !== null;
  // A refused O_DIRECT open may still have created the file (Linux creates it before it checks the flag).
  let fh = directHandle ?? (await fs.open(file, O_WRONLY | O_CREAT | (aligned ? O_TRUNC : O_EXCL), mode));
  const buffer = direct ? aligned : null;
  if (aligned && !direct) giveAligned(aligned);
  let filled = 0; // bytes in `buffer` not yet written
  let position = 0; // file offset of buffer[0]
  let closed = false;

  const leaveDirect = async (): Promise<void> => {
    const reopened = await fs.open(file, 'r+');
    await fh.close();
    fh = reopened;
    direct = false;
  };
  const flush = async (final: boolean): Promise<void> => {
    if (!buffer || filled === 0) return;
    const length = final ? Math.ceil(filled / BLOCK) * BLOCK : filled; // not final: filled is the whole buffer
    buffer.fill(0, filled, length);
    try {
      if (direct) await writeAll(fh, buffer.subarray(0, length), position);
      else await writeAll(fh, buffer.subarray(0, filled), position);
    } catch (error) {
      if (!direct || !refused(error)) throw error;
      await leaveDirect();
      await writeAll(fh, buffer.subarray(0, filled), position);
    }
    position += filled;
    filled = 0;
  };

  return {
    get direct() {
      return direct;
    },
    async append(bytes) {
      if (!buffer || (!direct && filled === 0)) {
        await writeAll(fh, bytes, position);
        position += bytes.length;
        return;
      }
      for (let at = 0; at < bytes.length; ) {
        const n = Math.min(bytes.length - at, buffer.length - filled);
        buffer.set(bytes.subarray(at, at + n), filled);
        filled += n;
        at += n;
        if (filled === buffer.length) await flush(false);
      }
    },
    async finish() {
      await flush(true);
      await fh.truncate(position); // drops the zero padding of the last block
      await fh.sync();
    },
    async close() {
      if (closed) return;
      closed = true;
      if (buffer) giveAligned(buffer);
      await fh.close();
    },
  };
}

export interface SequentialReader {
  readonly direct: boolean;
  /**
   * Up to `length` bytes at `position` (fewer only at the end of the file), as a view that is valid until
   * the next call. Positions should increase, as in a front-to-back read; anything else re-reads.
   */
  read(length: number, position: number): Promise<Uint8Array>;
  close(): Promise<void>;
}

/** Opens `file` for a front-to-back read that bypasses the page cache where it can (verification reads). */
export async function openSequentialReader(file: string): Promise<SequentialReader> {
  const aligned = directWanted() ? takeAligned() : null;
  const directHandle = aligned ? await openDirect(file, constants.O_RDONLY) : null;
  let direct = directHandle !== null;
  let fh = directHandle ?? (await fs.open(file, 'r'));
  const buffer = aligned ?? new Uint8Array(DIRECT_BUFFER_BYTES);
  let windowStart = 0;
  let windowLength = 0;
  let closed = false;

  const fill = async (start: number): Promise<void> => {
    let got = 0;
    while (got < buffer.length) {
      const { bytesRead } = await fh.read(buffer, got, buffer.length - got, start + got);
      if (bytesRead === 0) break;
      got += bytesRead;
      if (direct && got % BLOCK !== 0) break; // a short aligned read is the end of the file
    }
    windowStart = start;
    windowLength = got;
  };

  return {
    get direct() {
      return direct;
    },
    async read(length, position) {
      if (length > buffer.length - BLOCK) throw new SafehouseError('INTERNAL', `a sequential read of ${length} bytes is larger than its buffer`);
      const inWindow = position >= windowStart && position + length <= windowStart + windowLength;
      if (!inWindow) {
        const start = direct ? position - (position % BLOCK) : position;
        try {
          await fill(start);
        } catch (error) {
          if (!direct || !refused(error)) throw error;
          const reopened = await fs.open(file, 'r');
          await fh.close();
          fh = reopened;
          direct = false;
          await fill(position);
        }
      }
      const offset = position - windowStart;
      return buffer.subarray(offset, Math.min(offset + length, windowLength));
    },
    async close() {
      if (closed) return;
      closed = true;
      if (aligned) giveAligned(aligned);
      await fh.close();
    },
  };
}
