import { parentPort } from 'node:worker_threads';
import loadXxhash, { type XXHashAPI } from 'xxhash-wasm';
import { createBlake2b256, type Blake2b256 } from './blake2b';
import { copyBytes } from './byte-copy';
import type { WorkerJob, WorkerReply } from './crypto-worker-protocol';
import { openSequentialReader, type SequentialReader } from './direct-io';
import { ABYTES, CHUNK_SIZE, FRAME_SIZE } from './object-format';
import { TAG_FINAL, TAG_MESSAGE, secretstreamSync, type StreamState } from './secretstream';
import { loadSodium, sodiumSync } from './sodium';

/**
 * The crypto worker (started by crypto-worker.ts, which owns the lanes, rings and jobs; built as its own
 * entry by electron-vite's `?nodeWorker` import, and by tests/setup/node-worker-plugin.mjs under vitest).
 *
 * Jobs (crypto-worker-protocol.ts):
 * - init / update / final: BLAKE2b-256 of bytes in a ring slot (or a transferred copy): a source's record.
 * - read / give: reading a vault object: this thread reads the file and decrypts every frame (the rules
 *   of ObjectOpener.openChunk). For verification ('digest') only the xxh64 of the plaintext goes back; for
 *   streamObject ('plaintext') each authenticated batch's plaintext goes back in a transferred buffer, so
 *   the thread that feeds ffmpeg or writes an export neither reads the object nor runs the cipher.
 * - seal-open / seal: the write side of an object, which also takes the xxh64 of the plaintext (sent back
 *   with the final frame's reply): what the verification read must give back. The FILE KEY IS DRAWN HERE
 *   and never leaves this thread: the caller sends the header skeleton, the recipients' public keys and the
 *   metadata; this thread seals the file key to each recipient, derives the MAC and stream subkeys, wipes
 *   the file key and the MAC key at once, and keeps only the secretstream state until the final frame or a
 *   drop, when that state is wiped. Plaintext arrives in a ring slot; the ciphertext frames are written back
 *   over it in the same slot (they are longer, so they cover every plaintext byte).
 * - drop: forget a job (error paths), wiping a secretstream state if it has one.
 *
 * Ring slots (hashing, sealing) live in SharedArrayBuffers, which N-API (sodium-native) cannot take, so a
 * slot is copied into this thread's `input` scratch (one memcpy per MiB) and frames are computed into
 * `output`. Both scratch areas hold plaintext for the duration of one message and are zeroed before the
 * reply goes out. Reads need no ring: their bytes come from the file into this thread's own buffers.
 *
 * Why xxh64 and not BLAKE2b for objects: the AEAD already authenticates every frame under a key only this
 * vault holds, so a read-back that decrypts has proven the bytes are the ones sealed, against tampering as
 * much as damage. The digest compared on top checks the write and read paths end to end (a wrong, short or
 * stale object), which a 64-bit checksum does, the one DIT tools use to verify copies.
 */

interface Job {
  ring?: SharedArrayBuffer;
  blake?: Blake2b256;
  stream?: StreamState;
  /** The header MAC: every stream message's AD. */
  ad?: Uint8Array;
  xxh?: ReturnType<XXHashAPI['create64']>;
  finished?: boolean;
  /** A 'plaintext' read: each batch's plaintext goes to the caller in a transferred buffer. */
  returnsPlaintext?: boolean;
  /** A plaintext read: batches it may still post before the caller gives one back ('give'). */
  credit?: number;
  /** A plaintext read's output buffers given back by the caller, to fill again, and the read waiting. */
  free?: Uint8Array[];
  waiting?: Array<() => void>;
  /** Dropped by the caller (or failed): a read in progress stops at its next step. */
  dropped?: boolean;
}

const port = parentPort;
if (!port) throw new Error('crypto-worker-thread runs only as a worker thread');
const jobs = new Map<number, Job>();
const secretstream = () => secretstreamSync();
let xxh: XXHashAPI;

let input: Uint8Array = new Uint8Array(0);
let output: Uint8Array = new Uint8Array(0);
/** Scratch of at least `bytes`, grown (never shrunk) as slots need; the old area is zeroed first. */
const grown = (area: Uint8Array, bytes: number): Uint8Array => {
  if (area.length >= bytes) return area;
  area.fill(0);
  return new Uint8Array(bytes);
};

