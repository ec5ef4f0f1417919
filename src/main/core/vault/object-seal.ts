import { SafehouseError } from '../../../shared/errors';
import type { KeyClass } from './keys';
import { FRAMES_PER_SLOT, FRAME_SLOT_BYTES, SLOTS, giveRing, openJob, takeRing, type Pending, type WorkerReply } from './crypto-worker';
import { copyBytes } from './byte-copy';
import { ABYTES, CHUNK_SIZE, MAX_META_BYTES, headerSkeleton } from './object-format';

/** Plaintext bytes per ring slot: whole 64 KiB chunks, so every batch but the last is whole frames. */
const SLOT_PLAIN_BYTES = CHUNK_SIZE * FRAMES_PER_SLOT;

export interface OffThreadSealer {
  /** Copies plaintext into the ring (the caller may reuse its buffer); waits while every slot is busy. */
  write(chunk: Uint8Array): Promise<void>;
  /**
   * Seals the rest with TAG_FINAL and resolves once every ciphertext byte is written to the file, with the
   * xxh64 (16 hex digits) of all the plaintext, taken on the worker while sealing.
   */
  finish(): Promise<string>;
  /** Drops the job: the worker wipes its stream state; the ring's plaintext is wiped here. */
  discard(): Promise<void>;
}

/**
 * Encrypts one object on the crypto worker (crypto-worker-thread.ts, ops seal-open / seal) and appends the
 * ciphertext to `file`: header ‖ MAC ‖ meta frame first, then the content frames in order.
 *
 * Key material: this thread sends only the recipients' PUBLIC keys. The worker draws the file key, seals
 * it, derives the subkeys and wipes the file key and MAC key before it answers; the stream key exists only
 * inside the worker's secretstream state, which the worker wipes after the final frame or on drop.
 * Plaintext: copied once into a ring slot of shared memory (never to disk); the worker writes the
 * ciphertext back over it, and this thread writes the file straight from the slot. A slot still holding
 * plaintext when the job is dropped is zeroed here.
 */
export async function createOffThreadSealer(
  file: { append(bytes: Uint8Array): Promise<void> },
  object: { cls: KeyClass; id: string; recipients: Uint8Array[]; meta: Record<string, unknown> },
): Promise<OffThreadSealer> {
  const metaPlain = new TextEncoder().encode(JSON.stringify(object.meta));
  if (metaPlain.length > MAX_META_BYTES) throw new Error('object metadata too large');
  const header = headerSkeleton(object.cls, object.id, object.recipients.length);
  const ring = takeRing();
  const bytes = new Uint8Array(ring);
  const pending: Pending = { inFlight: 0, free: Array.from({ length: SLOTS }, (_, i) => SLOTS - 1 - i), waiters: [] };
  const wake = (): void => {
    for (const resume of pending.waiters.splice(0)) resume();
  };

  let writes: Promise<void> = Promise.resolve();
  const writeOut = (view: Uint8Array): Promise<void> => file.append(view);
  let onPrefix!: { resolve: () => void; reject: (error: Error) => void };
  const prefixWritten = new Promise<void>((resolve, reject) => (onPrefix = { resolve, reject }));
  let onFinal!: { resolve: () => void; reject: (error: Error) => void };
  const finalWritten = new Promise<void>((resolve, reject) => (onFinal = { resolve, reject }));
  let plainDigest: string | undefined;
  finalWritten.catch(() => undefined); // observed by finish(); an abort may never ask
  let posted = 0;
  let acked = 0;
  let finalPosted = false;
  const fail = (error: Error): void => {
    pending.failed ??= error;
    onPrefix.reject(error);
    onFinal.reject(error);
    wake();
  };
  pending.rejectDigest = fail; // the lane calls this on a worker error or exit
  pending.onReply = (message: WorkerReply) => {
    if (message.prefix) {
      const prefix = message.prefix;
      writes = writes.then(() => writeOut(prefix)).then(onPrefix.resolve, fail);
    } else if (message.sealed !== undefined && message.slot !== undefined) {
      const slot = message.slot;
      if (message.digest !== undefined) plainDigest = message.digest;
      const view = new Uint8Array(ring, slot * FRAME_SLOT_BYTES, message.sealed);
      acked += 1;
      const last = finalPosted && acked === posted;
      writes = writes
        .then(() => writeOut(view))
        .then(() => {
          pending.free.push(slot);
          wake();
          if (last) {
            lane.finish(job); // the worker has wiped and freed the stream state; the ring goes back to the pool
            onFinal.resolve();
          }
        }, fail);
    }
  };
  // Pooled again only after a clean finish: after a failure a write from the ring may still be in flight,
  // and another job's plaintext must never land in this file.
  pending.release = () => {
    if (finalPosted && acked === posted && !pending.failed) giveRing(ring);
  };
  const { id: job, lane } = openJob(pending);
  // metaPlain is transferred, not copied: no plaintext metadata stays on this thread.
  lane.post({ op: 'seal-open', id: job, ring, header, recipients: object.recipients, meta: metaPlain }, [metaPlain.buffer as ArrayBuffer]);
  await prefixWritten;

  let done = false;
  let slot: number | undefined = pending.free.pop();
  let filled = 0;
  const check = (): void => {
    if (pending.failed) throw pending.failed;
  };
  const send = (final: boolean): void => {
    lane.post({ op: 'seal', id: job, slot, slotBytes: FRAME_SLOT_BYTES, length: filled, final, chunkBytes: CHUNK_SIZE, abytes: ABYTES });
    posted += 1;
    if (final) finalPosted = true;
    slot = undefined;
    filled = 0;
  };
  const nextSlot = async (): Promise<number> => {
    for (;;) {
      check();
      const free = pending.free.pop();
      if (free !== undefined) return free;
      await new Promise<void>((resolve) => pending.waiters.push(resolve));
    }
  };

  return {
    async write(chunk) {
      check();
      let at = 0;
      while (at < chunk.length) {
        if (slot !== undefined && filled === SLOT_PLAIN_BYTES) send(false); // more data follows: not the last batch
        slot ??= await nextSlot();
        const n = Math.min(SLOT_PLAIN_BYTES - filled, chunk.length - at);
        copyBytes(bytes, chunk.subarray(at, at + n), slot * FRAME_SLOT_BYTES + filled);
        filled += n;
        at += n;
      }
    },
    async finish() {
      check();
      slot ??= await nextSlot();
      send(true);
      await finalWritten;
      await writes;
      done = true;
      if (plainDigest === undefined) throw new SafehouseError('INTERNAL', 'the crypto worker sent no plaintext digest');
      return plainDigest;
    },
    async discard() {
      if (done) return; // finished cleanly: the ring is back in the pool and holds no plaintext
      if (!pending.failed) pending.failed = new SafehouseError('INTERNAL', 'object writer aborted');
      lane.forget(job); // the worker drops the job and wipes its stream state
      onPrefix.reject(pending.failed);
      onFinal.reject(pending.failed);
      wake();
      await writes.catch(() => undefined); // no write from the ring is left in flight
      bytes.fill(0); // plaintext of a slot not yet sealed; the ring is not pooled again
    },
  };
}
