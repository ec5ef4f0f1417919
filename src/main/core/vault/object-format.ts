import { SafehouseError } from '../../../shared/errors';
import type { ClassKeyPair, KeyClass } from './keys';
import { TAG_FINAL, TAG_MESSAGE, secretstreamSync, type StreamState } from './secretstream';
import { sodiumSync } from './sodium';

/**
 * The encrypted object format (docs/vault-format.md §Objects). Pure, synchronous byte logic; file I/O
 * lives in object-store.ts. All integers little-endian.
 *
 *   header  = magic "SAFEHOBJ" | version u8 = 1 | class u8 | recipient count u16 | object id (16)
 *             | secretstream header (24) | count × crypto_box_seal(file key) (80 each)
 *   mac     = BLAKE2b-256(header, key = kdf_derive(file key, id 1, "SHOBJECT"))        (32)
 *   meta    = u32 length L | secretstream message (TAG_MESSAGE, AD = mac) of the metadata JSON
 *   content = frames of exactly 65536 + 17 bytes (TAG_MESSAGE) … last frame 17..65553 bytes (TAG_FINAL)
 *
 * Why these choices:
 * - the id and class are inside the MAC'd header, and readers compare the id with the file name, so a
 *   header cannot be swapped onto another object's body, nor an object renamed to stand in for another;
 * - the MAC is the AD of EVERY stream message, so the whole stream is bound to this exact header;
 * - fixed-size content frames need no per-frame length (nothing unauthenticated to trust), and a reader
 *   can tell "a full frame that is not final" from "a short frame", so truncation, dropped, reordered,
 *   duplicated frames and trailing bytes all fail: secretstream's internal counter rejects out-of-order
 *   frames, TAG_FINAL must be present and must be the last byte.
 * - the file key never encrypts directly: MAC key and stream key are separate subkeys (domain separation).
 */

export const MAGIC = new TextEncoder().encode('SAFEHOBJ');
export const OBJECT_FORMAT_VERSION = 1;
export const CHUNK_SIZE = 64 * 1024;
export const ABYTES = 17; // crypto_secretstream_xchacha20poly1305_ABYTES
export const FRAME_SIZE = CHUNK_SIZE + ABYTES;
export const ID_BYTES = 16;
export const STREAM_HEADER_BYTES = 24;
export const SEALED_KEY_BYTES = 32 + 48; // file key + crypto_box_SEALBYTES
export const FIXED_HEADER_BYTES = 8 + 1 + 1 + 2 + ID_BYTES + STREAM_HEADER_BYTES; // 52
export const MAC_BYTES = 32;
export const MAX_RECIPIENTS = 64;
export const MAX_META_BYTES = 1024 * 1024;
export const SUBKEY_CONTEXT = 'SHOBJECT';
export const MAC_SUBKEY_ID = 1;
export const STREAM_SUBKEY_ID = 2;

export const CLASS_CODES: Record<KeyClass, number> = { master: 0, proxy: 1, identity: 2 };
const CLASS_BY_CODE: KeyClass[] = ['master', 'proxy', 'identity'];

export function integrity(detail: string): SafehouseError {
  return new SafehouseError('INTEGRITY', undefined, { cause: new Error(detail) });
}

export interface ParsedHeader {
  cls: KeyClass;
  id: string;
  streamHeader: Uint8Array;
  sealedKeys: Uint8Array[];
  /** Bytes covered by the MAC. */
  signed: Uint8Array;
  mac: Uint8Array;
  /** Total bytes of header + MAC; the meta frame starts here. */
  length: number;
}

/** From the first 12 bytes: total header length (incl. MAC). Validates magic, version, class, count. */
export function headerLength(prefix: Uint8Array): number {
  if (prefix.length < 12) throw integrity('short header');
  for (let i = 0; i < MAGIC.length; i++) if (prefix[i] !== MAGIC[i]) throw integrity('bad magic');
  if (prefix[8] !== OBJECT_FORMAT_VERSION) throw integrity('unknown version');
  if ((prefix[9] ?? 255) > 2) throw integrity('unknown class');
  const count = (prefix[10] ?? 0) | ((prefix[11] ?? 0) << 8);
  if (count < 1 || count > MAX_RECIPIENTS) throw integrity('bad recipient count');
  return FIXED_HEADER_BYTES + count * SEALED_KEY_BYTES + MAC_BYTES;
}

