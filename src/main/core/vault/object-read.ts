import { SafehouseError } from '../../../shared/errors';
import { copyBytes } from './byte-copy';
import { FRAME_SLOT_BYTES, SLOTS, giveRing, openJob, takeRing, type Pending, type WorkerReply } from './crypto-worker';
import { ABYTES, FRAME_SIZE } from './object-format';

export interface OffThreadOpener {
  /** True while a ring slot is free for frames(). */
  readonly canTake: boolean;
  /** Batches handed to the worker whose plaintext was not taken yet. */
  readonly queued: number;
  /** Whole frames (except the object's last batch), at most one slot; `after` = bytes that follow them. */
  frames(bytes: Uint8Array, after: number): void;
  /**
   * The plaintext of the oldest batch, in order, once every frame in it authenticated: a fresh Buffer, or
   * with `borrow` a view of the ring slot itself, valid only until the next call to next(), end() or
   * discard() (no allocation per batch: a MiB-sized Buffer per batch made the garbage collector the
   * largest cost of a streaming read).
   */
  next(borrow?: boolean): Promise<Buffer>;
  /** Resolves once the worker saw TAG_FINAL as the last frame; rejects (INTEGRITY) otherwise. */
  end(): Promise<void>;
  /** Drops the job (error paths and early closes): the worker wipes its stream state. */
  discard(): void;
}

/**
 * Decrypts one object's content frames on a crypto worker (crypto-worker-thread.ts, mode 'plaintext') for
 * a streaming read, so the thread that reads the file and writes the plaintext on (to ffmpeg's stdin, an
 * export file) does not also run the cipher: the two overlap on two cores, and the cipher allocates nothing
 * per frame. The frame rules are ObjectOpener.openChunk's, checked on the worker.
 *
 * Key material: the stream key is copied to the worker, which wipes its copy once the secretstream state
 * is set up; the caller wipes its own right after this returns. Plaintext: written back into the job's
 * ring slot (shared memory, never disk) and copied out here into the Buffer that next() returns. The ring
 * is zeroed before it goes back to the pool.
 */
export function createOffThreadOpener(opened: { streamHeader: Uint8Array; streamKey: Uint8Array; mac: Uint8Array; metaFrame: Uint8Array }): OffThreadOpener {
  const ring = takeRing();
  let lent: number | undefined; // the slot a borrowed view points into
  const free = Array.from({ length: SLOTS }, (_, i) => SLOTS - 1 - i);
  const posted: number[] = []; // slots with the worker, in order
  const arrived: Array<{ slot: number; plain: number }> = []; // answered, in order, not yet taken
  let ended: { resolve: () => void; reject: (error: Error) => void } | undefined;
  const pending: Pending = { inFlight: 0, free: [], waiters: [] };
  const toIntegrity = (error: Error) => new SafehouseError('INTEGRITY', undefined, { cause: new Error(error.message.replace(/^crypto worker: /, '')) });
  const wake = (): void => {
    for (const resume of pending.waiters.splice(0)) resume();
  };
  pending.rejectDigest = (error) => {
    ended?.reject(toIntegrity(error));
    wake();
  };
  pending.onReply = (message: WorkerReply) => {
    if (message.plain !== undefined && message.slot !== undefined) {
      arrived.push({ slot: message.slot, plain: message.plain });
      wake();
    } else if (message.digest !== undefined) {
      lane.finish(id); // the worker wiped and dropped the state; release() pools the ring
      ended?.resolve();
    }
  };
  pending.release = () => {
    new Uint8Array(ring).fill(0); // plaintext of the last batches
    giveRing(ring);
  };
  const { id, lane } = openJob(pending);
  lane.post({ op: 'open', id, ring, streamHeader: opened.streamHeader, key: opened.streamKey, ad: opened.mac, meta: opened.metaFrame, mode: 'plaintext' });
  const failed = (): void => {
    if (pending.failed) throw toIntegrity(pending.failed);
  };

  return {
    get canTake() {
      return free.length > 0;
    },
    get queued() {
      return posted.length;
    },
    frames(bytes, after) {
      failed();
      if (bytes.length > FRAME_SLOT_BYTES) throw new SafehouseError('INTERNAL', 'too many frames in one batch');
      const slot = free.pop();
      if (slot === undefined) throw new SafehouseError('INTERNAL', 'frames() called with every slot busy');
      copyBytes(new Uint8Array(ring, slot * FRAME_SLOT_BYTES, bytes.length), bytes, 0);
      posted.push(slot);
      lane.post({ op: 'frames', id, slot, slotBytes: FRAME_SLOT_BYTES, length: bytes.length, after, frameBytes: FRAME_SIZE, abytes: ABYTES });
    },
    async next(borrow = false) {
      if (lent !== undefined) free.push(lent);
      lent = undefined;
      // After a failure the ring went back to the pool: batches that arrived before it are not read.
      failed();
      while (arrived.length === 0) {
        failed();
        if (posted.length === 0) throw new SafehouseError('INTERNAL', 'next() with no batch posted');
        await new Promise<void>((resolve) => pending.waiters.push(resolve));
      }
      const { slot, plain } = arrived.shift()!;
      posted.shift();
      if (borrow) {
        lent = slot;
        return Buffer.from(ring, slot * FRAME_SLOT_BYTES, plain);
      }
      const out = Buffer.allocUnsafe(plain); // every byte written below
      copyBytes(out, new Uint8Array(ring, slot * FRAME_SLOT_BYTES, plain), 0);
      free.push(slot);
      return out;
    },
    end() {
      failed();
      const result = new Promise<void>((resolve, reject) => (ended = { resolve, reject }));
      lane.post({ op: 'verified', id });
      return result;
    },
    discard() {
      if (!lane.open.has(id)) return; // ended or failed: the ring is already zeroed and pooled
      lane.forget(id);
      // Not pooled again: batches queued before the drop may still land in it. What is there now is zeroed.
      new Uint8Array(ring).fill(0);
    },
  };
}