// Every xxhash-wasm update copies its input into that module's memory; hashing zeros over the whole area
// used (from offset 0, where the one-shot hash puts its input) leaves no plaintext there once an object ends.
let xxhInputBytes = 0;
let zeros = new Uint8Array(0);
const xxhUpdate = (job: Job, bytes: Uint8Array): void => {
  job.xxh!.update(bytes);
  xxhInputBytes = Math.max(xxhInputBytes, bytes.length);
};
const wipeXxhInput = (): void => {
  if (xxhInputBytes === 0) return;
  const need = xxhInputBytes + 4096; // past the hasher state kept in front of the input
  if (zeros.length < need) zeros = new Uint8Array(need);
  xxh.h64Raw(zeros.subarray(0, need));
  xxhInputBytes = 0;
};
const xxhHex = (job: Job): string => job.xxh!.digest().toString(16).padStart(16, '0');

const forget = (id: number): void => {
  const job = jobs.get(id);
  jobs.delete(id);
  if (!job) return;
  job.dropped = true;
  for (const buffer of job.free?.splice(0) ?? []) buffer.fill(0); // plaintext of earlier batches
  for (const wake of job.waiting?.splice(0) ?? []) wake();
  if (job.stream !== undefined) secretstream().wipe(job.stream); // the stream state holds the stream key
  job.blake?.drop();
  if (job.xxh) wipeXxhInput();
};
const need = (id: number): Job => {
  const job = jobs.get(id);
  if (!job) throw new Error('no such job (dropped or failed)');
  return job;
};
const reply = (message: WorkerReply, transfer?: ArrayBuffer[]): void => port.postMessage(message, transfer);
const le32 = (n: number): Uint8Array => new Uint8Array(new Uint32Array([n]).buffer);

/** A slot's bytes, copied out of shared memory into `input`. */
const slotCopy = (job: Job, slot: number, slotBytes: number, length: number): Uint8Array => {
  input = grown(input, slotBytes);
  copyBytes(input, new Uint8Array(job.ring!, slot * slotBytes, length), 0);
  return input.subarray(0, length);
};

/** A read's frames failed a rule of the format (as opposed to the file failing to read). */
class Damaged extends Error {}

/**
 * Decrypts the frames of one batch into `out` (laid end to end; a digest read reuses the start of `out`
 * for every frame) with the rules of ObjectOpener.openChunk: every frame authenticates with the header MAC
 * as AD, a non-final frame is full-size and TAG_MESSAGE, TAG_FINAL comes on the last frame and nothing
 * after it. Returns the plaintext bytes laid in `out`.
 */
function openBatch(job: Job, frames: Uint8Array, out: Uint8Array, after: number): number {
  let plain = 0;
  for (let off = 0; off < frames.length; ) {
    const n = Math.min(FRAME_SIZE, frames.length - off);
    if (job.finished) throw new Damaged('bytes after TAG_FINAL');
    if (n < ABYTES) throw new Damaged('bad frame length');
    const into = out.subarray(job.returnsPlaintext ? plain : 0, (job.returnsPlaintext ? plain : 0) + n - ABYTES);
    const tag = secretstream().pullInto(job.stream!, into, frames.subarray(off, off + n), job.ad!);
    if (tag < 0) throw new Damaged('frame failed authentication');
    if (job.xxh) xxhUpdate(job, into);
    const final = tag === TAG_FINAL;
    const ok = final ? frames.length - off - n + after === 0 : tag === TAG_MESSAGE && n === FRAME_SIZE;
    if (!ok) throw new Damaged(final ? 'bytes after the final frame' : 'short or unexpected frame');
    if (final) job.finished = true;
    if (job.returnsPlaintext) plain += n - ABYTES;
    off += n;
  }
  return plain;
}

/**
 * A read job ('read'): this thread reads the object file itself (past the page cache where it can,
 * direct-io.ts, with the next read ahead while this one decrypts) and decrypts straight from the read
 * buffer into an output buffer, a batch at a time: no copy through shared memory on either side. A
 * 'plaintext' batch is posted only once every frame in it authenticated, and its buffer is transferred,
 * not copied; at most `depth` are out at once. The caller gives each back ('give') once done with it, or
 * keeps it and only leaves room for another, which this thread then makes anew.
 */