export function parseHeader(bytes: Uint8Array): ParsedHeader {
  const length = headerLength(bytes);
  if (bytes.length < length) throw integrity('short header');
  const count = (bytes[10] ?? 0) | ((bytes[11] ?? 0) << 8);
  const sealedKeys: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const at = FIXED_HEADER_BYTES + i * SEALED_KEY_BYTES;
    sealedKeys.push(bytes.subarray(at, at + SEALED_KEY_BYTES));
  }
  return {
    cls: CLASS_BY_CODE[bytes[9] ?? 0] ?? 'master',
    id: Buffer.from(bytes.subarray(12, 12 + ID_BYTES)).toString('hex'),
    streamHeader: bytes.subarray(12 + ID_BYTES, FIXED_HEADER_BYTES),
    sealedKeys,
    signed: bytes.subarray(0, length - MAC_BYTES),
    mac: bytes.subarray(length - MAC_BYTES, length),
    length,
  };
}

function deriveSubkeys(fileKey: Uint8Array): { macKey: Uint8Array; streamKey: Uint8Array } {
  const sodium = sodiumSync();
  return {
    macKey: sodium.crypto_kdf_derive_from_key(32, MAC_SUBKEY_ID, SUBKEY_CONTEXT, fileKey),
    streamKey: sodium.crypto_kdf_derive_from_key(32, STREAM_SUBKEY_ID, SUBKEY_CONTEXT, fileKey),
  };
}

function u32le(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n, true);
  return b;
}

/**
 * The header with magic, version, class, recipient count and object id filled in; the secretstream header
 * (offset 28) and the sealed file keys (offset 52 + 80·i) are left for the sealer.
 */
export function headerSkeleton(cls: KeyClass, idHex: string, recipientCount: number): Uint8Array {
  if (recipientCount < 1 || recipientCount > MAX_RECIPIENTS) throw new Error('bad recipient count');
  const header = new Uint8Array(FIXED_HEADER_BYTES + recipientCount * SEALED_KEY_BYTES);
  header.set(MAGIC, 0);
  header[8] = OBJECT_FORMAT_VERSION;
  header[9] = CLASS_CODES[cls];
  header[10] = recipientCount & 0xff;
  header[11] = recipientCount >> 8;
  const id = Buffer.from(idHex, 'hex');
  if (id.length !== ID_BYTES) throw new Error('bad object id');
  header.set(id, 12);
  return header;
}

/** Encrypting side. `prefix` = header ‖ MAC ‖ meta frame; then push() each content chunk in order. */
export class ObjectSealer {
  readonly prefix: Uint8Array;
  private readonly state: StreamState;
  private readonly mac: Uint8Array;
  private finished = false;

  constructor(cls: KeyClass, idHex: string, recipients: Uint8Array[], meta: Record<string, unknown>) {
    const sodium = sodiumSync();
    const header = headerSkeleton(cls, idHex, recipients.length);
    const fileKey = sodium.randombytes_buf(32);
    const { macKey, streamKey } = deriveSubkeys(fileKey);
    const push = secretstreamSync().initPush(streamKey);
    this.state = push.state;
    header.set(push.header, 12 + ID_BYTES);
    recipients.forEach((pk, i) => header.set(sodium.crypto_box_seal(fileKey, pk), FIXED_HEADER_BYTES + i * SEALED_KEY_BYTES));
    this.mac = sodium.crypto_generichash(MAC_BYTES, header, macKey);
    sodium.memzero(fileKey);
    sodium.memzero(macKey);
    sodium.memzero(streamKey);

    const metaPlain = new TextEncoder().encode(JSON.stringify(meta));
    if (metaPlain.length > MAX_META_BYTES) throw new Error('object metadata too large');
    const metaCt = secretstreamSync().push(this.state, metaPlain, this.mac, TAG_MESSAGE);
    sodium.memzero(metaPlain);
    this.prefix = Buffer.concat([header, this.mac, u32le(metaCt.length), metaCt]);
  }

