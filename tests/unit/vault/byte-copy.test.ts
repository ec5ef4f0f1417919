import { describe, expect, it } from 'vitest';
import { copyBytes } from '../../../src/main/core/vault/byte-copy';

// copyBytes replaces TypedArray#set for the crypto rings (SharedArrayBuffer), where V8 copies one byte at a
// time unless both ends are 8-byte aligned: it must give exactly what set() gives, at every alignment.
describe('copyBytes', () => {
  const sharedView = (length: number, offset: number) => new Uint8Array(new SharedArrayBuffer(length + offset + 16), offset, length);

  it('copies exactly like set() at every alignment of source and target, into and out of shared memory', () => {
    for (let targetOffset = 0; targetOffset < 9; targetOffset += 1) {
      for (let sourceOffset = 0; sourceOffset < 9; sourceOffset += 1) {
        const source = sharedView(1000, sourceOffset);
        source.forEach((_, i) => (source[i] = (i * 7 + sourceOffset) & 0xff));
        const into = sharedView(1100, targetOffset).fill(0xaa);
        const expected = new Uint8Array(1100).fill(0xaa);
        expected.set(source, targetOffset + 37);
        copyBytes(into, source, targetOffset + 37);
        expect(Buffer.from(into).equals(Buffer.from(expected)), `target +${targetOffset}, source +${sourceOffset}`).toBe(true);
        const out = new Uint8Array(1000);
        copyBytes(out, into.subarray(targetOffset + 37, targetOffset + 37 + 1000), 0);
        expect(Buffer.from(out).equals(Buffer.from(source))).toBe(true);
      }
    }
  });

  it('does nothing for an empty source and refuses one that does not fit, leaving the target untouched', () => {
    const target = new Uint8Array(8).fill(1);
    copyBytes(target, new Uint8Array(0), 8);
    expect(Array.from(target)).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
    expect(() => copyBytes(target, new Uint8Array(4), 5)).toThrow(RangeError);
    expect(() => copyBytes(target, new Uint8Array(1), -1)).toThrow(RangeError);
    expect(Array.from(target)).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
  });
});