async function readObject(m: Extract<WorkerJob, { op: 'read' }>): Promise<void> {
  const returnsPlaintext = m.mode === 'plaintext';
  const job: Job = { ad: m.ad, finished: false, returnsPlaintext, credit: m.depth, free: [], waiting: [], ...(returnsPlaintext ? {} : { xxh: xxh.create64() }) };
  jobs.set(m.id, job);
  const readBytes = FRAME_SIZE * m.readFrames;
  const batchBytes = FRAME_SIZE * m.batchFrames;
  const batchPlain = CHUNK_SIZE * m.batchFrames;
  let reader: SequentialReader | undefined;
  /** Where the next batch's plaintext goes, once the caller leaves room for it; undefined once dropped. */
  const outputBuffer = async (): Promise<Uint8Array | undefined> => {
    if (!returnsPlaintext) {
      output = grown(output, batchPlain);
      return output;
    }
    while (job.credit === 0 && !job.dropped) await new Promise<void>((resolve) => job.waiting!.push(resolve));
    if (job.dropped) return undefined;
    job.credit! -= 1;
    return job.free!.pop() ?? new Uint8Array(batchPlain);
  };
  try {
    job.stream = secretstream().initPull(m.streamHeader, m.key);
    sodiumSync().memzero(m.key); // this thread's copy of the stream key; it now lives only in the state
    const meta = secretstream().pull(job.stream, m.meta, m.ad);
    if (!meta || meta.tag !== TAG_MESSAGE) throw new Damaged('metadata frame');
    meta.message.fill(0);
    reader = await openSequentialReader(m.file);
    for (let at = m.start; at < m.size; ) {
      const n = Math.min(readBytes, m.size - at);
      const frames = await reader.read(n, at); // valid until the next read
      if (job.dropped) return;
      if (frames.length < n) throw new Damaged('truncated object');
      for (let batch = 0; batch < n; batch += batchBytes) {
        const end = Math.min(n, batch + batchBytes);
        const out = await outputBuffer();
        if (!out) return; // dropped while waiting
        let plain: number;
        try {
          plain = openBatch(job, frames.subarray(batch, end), out, m.size - at - end);
        } catch (error) {
          out.fill(0);
          throw error;
        }
        if (returnsPlaintext) reply({ id: m.id, plain, buffer: out.buffer as ArrayBuffer }, [out.buffer as ArrayBuffer]);
        else {
          out.fill(0, 0, CHUNK_SIZE); // a digest read decrypts every frame into the start of `output`
          reply({ id: m.id, acked: end - batch });
        }
      }
      at += n;
    }
    if (!job.finished) throw new Damaged('stream ends without TAG_FINAL');
    // The file may have grown since the caller's stat(): anything after TAG_FINAL is an attack or damage.
    if ((await reader.read(1, m.size)).length !== 0) throw new Damaged('bytes after TAG_FINAL');
    if (job.dropped) return;
    const digest = job.xxh ? xxhHex(job) : ''; // a plaintext read only confirms TAG_FINAL was the last frame
    forget(m.id);
    reply({ id: m.id, digest });
  } catch (error) {
    if (job.dropped) return;
    forget(m.id);
    const errno = (error as NodeJS.ErrnoException).code;
    reply({ id: m.id, error: error instanceof Error ? error.message : String(error), errorKind: error instanceof Damaged ? 'integrity' : 'io', ...(errno ? { errno } : {}) });
  } finally {
    if (!returnsPlaintext) output.fill(0, 0, Math.min(output.length, CHUNK_SIZE));
    if (job.stream === undefined) sodiumSync().memzero(m.key); // initPull failed before it took the key
    await reader?.close();
  }
}

