import type { Worker } from 'node:worker_threads';
import { SafehouseError } from '../../../shared/errors';
import { copyBytes } from './byte-copy';
import type { WorkerJob, WorkerReply } from './crypto-worker-protocol';
import startCryptoWorker from './crypto-worker-thread?nodeWorker';
import { FRAME_SIZE } from './object-format';

/**
 * Hashing, sealing and the verification decrypt of vault objects on two worker threads, off the thread that
 * reads the card and the ffmpeg pipes and scans them: an ingest hashes every card byte with BLAKE2b-256 (the
 * source record), and encrypts, decrypts back and checksums (xxh64) every sanitized byte. Each worker has
 * its own libsodium instance.
 *
 * Only bytes are handed over — card data and sanitized masters, never a key — and only in memory: each
 * hasher owns a small ring of 1 MiB slots in a SharedArrayBuffer; chunks are copied into a slot (the caller
 * keeps and may reuse its own buffer) and a full slot is announced by a tiny message (a message carrying
 * each chunk cost more than the hashing it saved). Messages to one worker are handled in order, so each
 * hasher's bytes are hashed in the order given. The worker acknowledges every slot, and `flowing()` lets a
 * producer wait until a slot is free, so memory stays bounded when the producer is faster than BLAKE2b.
 * (When no slot is free — one huge update — the rest is sent as a transferred copy.) Idle for a while,
 * the worker exits.
 *
 * Sealing (object-seal.ts) uses the same lanes and rings; reading (object-read.ts) the same lanes, but the
 * worker reads the file itself and hands plaintext back in transferred buffers. The worker's code is crypto-worker-thread.ts, an
 * entry of its own: electron-vite builds `?nodeWorker` imports for the app and the CLI, and
 * tests/setup/node-worker-plugin.mjs does the same for vitest and the benchmarks.
 */
const MAX_IN_FLIGHT = 16 * 1024 * 1024;
const SLOT_BYTES = 1024 * 1024;
export const SLOTS = 3;
/**
 * Frames per slot of a sealing job: ~3 MiB batches, one O_DIRECT transfer each (within direct-io's 4 MiB
 * buffers), so the two messages per batch cost little next to the cipher (16-frame batches spent ~0.3 CPU-s
 * per GB in postMessage alone).
 */
export const FRAMES_PER_SLOT = 48;
export const FRAME_SLOT_BYTES = FRAME_SIZE * FRAMES_PER_SLOT;
const RING_BYTES = Math.max(SLOT_BYTES, FRAME_SLOT_BYTES) * SLOTS;
const MAX_POOLED_RINGS = 6;

/**
 * Rings are pooled: a SharedArrayBuffer is only freed once both threads have garbage-collected their
 * handles, and the worker (busy in WebAssembly) rarely collects, so a fresh ring per job piled up hundreds
 * of MB. A ring goes back to the pool only once the worker is done with it (digest or error received).
 */
const ringPool: SharedArrayBuffer[] = [];
export const takeRing = (): SharedArrayBuffer => ringPool.pop() ?? new SharedArrayBuffer(RING_BYTES);
export const giveRing = (ring: SharedArrayBuffer): void => {
  if (ringPool.length < MAX_POOLED_RINGS) ringPool.push(ring);
};
const IDLE_EXIT_MS = 5_000;

export interface Pending {
  /** Bytes sent as transferred copies and not yet hashed. */
  inFlight: number;
  /** Ring slots the worker has handed back. */
  free: number[];
  waiters: Array<() => void>;
  resolveDigest?: (hex: string) => void;
  rejectDigest?: (error: Error) => void;
  failed?: Error;
  /** Returns the job's ring to the pool; called once the worker has sent its last message for the job. */
  release?: () => void;
  /** Jobs with their own replies (sealing) take every message that is not an error. */
  onReply?: (message: WorkerReply) => void;
}

export type { WorkerReply };

let nextId = 1;

