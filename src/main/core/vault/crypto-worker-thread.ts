import { parentPort } from 'node:worker_threads';
import loadXxhash, { type XXHashAPI } from 'xxhash-wasm';
import { createBlake2b256, type Blake2b256 } from './blake2b';
import { copyBytes } from './byte-copy';
import type { WorkerJob, WorkerReply } from './crypto-worker-protocol';
import { TAG_FINAL, TAG_MESSAGE, secretstreamSync, type StreamState } from './secretstream';
import { loadSodium, sodiumSync } from './sodium';

/**
 * The crypto worker (started by crypto-worker.ts, which owns the lanes, rings and jobs; built as its own
 * entry by electron-vite's `?nodeWorker` import, and by tests/setup/node-worker-plugin.mjs under vitest).
 *
 * Jobs (crypto-worker-protocol.ts):
 * - init / update / final: BLAKE2b-256 of bytes in a ring slot (or a transferred copy): a source's record.
 * - open / frames / verified: reading a vault object: decrypt every frame (the rules of
 *   ObjectOpener.openChunk). For verification ('digest') only the xxh64 of the plaintext goes back; for
 *   streamObject ('plaintext') each authenticated batch's plaintext is written back into its ring slot, so
 *   the thread that reads the file and feeds ffmpeg does not also run the cipher.
 * - seal-open / seal: the write side of an object, which also takes the xxh64 of the plaintext (sent back
 *   with the final frame's reply): what the verification read must give back. The FILE KEY IS DRAWN HERE
 *   and never leaves this thread: the caller sends the header skeleton, the recipients' public keys and the
 *   metadata; this thread seals the file key to each recipient, derives the MAC and stream subkeys, wipes
 *   the file key and the MAC key at once, and keeps only the secretstream state until the final frame or a
 *   drop, when that state is wiped. Plaintext arrives in a ring slot; the ciphertext frames are written back
 *   over it in the same slot (they are longer, so they cover every plaintext byte).
 * - drop: forget a job (error paths), wiping a secretstream state if it has one.
 *
 * Ring slots live in SharedArrayBuffers, which N-API (sodium-native) cannot take, so a slot is copied into
 * this thread's `input` scratch (one memcpy per MiB) and frames are computed into `output`. Both scratch
 * areas hold plaintext for the duration of one message and are zeroed before the reply goes out.
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
  /** A 'plaintext' read: each batch's plaintext goes back to its slot. */
  returnsPlaintext?: boolean;
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

function openFrames(m: Extract<WorkerJob, { op: 'frames' }>): void {
  const job = need(m.id);
  const frames = slotCopy(job, m.slot, m.slotBytes, m.length);
  output = grown(output, m.slotBytes);
  let plain = 0; // plaintext bytes of this batch in `output`
  try {
    for (let off = 0; off < m.length; ) {
      const n = Math.min(m.frameBytes, m.length - off);
      if (job.finished) throw new Error('bytes after TAG_FINAL');
      if (n < m.abytes) throw new Error('bad frame length');
      // A digest read reuses the start of `output` for every frame; a plaintext read lays them end to end.
      const into = output.subarray(job.returnsPlaintext ? plain : 0, (job.returnsPlaintext ? plain : 0) + n - m.abytes);
      const tag = secretstream().pullInto(job.stream!, into, frames.subarray(off, off + n), job.ad!);
      if (tag < 0) throw new Error('frame failed authentication');
      if (job.xxh) xxhUpdate(job, into);
      const final = tag === TAG_FINAL;
      const remainingAfter = m.length - off - n + m.after;
      const ok = final ? remainingAfter === 0 : tag === TAG_MESSAGE && n === m.frameBytes;
      if (!ok) throw new Error(final ? 'bytes after the final frame' : 'short or unexpected frame');
      if (final) job.finished = true;
      if (job.returnsPlaintext) plain += n - m.abytes;
      off += n;
    }
    // Only a batch whose every frame authenticated reaches the caller; the plaintext is shorter than the
    // frames it came from, so it fits where they were.
    if (job.returnsPlaintext) copyBytes(new Uint8Array(job.ring!, m.slot * m.slotBytes, m.slotBytes), output.subarray(0, plain), 0);
  } finally {
    output.fill(0, 0, m.slotBytes); // decrypted plaintext
  }
  reply(job.returnsPlaintext ? { id: m.id, slot: m.slot, plain } : { id: m.id, slot: m.slot, acked: 0 });
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
      case 'open': {
        // Verification read of a vault object: the same checks as ObjectOpener, then xxh64 of the plaintext.
        const stream = secretstream().initPull(m.streamHeader, m.key);
        sodiumSync().memzero(m.key); // this thread's copy of the stream key; it now lives only in the state
        const returnsPlaintext = m.mode === 'plaintext';
        jobs.set(m.id, { stream, ad: m.ad, ring: m.ring, finished: false, returnsPlaintext, ...(returnsPlaintext ? {} : { xxh: xxh.create64() }) });
        const meta = secretstream().pull(stream, m.meta, m.ad);
        if (!meta || meta.tag !== TAG_MESSAGE) throw new Error('metadata frame');
        meta.message.fill(0);
        break;
      }
      case 'frames':
        openFrames(m);
        break;
      case 'verified': {
        const job = need(m.id);
        if (!job.finished) throw new Error('stream ends without TAG_FINAL'); // forget() wipes the state
        const digest = job.xxh ? xxhHex(job) : ''; // a plaintext read only confirms TAG_FINAL was seen
        forget(m.id);
        reply({ id: m.id, digest });
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
