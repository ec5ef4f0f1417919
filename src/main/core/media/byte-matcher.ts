/** ASCII case folding; every other byte maps to itself. */
const FOLD = new Uint8Array(256);
for (let b = 0; b < 256; b += 1) FOLD[b] = b >= 0x41 && b <= 0x5a ? b + 32 : b;

export interface ByteMatch {
  needle: number;
  /** Absolute offset of the first byte of the match in the whole stream. */
  offset: number;
}

/**
 * Streaming multi-needle search (Aho–Corasick compiled to a dense DFA over case-folded bytes). The DFA state
 * carries across push() calls, so needles split between chunks are found; one table lookup per byte keeps a
 * multi-GB stream cheap and memory is bounded by the needle set, not the stream.
 */
export class StreamingMatcher {
  private readonly delta: Int32Array;
  private readonly out: Int32Array[]; // needle indexes ending at each state
  private readonly lengths: number[];
  private state = 0;
  private pos = 0;
  readonly matches: ByteMatch[] = [];

  constructor(needles: readonly Buffer[], private readonly maxMatches = 100) {
    const goto: Array<Map<number, number>> = [new Map()];
    const outs: number[][] = [[]];
    this.lengths = needles.map((n) => n.length);
    needles.forEach((needle, idx) => {
      if (needle.length === 0) return;
      let s = 0;
      for (const raw of needle) {
        const b = FOLD[raw] as number;
        let next = goto[s]?.get(b);
        if (next === undefined) {
          next = goto.length;
          goto.push(new Map());
          outs.push([]);
          goto[s]?.set(b, next);
        }
        s = next;
      }
      outs[s]?.push(idx);
    });
    const n = goto.length;
    const delta = new Int32Array(n * 256);
    const fail = new Int32Array(n);
    const queue: number[] = [];
    for (let b = 0; b < 256; b += 1) {
      const t = goto[0]?.get(b) ?? 0;
      delta[b] = t;
      if (t !== 0) queue.push(t);
    }
    for (let qi = 0; qi < queue.length; qi += 1) {
      const s = queue[qi] as number;
      outs[s]?.push(...(outs[fail[s] as number] ?? []));
      for (let b = 0; b < 256; b += 1) {
        const t = goto[s]?.get(b);
        if (t !== undefined) {
          fail[t] = delta[(fail[s] as number) * 256 + b] as number;
          delta[s * 256 + b] = t;
          queue.push(t);
        } else {
          delta[s * 256 + b] = delta[(fail[s] as number) * 256 + b] as number;
        }
      }
    }
    this.delta = delta;
    this.out = outs.map((o) => Int32Array.from(o));
  }

  push(chunk: Buffer): void {
    const { delta, out } = this;
    let s = this.state;
    for (let i = 0; i < chunk.length; i += 1) {
      s = delta[s * 256 + (FOLD[chunk[i] as number] as number)] as number;
      const hits = out[s] as Int32Array;
      if (hits.length > 0 && this.matches.length < this.maxMatches) {
        for (const needle of hits) this.matches.push({ needle, offset: this.pos + i + 1 - (this.lengths[needle] as number) });
      }
    }
    this.state = s;
    this.pos += chunk.length;
  }
}
