import { constants, promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { SafehouseError } from '../../../shared/errors';
import { copyBytes } from './byte-copy';

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

/**
 * Creates `file` (which must not exist) for sequential appends; see the module comment. With direct I/O,
 * appends fill one of two aligned buffers while the other is on its way to the disk: an O_DIRECT write
 * returns only once the device has the data, and waiting for it stalled the whole clip's pipeline (the
 * encryptor's ring, the pipe from ffmpeg) once per buffer.
 */
export async function createAppendFile(file: string, mode = 0o600): Promise<AppendFile> {
  const { O_WRONLY, O_CREAT, O_EXCL, O_TRUNC } = constants;
  const aligned = directWanted() ? takeAligned() : null;
  const directHandle = aligned ? await openDirect(file, O_WRONLY | O_CREAT | O_EXCL, mode) : null;
  let direct = directHandle !== null;
  // A refused O_DIRECT open may still have created the file (Linux creates it before it checks the flag).
  let fh = directHandle ?? (await fs.open(file, O_WRONLY | O_CREAT | (aligned ? O_TRUNC : O_EXCL), mode));
  if (aligned && !direct) giveAligned(aligned);
  const spare = direct ? takeAligned() : null;
  const buffers = direct ? [aligned as Uint8Array, ...(spare ? [spare] : [])] : [];
  let buffer: Uint8Array | undefined = buffers[0];
  let filled = 0; // bytes in `buffer` not yet written
  let position = 0; // file offset of buffer[0]
  // The write in flight, if any: at most one, so the file is written in order and a fallback is simple.
  let inFlight: Promise<void> = Promise.resolve();
  let closed = false;

  const leaveDirect = async (): Promise<void> => {
    const reopened = await fs.open(file, 'r+');
    await fh.close();
    fh = reopened;
    direct = false;
  };
  /** Writes `length` bytes of `bytes` at `at`: `padded` of them (whole blocks) while direct. */
  const writeOut = async (bytes: Uint8Array, length: number, padded: number, at: number): Promise<void> => {
    try {
      await writeAll(fh, bytes.subarray(0, direct ? padded : length), at);
    } catch (error) {
      if (!direct || !refused(error)) throw error;
      await leaveDirect();
      await writeAll(fh, bytes.subarray(0, length), at);
    }
  };
  /** Sends the buffer to the disk; returns once a buffer is free to fill (the write may still be running). */
  const flush = async (): Promise<void> => {
    if (!buffer || filled === 0) return;
    const full = buffer;
    const length = filled;
    const padded = Math.ceil(length / BLOCK) * BLOCK; // only the last buffer of a file is not whole blocks
    full.fill(0, length, padded);
    const at = position;
    position += length;
    filled = 0;
    const previous = inFlight;
    inFlight = previous.then(() => writeOut(full, length, padded, at));
    inFlight.catch(() => undefined); // observed by the next flush, finish() or close()
    if (buffers.length < 2) return inFlight;
    await previous; // the other buffer's write is done: it can be filled again
    buffer = buffers.find((candidate) => candidate !== full);
  };

  return {
    get direct() {
      return direct;
    },
    async append(bytes) {
      if (!buffer || (!direct && filled === 0)) {
        await inFlight;
        await writeAll(fh, bytes, position);
        position += bytes.length;
        return;
      }
      for (let at = 0; at < bytes.length; ) {
        const n = Math.min(bytes.length - at, buffer.length - filled);
        copyBytes(buffer, bytes.subarray(at, at + n), filled); // from a crypto worker's ring
        filled += n;
        at += n;
        if (filled === buffer.length) await flush();
      }
    },
    async finish() {
      await flush();
      await inFlight;
      await fh.truncate(position); // drops the zero padding of the last block
      await fh.sync();
    },
    async close() {
      if (closed) return;
      closed = true;
      await inFlight.catch(() => undefined); // the kernel may still be reading a buffer: not pooled before
      for (const each of buffers) giveAligned(each);
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

interface Window {
  buffer: Uint8Array;
  start: number;
  length: number;
}

/**
 * Opens `file` for a front-to-back read that bypasses the page cache where it can (verification reads).
 * Once the next read of the same length would run past the buffer, the window it needs is read ahead into
 * a second buffer, so the disk works while the caller decrypts.
 */
export async function openSequentialReader(file: string): Promise<SequentialReader> {
  const aligned = directWanted() ? takeAligned() : null;
  const directHandle = aligned ? await openDirect(file, constants.O_RDONLY) : null;
  let direct = directHandle !== null;
  let fh = directHandle ?? (await fs.open(file, 'r'));
  const spare = aligned ? takeAligned() : null;
  const pooled = [aligned, spare].filter((buffer): buffer is Uint8Array => buffer !== null);
  const buffers = [aligned ?? new Uint8Array(DIRECT_BUFFER_BYTES), spare ?? new Uint8Array(DIRECT_BUFFER_BYTES)];
  let current: Window = { buffer: buffers[0]!, start: 0, length: 0 };
  let ahead: Promise<Window> | null = null; // the read-ahead, if one is running or waiting to be used
  let closed = false;

  const fill = async (buffer: Uint8Array, start: number): Promise<Window> => {
    let got = 0;
    while (got < buffer.length) {
      const { bytesRead } = await fh.read(buffer, got, buffer.length - got, start + got);
      if (bytesRead === 0) break;
      got += bytesRead;
      if (direct && got % BLOCK !== 0) break; // a short aligned read is the end of the file
    }
    return { buffer, start, length: got };
  };
  const load = async (buffer: Uint8Array, position: number): Promise<Window> => {
    try {
      return await fill(buffer, direct ? position - (position % BLOCK) : position);
    } catch (error) {
      if (!direct || !refused(error)) throw error;
      const reopened = await fs.open(file, 'r');
      await fh.close();
      fh = reopened;
      direct = false;
      return fill(buffer, position);
    }
  };
  const holds = (window: Window, position: number, length: number): boolean =>
    position >= window.start && position + length <= window.start + window.length;

  return {
    get direct() {
      return direct;
    },
    async read(length, position) {
      if (length > DIRECT_BUFFER_BYTES - BLOCK) throw new SafehouseError('INTERNAL', `a sequential read of ${length} bytes is larger than its buffer`);
      if (!holds(current, position, length)) {
        const other = buffers.find((buffer) => buffer !== current.buffer)!;
        const next = ahead ? await ahead.catch(() => null) : null; // a failed read-ahead is read again below
        ahead = null;
        current = next && holds(next, position, length) ? next : await load(other, position);
      }
      const end = position + length;
      const atEof = current.length < current.buffer.length;
      if (!ahead && !atEof && !holds(current, end, length)) {
        const buffer = buffers.find((candidate) => candidate !== current.buffer)!;
        ahead = load(buffer, end);
        ahead.catch(() => undefined); // observed by the read that needs it, or by close()
      }
      const offset = position - current.start;
      return current.buffer.subarray(offset, Math.min(offset + length, current.length));
    },
    async close() {
      if (closed) return;
      closed = true;
      await ahead?.catch(() => undefined); // the kernel may still be writing into the spare buffer
      for (const buffer of pooled) giveAligned(buffer);
      await fh.close();
    },
  };
}
