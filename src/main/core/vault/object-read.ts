import { SafehouseError } from '../../../shared/errors';
import { openJob, type Pending, type WorkerReply } from './crypto-worker';

/**
 * Frames per file read: 63 frames (4,129,839 bytes) fill one of direct-io's 4 MiB read buffers, so each
 * read is one O_DIRECT transfer.
 */
const READ_FRAMES = 63;
/**
 * Frames per plaintext batch handed out: a third of a read, 1.3 MiB. Measured on the 2-core machine
 * (decrypt → file + fsync): 4 MiB batches took twice the time and ~1.8× the CPU of 1.3 MiB ones, since a
 * batch the consumer writes out right after the worker filled it is still in cache only while it is small;
 * smaller ones (0.4–0.6 MiB) gained nothing more and cost more messages.
 */
export const BATCH_FRAMES = 21;
/**
 * Plaintext batches of one streaming read out at once: the one the consumer holds, the one the worker
 * fills, and one ready in between, so writing out, decrypting and reading the file (read ahead by
 * direct-io) all overlap. More measured no faster and keeps more plaintext out of cache.
 */
const DEPTH = 3;

/** An object file's content frames and what opens them (the caller wipes `streamKey` once this returns). */
export interface ObjectReadSource {
  file: string;
  /** File offset of the first content frame, and the file's size when it was opened. */
  start: number;
  size: number;
  streamHeader: Uint8Array;
  streamKey: Uint8Array;
  mac: Uint8Array;
  metaFrame: Uint8Array;
}

export interface OffThreadReader {
  /**
   * The plaintext of the next batch, in order, once every frame in it authenticated, or null after the
   * last one (TAG_FINAL seen as the last frame, nothing after it). The buffer the worker decrypted into,
   * moved to this thread, not copied: by default the caller's to keep (the worker makes a new one); with
   * `borrow`, valid only until the next call to next() or discard(), when it goes back to the worker to be
   * filled again (no allocation per batch).
   */
  next(borrow?: boolean): Promise<Buffer | null>;
  /** Drops the job (error paths and early closes): the worker stops reading and wipes its stream state. */
  discard(): void;
}

const readJob = (source: ObjectReadSource, mode: 'digest' | 'plaintext') => ({
  op: 'read' as const, file: source.file, start: source.start, size: source.size, readFrames: READ_FRAMES, batchFrames: BATCH_FRAMES, depth: DEPTH,
  streamHeader: source.streamHeader, key: source.streamKey, ad: source.mac, meta: source.metaFrame, mode,
});

/**
 * Reads and decrypts one object's content frames on a crypto worker for a streaming read
 * (crypto-worker-thread.ts, mode 'plaintext'): the worker reads the file, decrypts each batch straight
 * into a buffer of its own and transfers that buffer here; the consumer's thread (feeding ffmpeg, writing
 * an export) does neither. Borrowed buffers go back to the worker when the next batch is asked for, so a
 * read allocates nothing per batch. `guard` runs before each batch (a locked vault stops the read).
 *
 * Key material: the stream key is copied to the worker, which wipes its copy once the secretstream state
 * is set up. Plaintext: only in the transferred buffers, which are zeroed when the read ends or fails.
 */
export function startOffThreadRead(source: ObjectReadSource, guard: () => void): OffThreadReader {
  const arrived: Array<{ buffer: ArrayBuffer; plain: number }> = []; // answered, in order, not yet taken
  let lent: ArrayBuffer | undefined; // the buffer a borrowed view points into
  let ended = false; // the worker confirmed TAG_FINAL was the last frame
  const pending: Pending = { inFlight: 0, free: [], waiters: [] };
  const wake = (): void => {
    for (const resume of pending.waiters.splice(0)) resume();
  };
  const wipe = (): void => {
    for (const { buffer } of arrived.splice(0)) new Uint8Array(buffer).fill(0);
    if (lent) new Uint8Array(lent).fill(0);
    lent = undefined;
  };
  pending.rejectDigest = () => {
    wipe();
    wake();
  };
  pending.onReply = (message: WorkerReply) => {
    if (message.buffer && message.plain !== undefined) arrived.push({ buffer: message.buffer, plain: message.plain });
    else if (message.digest !== undefined) {
      ended = true;
      lane.finish(id); // the worker wiped and dropped the state
    }
    wake();
  };
  const { id, lane } = openJob(pending);
  lane.post({ ...readJob(source, 'plaintext'), id });
  /** Gives a buffer back to the worker to fill again, or wipes it when the read is over. */
  const giveBack = (buffer: ArrayBuffer): void => {
    if (ended || pending.failed) new Uint8Array(buffer).fill(0);
    else lane.post({ op: 'give', id, buffer }, [buffer]);
  };

  return {
    async next(borrow = false) {
      if (lent) giveBack(lent);
      lent = undefined;
      for (;;) {
        if (pending.failed) throw pending.failed;
        guard();
        if (arrived.length > 0 || ended) break;
        await new Promise<void>((resolve) => pending.waiters.push(resolve));
      }
      const batch = arrived.shift();
      if (!batch) return null;
      if (borrow) {
        lent = batch.buffer;
        return Buffer.from(batch.buffer, 0, batch.plain);
      }
      // The consumer keeps this one: the worker makes a new buffer in its place.
      if (!ended && !pending.failed) lane.post({ op: 'give', id });
      return Buffer.from(batch.buffer, 0, batch.plain);
    },
    discard() {
      wipe();
      if (lane.open.has(id)) lane.forget(id);
    },
  };
}

/**
 * xxh64 of an object's authenticated plaintext, read, decrypted and hashed on a crypto worker (mode
 * 'digest'): no plaintext comes back to this thread. `guard` runs as each batch is done (a locked vault
 * stops the check). Rejects INTEGRITY on any failed frame, a missing TAG_FINAL or trailing bytes.
 */
export function digestOffThread(source: ObjectReadSource, guard: () => void): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const pending: Pending = { inFlight: 0, free: [], waiters: [], rejectDigest: reject };
    pending.onReply = (message: WorkerReply) => {
      if (message.digest !== undefined) {
        lane.finish(id);
        resolve(message.digest);
        return;
      }
      try {
        guard();
      } catch (error) {
        lane.forget(id);
        reject(error instanceof Error ? error : new SafehouseError('INTERNAL', String(error)));
      }
    };
    const { id, lane } = openJob(pending);
    lane.post({ ...readJob(source, 'digest'), id });
  });
}
