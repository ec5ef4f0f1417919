import { copyBytes } from './byte-copy';
import { defineSecretstream } from './native-secretstream';

/**
 * The crypto worker's code (see crypto-worker.ts for the thread, the rings and the jobs; object-seal.ts
 * for sealing). Plain CommonJS evaluated as a string, so it runs the same under vitest, the electron-vite
 * build and Electron; libsodium and xxhash-wasm are required by the absolute paths in workerData.
 *
 * Jobs, by message op:
 * - init / update / final: BLAKE2b-256 of bytes in a ring slot (or a transferred copy): a source's record.
 * - open / frames / verified: the verification read of a vault object: decrypt every frame (same rules as
 *   ObjectOpener.openChunk) and take the xxh64 of the plaintext; only the digest goes back.
 * - seal-open / seal: write side of an object, which also takes the xxh64 of the plaintext (sent back with
 *   the final frame's reply): what the verification read must give back. The FILE KEY IS DRAWN HERE and
 *   never leaves this thread: the caller sends the header skeleton, the recipients' public keys and the
 *   metadata; the worker seals the file key to each recipient, derives the MAC and stream subkeys, wipes
 *   the file key and the MAC key at once, and keeps only the secretstream state (in its WebAssembly heap)
 *   until the final frame or a drop, when that state is wiped and freed. Plaintext arrives in a ring slot;
 *   the ciphertext frames are written back over it in the same slot (they are longer, so they cover every
 *   plaintext byte).
 * - drop: forget a job (error paths), wiping a secretstream state if it has one.
 *
 * Frames are encrypted and decrypted by native-secretstream.ts (OpenSSL through node:crypto, libsodium's
 * bytes), whose source text is evaluated here. BLAKE2b calls libsodium's exported WebAssembly function
 * directly (sodium.libsodium._crypto_generichash_update) on one scratch area of the heap per worker: one
 * copy of a slot in, one call; the wrappers would allocate, copy and free for every call (the area holds
 * card bytes, as the ring does, until the next slot). An object's plaintext is copied into xxhash-wasm's
 * input area by each update; that area is overwritten with zeros when the object's job ends. u64 arguments
 * are passed as (low, high) pairs, as the wrappers do.
 *
 * Why xxh64 and not BLAKE2b for objects: the AEAD already authenticates every frame under a key only this
 * vault holds, so a read-back that decrypts has proven the bytes are the ones sealed, against tampering as
 * much as damage. The digest compared on top checks the write and read paths end to end (a wrong, short or
 * stale object), which a 64-bit checksum does, the one DIT tools use to verify copies. BLAKE2b ran at
 * ~0.8 GB/s on every byte twice more; xxh64 runs at ~9 GB/s.
 */