  /** A non-final chunk must be exactly CHUNK_SIZE; the final one 0..CHUNK_SIZE. */
  push(chunk: Uint8Array, final: boolean): Uint8Array {
    const stream = secretstreamSync();
    if (this.finished) throw new Error('object already finished');
    if (chunk.length > CHUNK_SIZE || (!final && chunk.length !== CHUNK_SIZE)) throw new Error('bad chunk size');
    const frame = stream.push(this.state, chunk, this.mac, final ? TAG_FINAL : TAG_MESSAGE);
    if (final) {
      this.finished = true;
      stream.wipe(this.state);
    }
    return frame;
  }
}

/**
 * Opens a header with one key pair of its class: unseals the file key, checks the header MAC, and returns
 * the stream subkey (the caller must memzero it) and the MAC (every stream message's AD). Throws INTEGRITY
 * if no sealed key opens with `keyPair` or the MAC does not match.
 */
export function unsealStreamKey(header: ParsedHeader, keyPair: ClassKeyPair): { streamKey: Uint8Array; mac: Uint8Array } {
  const sodium = sodiumSync();
  let fileKey: Uint8Array | null = null;
  for (const sealed of header.sealedKeys) {
    try {
      fileKey = sodium.crypto_box_seal_open(sealed, keyPair.publicKey, keyPair.privateKey);
      break;
    } catch {
      // not sealed to us; try the next recipient slot
    }
  }
  if (!fileKey || fileKey.length !== 32) throw integrity('no recipient slot opens with this key');
  const { macKey, streamKey } = deriveSubkeys(fileKey);
  sodium.memzero(fileKey);
  const expected = sodium.crypto_generichash(MAC_BYTES, header.signed, macKey);
  sodium.memzero(macKey);
  if (!sodium.memcmp(expected, header.mac)) {
    sodium.memzero(streamKey);
    throw integrity('header MAC mismatch');
  }
  return { streamKey, mac: expected };
}

/** Decrypting side: open the header with one key pair of the object's class, then feed frames in order. */
export class ObjectOpener {
  private readonly state: StreamState;
  private readonly mac: Uint8Array;
  private metaDone = false;
  private finished = false;

  /** Throws INTEGRITY if no sealed key opens with `keyPair` or the MAC does not match. */
  constructor(header: ParsedHeader, keyPair: ClassKeyPair) {
    const sodium = sodiumSync();
    const { streamKey, mac } = unsealStreamKey(header, keyPair);
    this.mac = mac;
    this.state = secretstreamSync().initPull(header.streamHeader, streamKey);
    sodium.memzero(streamKey);
  }

  /** Length of the metadata frame from its 4-byte prefix, bounded. */
  static metaLength(prefix: Uint8Array): number {
    if (prefix.length < 4) throw integrity('missing metadata');
    const n = new DataView(prefix.buffer, prefix.byteOffset, 4).getUint32(0, true);
    if (n < ABYTES || n > MAX_META_BYTES + ABYTES) throw integrity('bad metadata length');
    return n;
  }

