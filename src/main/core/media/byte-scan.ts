import { createReadStream } from 'node:fs';
import { findCoordinates, type CoordinateHit } from './coords-text';
import { createRunFinder } from './text-runs';

// Printable ASCII, tab and ° in latin1 (DMS notation): the bytes a coordinate written as text is made of.
const PRINTABLE_CLASS = String.raw`\t\x20-\x7e\xb0`;
// A run is only worth the coordinate regexes if it holds a decimal with 3+ places (as before the rewrite).
const DECIMALS = 3;
const ANCHOR = /\d\.\d{3}/;

const MIN_RUN = 10; // shortest text that can hold a coordinate worth reporting ("+1.2345+2.3456")
const MAX_RUN = 4096;
const MAX_HITS = 64;
const TEXT_PIECE = 64 * 1024;

export interface CoordinateByteScanner {
  push(chunk: Buffer): void;
  finish(): CoordinateHit[];
}

/**
 * Streaming scan of raw bytes (the whole source file, including H.264 SEI user data, iXML chunks, private
 * boxes) for coordinates written as text. Only printable runs holding a decimal number are handed to the
 * regexes; finding them is a memchr for the dot (text-runs.ts), so 2 GB of compressed video costs one cheap
 * pass. Can be fed from the hashing read instead of a second read.
 */
export function createCoordinateByteScanner(): CoordinateByteScanner {
  const hits = new Map<string, CoordinateHit>();
  const finder = createRunFinder({
    memberClass: PRINTABLE_CLASS,
    decimals: DECIMALS,
    minRun: MIN_RUN,
    maxRun: MAX_RUN,
    overlap: 64, // keep the tail of an endless run so a coordinate straddling the cut is still seen whole
    onRun(text) {
      if (text.length >= MIN_RUN && hits.size < MAX_HITS && ANCHOR.test(text)) {
        for (const h of findCoordinates(text)) hits.set(h.raw, h);
      }
    },
  });
  return {
    push(chunk) {
      // 64 KiB at a time: a chunk that is all text (a sidecar, a text-heavy file) is carried as a string,
      // and a longer string goes to V8's large-object space, which only a full GC frees.
      for (let at = 0; at < chunk.length; at += TEXT_PIECE) finder.push(chunk.subarray(at, at + TEXT_PIECE));
    },
    finish() {
      finder.finish();
      return [...hits.values()];
    },
  };
}

/** Reads a file (read-only, streaming) through the coordinate scanner. */
export async function scanFileBytes(path: string): Promise<CoordinateHit[]> {
  const scanner = createCoordinateByteScanner();
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 })) scanner.push(chunk as Buffer);
  return scanner.finish();
}
