/**
 * Streaming search for "runs" (maximal stretches of bytes from one class, e.g. printable text or digits and
 * signs) that contain an anchor pattern (e.g. `\d\.\d{3}`), over a byte stream delivered in chunks.
 *
 * Why not a byte loop: a per-byte JavaScript loop runs at ~150 MB/s, and on compressed video a third of all
 * bytes are "printable", so even a regex for the runs themselves is slow. The anchor is what is rare: V8's
 * native regex engine finds it in the latin1 view of a chunk at ~1 GB/s, and only the neighbourhood of a hit
 * is walked character by character to recover the whole run. Same guarantees as the loop it replaces:
 * - every maximal run holding an anchor is handed to onRun whole (runs are never cut inside a chunk);
 * - a run open at the end of a chunk is carried into the next one, so a value split across chunks is seen
 *   whole; a carried run longer than maxRun is handed over and only its last `overlap` characters kept,
 *   so memory stays bounded without losing a value that straddles that cut.
 * Runs that touch a chunk boundary are handed to onRun without the anchor pre-check; onRun re-checks.
 */
export interface RunFinderOptions {
  /** Body of a regex character class (without brackets) listing the member bytes, latin1. */
  memberClass: string;
  /** Rare pattern made only of member characters; a run is reported only if it contains it. */
  anchor: RegExp;
  minRun: number;
  maxRun: number;
  overlap: number;
  /** `end` = absolute stream offset just after the run. */
  onRun(text: string, end: number): void;
}

export interface RunFinder {
  /** `text` may pass the chunk's latin1 decoding when the caller already has it. */
  push(chunk: Buffer, text?: string): void;
  finish(): void;
}

export function createRunFinder(opts: RunFinderOptions): RunFinder {
  const member = new Uint8Array(256);
  const one = new RegExp(`[${opts.memberClass}]`);
  for (let b = 0; b < 256; b += 1) member[b] = one.test(String.fromCharCode(b)) ? 1 : 0;
  const nonMember = new RegExp(`[^${opts.memberClass}]`, 'g');
  const anchor = new RegExp(opts.anchor.source, `${opts.anchor.flags.replace(/[gy]/g, '')}g`);
  let pending = ''; // a run still open at the end of the previous chunk
  let pos = 0; // absolute offset of the start of the current chunk

  const carry = (text: string, end: number): void => {
    pending += text;
    if (pending.length > opts.maxRun) {
      opts.onRun(pending, end);
      pending = pending.slice(-opts.overlap);
    }
  };

  return {
    push(chunk, text) {
      const s = text ?? chunk.toString('latin1');
      const n = s.length;
      if (n === 0) return;
      nonMember.lastIndex = 0;
      const first = nonMember.exec(s);
      if (!first) {
        carry(s, pos + n); // the whole chunk continues (or starts) a run
        pos += n;
        return;
      }
      const headEnd = first.index;
      if (pending || headEnd >= opts.minRun) opts.onRun(pending + s.slice(0, headEnd), pos + headEnd);
      pending = '';
      // Start of the run open at the end of this chunk (s[headEnd] is not a member, so tail > headEnd).
      let tail = n;
      while (tail > headEnd && member[s.charCodeAt(tail - 1)] === 1) tail -= 1;
      anchor.lastIndex = headEnd;
      for (let m = anchor.exec(s); m !== null && m.index < tail; m = anchor.exec(s)) {
        let a = m.index;
        while (a > headEnd && member[s.charCodeAt(a - 1)] === 1) a -= 1;
        let b = m.index + Math.max(1, m[0].length);
        while (b < tail && member[s.charCodeAt(b)] === 1) b += 1;
        if (b - a >= opts.minRun) opts.onRun(s.slice(a, b), pos + b);
        anchor.lastIndex = b;
      }
      if (tail < n) carry(s.slice(tail), pos + n);
      pos += n;
    },
    finish() {
      if (pending) opts.onRun(pending, pos);
      pending = '';
    },
  };
}