function sealOpen(m: Extract<WorkerJob, { op: 'seal-open' }>): void {
  // m.header: magic, version, class, count and id filled in (object-format.ts); the secretstream header
  // goes at 28, the sealed file keys at 52 + 80·i (docs/vault-format.md).
  const sodium = sodiumSync();
  const header = m.header;
  const fileKey = sodium.randombytes_buf(32);
  const macKey = sodium.crypto_kdf_derive_from_key(32, 1, 'SHOBJECT', fileKey);
  const streamKey = sodium.crypto_kdf_derive_from_key(32, 2, 'SHOBJECT', fileKey);
  const push = secretstream().initPush(streamKey);
  sodium.memzero(streamKey); // kept only inside the secretstream state from here on
  // xxh: of the plaintext, which verification later compares with the object read back
  const job: Job = { stream: push.state, ring: m.ring, xxh: xxh.create64() };
  jobs.set(m.id, job);
  header.set(push.header, 28);
  m.recipients.forEach((pk, i) => header.set(sodium.crypto_box_seal(fileKey, pk), 52 + 80 * i));
  sodium.memzero(fileKey);
  job.ad = sodium.crypto_generichash(32, header, macKey);
  sodium.memzero(macKey);
  const metaCt = secretstream().push(push.state, m.meta, job.ad, TAG_MESSAGE);
  sodium.memzero(m.meta);
  const prefix = new Uint8Array(header.length + 32 + 4 + metaCt.length);
  prefix.set(header, 0);
  prefix.set(job.ad, header.length);
  prefix.set(le32(metaCt.length), header.length + 32);
  prefix.set(metaCt, header.length + 36);
  reply({ id: m.id, prefix }, [prefix.buffer]);
}

function seal(m: Extract<WorkerJob, { op: 'seal' }>): void {
  // m.length plaintext bytes at the start of the slot: whole chunks, except in the final batch.
  const job = need(m.id);
  const slot = m.slot!;
  const plain = slotCopy(job, slot, m.slotBytes, m.length);
  xxhUpdate(job, plain);
  const count = m.final ? Math.max(1, Math.ceil(m.length / m.chunkBytes)) : m.length / m.chunkBytes;
  output = grown(output, m.slotBytes);
  let out = 0;
  try {
    for (let f = 0; f < count; f++) {
      const chunk = plain.subarray(f * m.chunkBytes, Math.min(m.length, (f + 1) * m.chunkBytes));
      secretstream().pushInto(job.stream!, output.subarray(out), chunk, job.ad!, m.final && f === count - 1 ? TAG_FINAL : TAG_MESSAGE);
      out += chunk.length + m.abytes;
    }
  } finally {
    input.fill(0, 0, m.length); // this thread's copy of the plaintext
  }
  // Frames are longer than their chunks, so together they cover every plaintext byte of the slot.
  copyBytes(new Uint8Array(job.ring!, slot * m.slotBytes, m.slotBytes), output.subarray(0, out), 0);
  let digest: string | undefined;
  if (m.final) {
    digest = xxhHex(job);
    forget(m.id);
  }
  reply({ id: m.id, slot, sealed: out, digest });
}

function handle(m: WorkerJob): void {
  try {
    switch (m.op) {
      case 'init':
        jobs.set(m.id, { blake: createBlake2b256(), ring: m.ring });
        break;
      case 'update': {
        const job = need(m.id);
        const copied = 'data' in m;
        job.blake!.update(copied ? m.data : slotCopy(job, m.slot, m.slotBytes, m.length)); // card bytes, not secret
        reply({ id: m.id, slot: m.slot, acked: copied ? m.data.length : 0 });
        break;
      }
      case 'final': {
        const digest = need(m.id).blake!.hex();
        jobs.delete(m.id);
        reply({ id: m.id, digest });
        break;
      }
      case 'read':
        void readObject(m);
        break;
      case 'give': {
        const job = jobs.get(m.id);
        if (!job?.free) {
          if (m.buffer) new Uint8Array(m.buffer).fill(0); // the read ended or failed meanwhile: nothing of it stays here
          break;
        }
        if (m.buffer) job.free.push(new Uint8Array(m.buffer));
        job.credit! += 1;
        for (const wake of job.waiting!.splice(0)) wake();
        break;
      }
      case 'seal-open':
        sealOpen(m);
        break;
      case 'seal':
        seal(m);
        break;
      case 'drop':
        forget(m.id);
        break;
    }
  } catch (error) {
    forget(m.id);
    reply({ id: m.id, error: error instanceof Error ? error.message : String(error) });
  }
}

const queue: WorkerJob[] = [];
let ready = false;
port.on('message', (m: WorkerJob) => (ready ? handle(m) : queue.push(m)));
void Promise.all([loadSodium(), loadXxhash()]).then(([, api]) => {
  xxh = api;
  ready = true;
  for (const m of queue.splice(0)) handle(m);
});
