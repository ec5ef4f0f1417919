import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StreamingMatcher } from '../../../src/main/core/media/byte-matcher';
import { createCoordinateByteScanner } from '../../../src/main/core/media/byte-scan';
import { createRunFinder } from '../../../src/main/core/media/text-runs';

// The needle search and the coordinate scan run V8 regexes over latin1 text with a carry between chunks;
// whatever the chunking, they must report exactly what a naive search of the whole stream reports.
const fold = (b: number) => (b >= 0x41 && b <= 0x5a ? b + 32 : b);

function naive(hay: Uint8Array, needles: Buffer[]): string[] {
  const out: string[] = [];
  needles.forEach((needle, idx) => {
    if (needle.length === 0) return;
    for (let at = 0; at + needle.length <= hay.length; at += 1) {
      let equal = true;
      for (let i = 0; i < needle.length && equal; i += 1) equal = fold(hay[at + i]!) === fold(needle[i]!);
      if (equal) out.push(`${idx}@${at}`);
    }
  });
  return out.sort();
}

function chunked(data: Uint8Array, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (data.length + 1)))].sort((a, b) => a - b);
  const parts: Buffer[] = [];
  let from = 0;
  for (const p of [...points, data.length]) {
    parts.push(Buffer.from(data.subarray(from, p)));
    from = p;
  }
  return parts;
}

describe('regex-driven streaming scans', () => {
  it('StreamingMatcher finds every (needle, offset) a naive search finds, for any chunking', () => {
    const needles = [Buffer.from('LaTitude'), Buffer.from('51.5074'), Buffer.from([0, 0, 0, 0x33, 0, 0, 0, 1]), Buffer.from([0xb0, 0x41, 0x42]), Buffer.from('itu')];
    const alphabet = fc.constantFrom(...[0, 0x33, 0x31, 0x35, 0x2e, 0x30, 0x37, 0x34, 0x6c, 0x61, 0x54, 0x49, 0x74, 0x75, 0x64, 0x65, 0x01, 0xb0, 0x41, 0x42, 0xc0]);
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 400, size: 'max' }), fc.array(fc.nat(), { maxLength: 12 }), (bytes, cuts) => {
        const hay = Uint8Array.from(bytes);
        const m = new StreamingMatcher(needles, 10_000);
        for (const part of chunked(hay, cuts)) m.push(part);
        expect(m.matches.map((x) => `${x.needle}@${x.offset}`).sort()).toEqual(naive(hay, needles));
      }),
      { numRuns: 300 },
    );
  });

  it('the run finder hands over every maximal run holding a decimal, whole, for any chunking', () => {
    // Members: digits, signs and the dot (the proof's numeric runs). Naive reference: split the whole stream
    // into maximal member runs and keep those long enough that hold a digit, a dot and two more digits.
    const isMember = (b: number) => (b >= 0x30 && b <= 0x39) || b === 0x2b || b === 0x2d || b === 0x2e;
    const expectedRuns = (bytes: Uint8Array): string[] =>
      [...Buffer.from(bytes).toString('latin1').matchAll(/[0-9+\-.]+/g)]
        .filter(([run]) => run.length >= 6 && /\d\.\d\d/.test(run))
        .map((m) => `${m[0]}@${m.index + m[0].length}`);
    // Pieces rather than single bytes, so decimals, runs that touch and near-misses are common.
    const piece = fc.constantFrom('1', '5', '0', '.', '+', '-', '12.34', '12.345', '+40.4168', '7.5', '3..14', 'A', '\x00', '\xff', ' ');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 80, size: 'max' }), fc.array(fc.nat(), { maxLength: 12 }), (pieces, cuts) => {
        const hay = Uint8Array.from(Buffer.from(pieces.join(''), 'latin1'));
        const reported: Array<{ text: string; end: number }> = [];
        const finder = createRunFinder({ memberClass: String.raw`0-9+\-.`, decimals: 2, minRun: 6, maxRun: 4096, overlap: 64, onRun: (text, end) => reported.push({ text, end }) });
        for (const part of chunked(hay, cuts)) finder.push(part);
        finder.finish();
        for (const { text, end } of reported) {
          expect([...Buffer.from(text, 'latin1')].every(isMember)).toBe(true);
          expect(Buffer.from(hay.subarray(end - text.length, end)).toString('latin1')).toBe(text); // `end` is where it ends
        }
        const texts = reported.map((r) => `${r.text}@${r.end}`);
        for (const run of expectedRuns(hay)) expect(texts).toContain(run);
      }),
      {
        numRuns: 500,
        // Two runs one byte apart, a decimal right after a chunk's first non-member, a run cut by a chunk edge.
        examples: [[['A', '12.345', 'A', '12.345', 'A'], []], [['A', '7.5', '5', '1', '0', 'A'], []], [['A', '12.345', '-', '+', '12.34', '5', '\x00'], [3]]],
      },
    );
  });

  it('the coordinate scanner finds the same coordinates whether fed whole or cut anywhere', () => {
    const text = Buffer.from('\x00\x01noise +48.8584+002.2945/ \x02 lat: 51.50740 \xff GPS(2.29450,48.85840) x\x00', 'latin1');
    const whole = createCoordinateByteScanner();
    whole.push(text);
    const expected = whole.finish().map((h) => h.raw).sort();
    expect(expected.length).toBeGreaterThan(0);
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 8 }), (cuts) => {
        const s = createCoordinateByteScanner();
        for (const part of chunked(text, cuts)) s.push(part);
        expect(s.finish().map((h) => h.raw).sort()).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});