/** A worker's error as the caller sees it: damage is INTEGRITY, a file that cannot be read keeps its errno. */
function workerError(message: WorkerReply): Error {
  if (message.errorKind === 'integrity') return new SafehouseError('INTEGRITY', undefined, { cause: new Error(message.error) });
  if (message.errorKind === 'io') return Object.assign(new Error(message.error), message.errno ? { code: message.errno } : {});
  return new SafehouseError('INTERNAL', `crypto worker: ${message.error}`);
}

/**
 * One worker thread and the jobs open on it. Two lanes, so two files' verification reads (read, decrypt and
 * hash, the busiest worker job) run on both cores at once; a job goes to the lane with fewer open jobs.
 */
class Lane {
  worker: Worker | null = null;
  readonly open = new Map<number, Pending>();
  private idleTimer: NodeJS.Timeout | null = null;

  post(message: WorkerJob, transfer?: ArrayBuffer[]): void {
    this.start().postMessage(message, transfer);
  }

  /** A job opens here: its caller awaits the answers, so the process waits too, and the idle exit is off. */
  admit(id: number, pending: Pending): void {
    this.open.set(id, pending);
    if (this.idleTimer) {
      clearTimeout(this.idleTimer);
      this.idleTimer = null;
    }
    this.worker?.ref();
  }

  private failAll(error: Error): void {
    for (const pending of this.open.values()) {
      pending.failed = error;
      pending.rejectDigest?.(error);
      for (const wake of pending.waiters.splice(0)) wake();
    }
    this.open.clear();
    this.worker = null;
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const started = startCryptoWorker({});
    started.on('message', (message: WorkerReply) => {
      const pending = this.open.get(message.id);
      if (!pending) {
        if (message.buffer) new Uint8Array(message.buffer).fill(0); // a dropped read's last plaintext
        return;
      }
      if (message.error !== undefined) {
        const error = workerError(message);
        pending.failed = error;
        pending.rejectDigest?.(error);
        for (const wake of pending.waiters.splice(0)) wake();
        this.open.delete(message.id);
        pending.release?.(); // later queued messages of this job fail on the missing state, never read the ring
        if (this.open.size === 0) this.scheduleIdleExit();
      } else if (pending.onReply) {
        pending.onReply(message);
      } else if (message.acked !== undefined) {
        if (message.slot !== undefined && message.slot >= 0) pending.free.push(message.slot);
        pending.inFlight -= message.acked;
        if (pending.inFlight <= MAX_IN_FLIGHT && pending.free.length > 0) for (const wake of pending.waiters.splice(0)) wake();
      } else if (message.digest !== undefined) {
        this.open.delete(message.id);
        pending.release?.();
        pending.resolveDigest?.(message.digest);
        if (this.open.size === 0) this.scheduleIdleExit();
      }
    });
    started.on('error', (error) => {
      if (this.worker === started) this.failAll(error instanceof Error ? error : new Error(String(error)));
    });
    started.on('exit', (code) => {
      if (this.worker === started) this.failAll(new SafehouseError('INTERNAL', `the crypto worker exited (${code})`));
    });
    this.worker = started;
    return started;
  }

  /** A job with its own replies (sealing) is complete: the worker holds nothing of it any more. */
  finish(id: number): void {
    const pending = this.open.get(id);
    if (!pending) return;
    this.open.delete(id);
    pending.release?.();
    if (this.open.size === 0) this.scheduleIdleExit();
  }

  /** Forgets a job; the worker drops (and wipes) its state. */
  forget(id: number): void {
    if (!this.open.delete(id)) return;
    this.worker?.postMessage({ op: 'drop', id });
    if (this.open.size === 0) this.scheduleIdleExit();
  }