export const CRYPTO_WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const sodium = require(workerData.sodiumPath);
const loadXxhash = require(workerData.xxhashPath);
const secretstream = (${defineSecretstream.toString()})(require('node:crypto'), sodium);
const copyBytes = ${copyBytes.toString()};
const states = new Map();
let xxh;
let xxhInputBytes = 0; // the largest input copied into xxhash-wasm's memory since it was last zeroed
let zeros = new Uint8Array(0);
const newXxh64 = () => ({ hash: xxh.create64(), update(bytes) { this.hash.update(bytes); xxhInputBytes = Math.max(xxhInputBytes, bytes.length); } });
const xxh64Hex = (h) => h.hash.digest().toString(16).padStart(16, '0');
// Every update copies its input into xxhash-wasm's memory; hashing zeros over the whole area used (from
// offset 0, where the one-shot hash puts its input) leaves no plaintext there once an object is done.
const wipeXxhInput = () => {
  if (xxhInputBytes === 0) return;
  const need = xxhInputBytes + 4096; // past the hasher state kept in front of the input
  if (zeros.length < need) zeros = new Uint8Array(need);
  xxh.h64Raw(zeros.subarray(0, need));
  xxhInputBytes = 0;
};
const queue = [];
let ready = false;
let lib;
const TAG_MESSAGE = secretstream.TAG_MESSAGE;
const TAG_FINAL = secretstream.TAG_FINAL;
let scratch = 0;
let scratchBytes = 0;
// One heap area of a slot's size, for bytes to hash. Reallocated only for a larger slot size.
const heap = (slotBytes) => {
  const need = slotBytes;
  if (scratchBytes < need) {
    if (scratch) {
      lib.HEAPU8.fill(0, scratch, scratch + scratchBytes);
      lib._free(scratch);
    }
    scratch = lib._malloc(need);
    if (!scratch) throw new Error('out of WebAssembly memory');
    scratchBytes = need;
  }
  return scratch;
};
const forget = (id) => {
  const s = states.get(id);
  states.delete(id);
  if (s && s.stream) secretstream.wipe(s.stream); // the stream state holds the stream key
  if (s && s.state) lib._free(s.state); // a BLAKE2b state (no key in it)
  if (s && s.xxh) wipeXxhInput();
};
const le32 = (n) => new Uint8Array(new Uint32Array([n]).buffer);
const handle = (m) => {
  try {
    if (m.op === 'init') states.set(m.id, { state: sodium.crypto_generichash_init(null, 32), ring: m.ring });
    else if (m.op === 'update') {
      const s = states.get(m.id);
      if (m.data) sodium.crypto_generichash_update(s.state, m.data);
      else {
        const input = heap(m.slotBytes);
        copyBytes(lib.HEAPU8, new Uint8Array(s.ring, m.slot * m.slotBytes, m.length), input);
        if (lib._crypto_generichash_update(s.state, input, m.length, 0) !== 0) throw new Error('BLAKE2b update');
      }
      parentPort.postMessage({ id: m.id, slot: m.slot, acked: m.data ? m.data.length : 0 });
    } else if (m.op === 'final') {
      const digest = sodium.crypto_generichash_final(states.get(m.id).state, 32, 'hex');
      states.delete(m.id);
      parentPort.postMessage({ id: m.id, digest });
    } else if (m.op === 'drop') forget(m.id);
    else if (m.op === 'open') {
      // Verification read of a vault object: the same checks as ObjectOpener, then xxh64 of the plaintext.
      const pull = secretstream.initPull(m.streamHeader, m.key);
      sodium.memzero(m.key); // this thread's copy of the stream key; it now lives only in the state
      states.set(m.id, { stream: pull, ad: m.ad, xxh: newXxh64(), ring: m.ring, finished: false });
      const meta = secretstream.pull(pull, m.meta, m.ad);
      if (!meta || meta.tag !== TAG_MESSAGE) throw new Error('metadata frame');
      meta.message.fill(0);
    } else if (m.op === 'frames') {
      const s = states.get(m.id);
      const frames = new Uint8Array(s.ring, m.slot * m.slotBytes, m.length);
      for (let off = 0; off < m.length; ) {
        const n = Math.min(m.frameBytes, m.length - off);
        if (s.finished) throw new Error('bytes after TAG_FINAL');
        if (n < m.abytes) throw new Error('bad frame length');
        const opened = secretstream.pull(s.stream, frames.subarray(off, off + n), s.ad);
        if (!opened) throw new Error('frame failed authentication');
        s.xxh.update(opened.message);
        opened.message.fill(0); // decrypted plaintext
        const final = opened.tag === TAG_FINAL;
        const remainingAfter = m.length - off - n + m.after;
        const ok = final ? remainingAfter === 0 : opened.tag === TAG_MESSAGE && n === m.frameBytes;
        if (!ok) throw new Error(final ? 'bytes after the final frame' : 'short or unexpected frame');
        if (final) s.finished = true;
        off += n;
      }
      parentPort.postMessage({ id: m.id, slot: m.slot, acked: 0 });
    } else if (m.op === 'verified') {
      const s = states.get(m.id);
      if (!s.finished) throw new Error('stream ends without TAG_FINAL'); // forget() wipes the state
      const digest = xxh64Hex(s.xxh);
      forget(m.id);
      parentPort.postMessage({ id: m.id, digest });
    } else if (m.op === 'seal-open') {
      // m.header: the header with magic, version, class, count and id filled in (object-format.ts);
      // the secretstream header goes at 28, the sealed file keys at 52 + 80·i (docs/vault-format.md).
      const header = m.header;
      const fileKey = sodium.randombytes_buf(32);
      const macKey = sodium.crypto_kdf_derive_from_key(32, 1, 'SHOBJECT', fileKey);
      const streamKey = sodium.crypto_kdf_derive_from_key(32, 2, 'SHOBJECT', fileKey);
      const push = secretstream.initPush(streamKey);
      sodium.memzero(streamKey); // kept only inside the secretstream state from here on
      // xxh: of the plaintext, which verification later compares with the object read back
      states.set(m.id, { stream: push.state, ring: m.ring, xxh: newXxh64() });
      header.set(push.header, 28);
      m.recipients.forEach((pk, i) => header.set(sodium.crypto_box_seal(fileKey, pk), 52 + 80 * i));
      sodium.memzero(fileKey);
      const mac = sodium.crypto_generichash(32, header, macKey);
      sodium.memzero(macKey);
      states.get(m.id).mac = mac;
      const metaCt = secretstream.push(push.state, m.meta, mac, TAG_MESSAGE);
      sodium.memzero(m.meta);
      const prefix = new Uint8Array(header.length + 32 + 4 + metaCt.length);
      prefix.set(header, 0);
      prefix.set(mac, header.length);
      prefix.set(le32(metaCt.length), header.length + 32);
      prefix.set(metaCt, header.length + 36);
      parentPort.postMessage({ id: m.id, prefix }, [prefix.buffer]);
    } else if (m.op === 'seal') {
      // m.length plaintext bytes at the start of the slot: whole chunks, except in the final batch.
      const s = states.get(m.id);
      const view = new Uint8Array(s.ring, m.slot * m.slotBytes, m.slotBytes);
      s.xxh.update(view.subarray(0, m.length));
      const count = m.final ? Math.max(1, Math.ceil(m.length / m.chunkBytes)) : m.length / m.chunkBytes;
      const sealed = [];
      for (let f = 0; f < count; f++) {
        const chunk = view.subarray(f * m.chunkBytes, Math.min(m.length, (f + 1) * m.chunkBytes));
        sealed.push(secretstream.pushParts(s.stream, chunk, s.mac, m.final && f === count - 1 ? TAG_FINAL : TAG_MESSAGE));
      }
      // Copied back only once all are sealed: frames are longer than their chunks, so each would run into
      // the next chunk's plaintext; together they cover every plaintext byte.
      let out = 0;
      for (const parts of sealed) {
        for (const part of parts) {
          copyBytes(view, part, out);
          out += part.length;
        }
      }
      let digest;
      if (m.final) {
        digest = xxh64Hex(s.xxh);
        forget(m.id);
      }
      parentPort.postMessage({ id: m.id, slot: m.slot, sealed: out, digest });
    }
  } catch (error) {
    forget(m.id);
    parentPort.postMessage({ id: m.id, error: String((error && error.message) || error) });
  }
};
parentPort.on('message', (m) => (ready ? handle(m) : queue.push(m)));
Promise.all([sodium.ready, loadXxhash()]).then(([, api]) => {
  lib = sodium.libsodium;
  xxh = api;
  ready = true;
  for (const m of queue.splice(0)) handle(m);
});
`;