  openMeta(frame: Uint8Array): Record<string, unknown> {
    const sodium = sodiumSync();
    if (this.metaDone) throw new Error('metadata already read');
    const r = secretstreamSync().pull(this.state, frame, this.mac);
    if (!r || r.tag !== TAG_MESSAGE) throw integrity('metadata frame');
    this.metaDone = true;
    let meta: unknown;
    try {
      meta = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(r.message));
    } catch {
      throw integrity('metadata is not JSON');
    }
    sodium.memzero(r.message);
    if (meta === null || typeof meta !== 'object' || Array.isArray(meta)) throw integrity('metadata is not an object');
    return meta as Record<string, unknown>;
  }

  /**
   * Opens one content frame. `remainingAfter` = bytes in the object after this frame: a final frame must
   * have none after it, a non-final frame must be full-size.
   */
  openChunk(frame: Uint8Array, remainingAfter: number): { data: Uint8Array; final: boolean } {
    const data = Buffer.alloc(Math.max(0, Math.min(frame.length, FRAME_SIZE) - ABYTES)); // checked below
    return { data, final: this.openChunkInto(frame, remainingAfter, data) };
  }

  /**
   * openChunk() into memory the caller owns: the plaintext (frame.length − ABYTES bytes) goes to the start
   * of `out`, which is left untouched when the frame fails. Returns whether this was the final frame.
   */
  openChunkInto(frame: Uint8Array, remainingAfter: number, out: Uint8Array): boolean {
    const stream = secretstreamSync();
    if (!this.metaDone || this.finished) throw integrity('frame out of place');
    if (frame.length < ABYTES || frame.length > FRAME_SIZE) throw integrity('bad frame length');
    if (out.length < frame.length - ABYTES) throw new Error('openChunkInto: output too small');
    const tag = stream.pullInto(this.state, out, frame, this.mac);
    if (tag < 0) throw integrity('frame failed authentication');
    const final = tag === TAG_FINAL;
    const ok = final ? remainingAfter === 0 : tag === TAG_MESSAGE && frame.length === FRAME_SIZE;
    if (!ok) {
      out.fill(0, 0, frame.length - ABYTES);
      throw integrity(final ? 'bytes after the final frame' : 'short or unexpected frame');
    }
    if (final) {
      this.finished = true;
      stream.wipe(this.state);
    }
    return final;
  }

  get done(): boolean {
    return this.finished;
  }
}

/** Plaintext size implied by the ciphertext length after the meta frame (unauthenticated until read). */
export function plainSizeFromContentBytes(contentBytes: number): number | undefined {
  if (contentBytes < ABYTES) return undefined;
  const frames = Math.ceil(contentBytes / FRAME_SIZE);
  const last = contentBytes - (frames - 1) * FRAME_SIZE;
  if (last < ABYTES) return undefined;
  return contentBytes - frames * ABYTES;
}

/** Seals a small in-memory value in the object format (random id, empty metadata). */
export function sealBytes(cls: KeyClass, recipients: Uint8Array[], plaintext: Uint8Array): Uint8Array {
  const id = Buffer.from(sodiumSync().randombytes_buf(ID_BYTES)).toString('hex');
  const sealer = new ObjectSealer(cls, id, recipients, {});
  const parts: Uint8Array[] = [sealer.prefix];
  let at = 0;
  while (plaintext.length - at > CHUNK_SIZE) {
    parts.push(sealer.push(plaintext.subarray(at, at + CHUNK_SIZE), false));
    at += CHUNK_SIZE;
  }
  parts.push(sealer.push(plaintext.subarray(at), true));
  return Buffer.concat(parts);
}

/** Class of a sealed blob or object header, without opening it. */
export function peekClass(bytes: Uint8Array): KeyClass {
  headerLength(bytes);
  return CLASS_BY_CODE[bytes[9] ?? 0] ?? 'master';
}

/** Opens a whole in-memory object/value. All-or-nothing: plaintext pieces are wiped on any failure. */
export function openBytes(blob: Uint8Array, keyPairFor: (cls: KeyClass) => ClassKeyPair): { header: ParsedHeader; meta: Record<string, unknown>; data: Buffer } {
  const header = parseHeader(blob);
  const opener = new ObjectOpener(header, keyPairFor(header.cls));
  let at = header.length;
  const metaLen = ObjectOpener.metaLength(blob.subarray(at, at + 4));
  at += 4;
  if (blob.length < at + metaLen) throw integrity('truncated metadata');
  const meta = opener.openMeta(blob.subarray(at, at + metaLen));
  at += metaLen;
  const pieces: Uint8Array[] = [];
  try {
    while (!opener.done) {
      const n = Math.min(FRAME_SIZE, blob.length - at);
      if (n < ABYTES) throw integrity('missing final frame');
      pieces.push(opener.openChunk(blob.subarray(at, at + n), blob.length - at - n).data);
      at += n;
    }
    return { header, meta, data: Buffer.concat(pieces) };
  } finally {
    for (const p of pieces) sodiumSync().memzero(p);
  }
}