  private scheduleIdleExit(): void {
    // Idle, the worker never keeps the process alive (a CLI exits at once, not after IDLE_EXIT_MS). This
    // must come after the 'message' listener was added, which refs the worker's port again.
    this.worker?.unref();
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      if (this.open.size === 0 && this.worker) {
        const stopping = this.worker;
        this.worker = null;
        void stopping.terminate();
      }
    }, IDLE_EXIT_MS);
    this.idleTimer.unref();
  }
}

export type { Lane };
const lanes = [new Lane(), new Lane()];

export function openJob(pending: Pending): { id: number; lane: Lane } {
  const lane = lanes.reduce((best, next) => (next.open.size < best.open.size ? next : best));
  const id = nextId;
  nextId += 1;
  lane.admit(id, pending);
  return { id, lane };
}

export interface OffThreadBlake2b {
  /** Copies the chunk (the caller may reuse its buffer) and queues it for hashing. */
  update(chunk: Uint8Array): void;
  /** Resolves when little enough is queued; await it in producer loops to keep memory bounded. */
  flowing(): Promise<void>;
  /** BLAKE2b-256 of everything updated, 64 lower-case hex digits. */
  digest(): Promise<string>;
  /** Forgets the state without a digest (error paths). */
  discard(): void;
}

export function createOffThreadBlake2b(): OffThreadBlake2b {
  const ring = takeRing();
  const pending: Pending = { inFlight: 0, free: Array.from({ length: SLOTS - 1 }, (_, i) => SLOTS - 1 - i), waiters: [], release: () => giveRing(ring) };
  const { id, lane } = openJob(pending);
  lane.post({ op: 'init', id, ring });
  let done = false;
  let slot: number | undefined = 0; // the slot being filled
  let view = new Uint8Array(ring, 0, SLOT_BYTES);
  let filled = 0;
  const announce = (): void => {
    if (filled === 0 || slot === undefined) return;
    lane.post({ op: 'update', id, slot, slotBytes: SLOT_BYTES, length: filled });
    slot = pending.free.pop();
    if (slot !== undefined) view = new Uint8Array(ring, slot * SLOT_BYTES, SLOT_BYTES);
    filled = 0;
  };
  const check = (): void => {
    if (pending.failed) throw pending.failed;
    if (done) throw new SafehouseError('INTERNAL', 'A hasher was used after its digest was taken.');
  };
  const ensureSlot = (): boolean => {
    if (slot !== undefined) return true;
    slot = pending.free.pop();
    if (slot === undefined) return false;
    view = new Uint8Array(ring, slot * SLOT_BYTES, SLOT_BYTES);
    return true;
  };
  return {
    update(chunk) {
      check();
      let at = 0;
      while (at < chunk.length) {
        if (!ensureSlot()) {
          // Every slot is with the worker: send the rest as a transferred copy instead of blocking.
          // A real copy: Buffer#slice is a view, and transferring it would detach the caller's memory.
          const copy = new Uint8Array(chunk.subarray(at));
          pending.inFlight += copy.length;
          lane.post({ op: 'update', id, slot: -1, data: copy }, [copy.buffer]);
          return;
        }
        const n = Math.min(SLOT_BYTES - filled, chunk.length - at);
        copyBytes(view, chunk.subarray(at, at + n), filled);
        filled += n;
        at += n;
        if (filled === SLOT_BYTES) announce();
      }
    },
    flowing() {
      if (pending.failed) return Promise.reject(pending.failed);
      if (pending.inFlight <= MAX_IN_FLIGHT && (slot !== undefined || pending.free.length > 0)) return Promise.resolve();
      return new Promise<void>((resolve) => pending.waiters.push(resolve)).then(() => {
        if (pending.failed) throw pending.failed;
      });
    },
    digest() {
      check();
      announce();
      done = true;
      return new Promise<string>((resolve, reject) => {
        pending.resolveDigest = resolve;
        pending.rejectDigest = reject;
        lane.post({ op: 'final', id });
      });
    },
    discard() {
      if (done) return;
      done = true;
      lane.forget(id); // the ring is not pooled again: the worker may still read queued slots
    },
  };
}

