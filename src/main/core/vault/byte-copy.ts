/**
 * Copies `source` into `target` at `offset` as one memcpy.
 *
 * Why not `target.set(source, offset)`: when either side lives in a SharedArrayBuffer (the crypto worker's
 * rings), V8 copies with a race-tolerant "relaxed" memmove that moves one byte at a time unless both
 * addresses are 8-byte aligned. The ring copies of an ingest rarely are (pipe reads come in odd sizes,
 * sealed frames are 17 bytes longer than their chunks, objects start after a header of any length): that
 * loop ran at ~1.5 GB/s here against ~9 GB/s for memcpy, and cost more CPU than BLAKE2b of the whole card.
 * Buffer#fill with a buffer value exactly as long as the range is one memcpy in Node's C++. Each ring slot
 * has one writer at a time, handed over by postMessage, so the copy needs no atomicity.
 *
 * Self-contained (the Buffer global only): the crypto worker evaluates this function's source text too.
 */
export function copyBytes(target: Uint8Array, source: Uint8Array, offset: number): void {
  if (source.length === 0) return; // Buffer#fill refuses an empty value
  if (offset < 0 || offset + source.length > target.length) throw new RangeError('copyBytes: the source does not fit at that offset');
  Buffer.from(target.buffer, target.byteOffset, target.length).fill(source, offset, offset + source.length);
}
