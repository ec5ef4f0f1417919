/**
 * Streaming search for "runs" (maximal stretches of bytes from one class, e.g. printable text or digits and
 * signs) that contain a decimal number (a digit, a dot and at least `decimals` more digits), over a byte
 * stream delivered in chunks.
 *
 * Why not a byte loop or a regex: a per-byte JavaScript loop runs at ~150 MB/s, and on compressed video a
 * third of all bytes are "printable", so even a regex for the runs themselves is slow. The decimal is what
 * is rare: its dot is found by Buffer#indexOf (memchr, ~5 GB/s here, against ~2.5 GB/s for a regex over the
 * latin1 text, which also had to be decoded first), the digits around it are checked in place, and only
 * the neighbourhood of a hit is walked to recover the whole run. Guarantees:
 * - every maximal run holding a decimal is handed to onRun whole (runs are never cut inside a chunk);
 * - a run open at the end of a chunk is carried into the next one, so a value split across chunks is seen
 *   whole; a carried run longer than maxRun is handed over and only its last `overlap` characters kept,
 *   so memory stays bounded without losing a value that straddles that cut.
 * Runs that touch a chunk boundary are handed to onRun without the decimal pre-check; onRun re-checks.
 */
export interface RunFinderOptions {
  /** Body of a regex character class (without brackets) listing the member bytes, latin1; must hold 0-9 and the dot. */
  memberClass: string;
  /** A run is reported only if it holds a digit, a dot and at least this many digits after the dot. */
  decimals: number;
  minRun: number;
  maxRun: number;
  overlap: number;
  /** `end` = absolute stream offset just after the run. */
  onRun(text: string, end: number): void;
}

export interface RunFinder {
  push(chunk: Buffer): void;
  finish(): void;
}

const DOT = 0x2e;
const isDigit = (b: number | undefined): boolean => b !== undefined && b >= 0x30 && b <= 0x39;

export function createRunFinder(opts: RunFinderOptions): RunFinder {
  const member = new Uint8Array(256);
  const one = new RegExp(`[${opts.memberClass}]`);
  for (let b = 0; b < 256; b += 1) member[b] = one.test(String.fromCharCode(b)) ? 1 : 0;
  if (!member[DOT] || !member[0x30]) throw new Error('a run finder for decimals needs digits and the dot as members');
  let pending = ''; // a run still open at the end of the previous chunk
  let pos = 0; // absolute offset of the start of the current chunk

  const carry = (text: string, end: number): void => {
    pending += text;
    if (pending.length > opts.maxRun) {
      opts.onRun(pending, end);
      pending = pending.slice(-opts.overlap);
    }
  };
  /** A decimal's dot at `dot`: a digit right before it and `decimals` digits after, all before `limit`. */
  const decimalAt = (chunk: Buffer, dot: number, limit: number): boolean => {
    if (!isDigit(chunk[dot - 1]) || dot + opts.decimals >= limit) return false;
    for (let i = 1; i <= opts.decimals; i += 1) if (!isDigit(chunk[dot + i])) return false;
    return true;
  };

  return {
    push(chunk) {
      const n = chunk.length;
      if (n === 0) return;
      let headEnd = 0; // the first byte that is not a member
      while (headEnd < n && member[chunk[headEnd]!] === 1) headEnd += 1;
      if (headEnd === n) {
        carry(chunk.toString('latin1', 0, n), pos + n); // the whole chunk continues (or starts) a run
        pos += n;
        return;
      }
      if (pending || headEnd >= opts.minRun) opts.onRun(pending + chunk.toString('latin1', 0, headEnd), pos + headEnd);
      pending = '';
      // Start of the run open at the end of this chunk (chunk[headEnd] is not a member, so tail > headEnd).
      let tail = n;
      while (tail > headEnd && member[chunk[tail - 1]!] === 1) tail -= 1;
      for (let dot = chunk.indexOf(DOT, headEnd + 1); dot !== -1 && dot < tail; dot = chunk.indexOf(DOT, dot + 1)) {
        if (!decimalAt(chunk, dot, tail)) continue;
        let a = dot - 1;
        while (a > headEnd && member[chunk[a - 1]!] === 1) a -= 1;
        let b = dot + 1;
        while (b < tail && member[chunk[b]!] === 1) b += 1;
        if (b - a >= opts.minRun) opts.onRun(chunk.toString('latin1', a, b), pos + b);
        dot = b; // the rest of this run is covered; go on after it
      }
      if (tail < n) carry(chunk.toString('latin1', tail, n), pos + n);
      pos += n;
    },
    finish() {
      if (pending) opts.onRun(pending, pos);
      pending = '';
    },
  };
}
