import { createReadStream } from 'node:fs';
import { findCoordinates, type CoordinateHit } from './coords-text';

const PRINTABLE = new Uint8Array(256);
for (let b = 0x20; b < 0x7f; b += 1) PRINTABLE[b] = 1;
PRINTABLE[0x09] = 1;
PRINTABLE[0xb0] = 1; // ° in latin1 (DMS notation)

const MIN_RUN = 10; // shortest text that can hold a coordinate worth reporting ("+1.2345+2.3456")
const MAX_RUN = 4096;
const MAX_HITS = 64;

export interface CoordinateByteScanner {
  push(chunk: Buffer): void;
  finish(): CoordinateHit[];
}

/**
 * Streaming scan of raw bytes (the whole source file, including H.264 SEI user data, iXML chunks, private
 * boxes) for coordinates written as text. Only printable runs are handed to the regexes, so 2 GB of
 * compressed video costs one cheap pass. Can be fed from the hashing read instead of a second read.
 */
export function createCoordinateByteScanner(): CoordinateByteScanner {
  const hits = new Map<string, CoordinateHit>();
  let carry = ''; // a printable run still open at the end of the previous chunk
  const handle = (text: string) => {
    if (text.length >= MIN_RUN && hits.size < MAX_HITS && /\d\.\d{3}/.test(text)) {
      for (const h of findCoordinates(text)) hits.set(h.raw, h);
    }
  };
  return {
    push(chunk: Buffer) {
      let start = carry ? 0 : -1;
      for (let i = 0; i < chunk.length; i += 1) {
        if (PRINTABLE[chunk[i] as number] === 1) {
          if (start < 0) start = i;
        } else if (start >= 0) {
          if (carry || i - start >= MIN_RUN) handle(carry + chunk.toString('latin1', start, i));
          carry = '';
          start = -1;
        }
      }
      if (start >= 0) {
        carry += chunk.toString('latin1', start);
        // Keep the tail of an endless run so a coordinate straddling the cut is still seen whole.
        if (carry.length > MAX_RUN) {
          handle(carry);
          carry = carry.slice(-64);
        }
      }
    },
    finish() {
      handle(carry);
      carry = '';
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
