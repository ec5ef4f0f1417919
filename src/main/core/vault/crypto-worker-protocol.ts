/**
 * Messages between crypto-worker.ts (the caller's side: lanes, rings, jobs) and crypto-worker-thread.ts (the
 * worker). Ring slots hold bytes; only offsets and lengths travel in messages, plus keys that the worker
 * wipes on arrival ('read') and public keys ('seal-open'). A read's plaintext travels in transferred
 * ArrayBuffers (moved between the threads, never copied).
 */
export type WorkerJob =
  /** BLAKE2b-256 of a source: init, then update per ring slot (or a transferred copy in `data`), then final. */
  | { op: 'init'; id: number; ring: SharedArrayBuffer }
  | { op: 'update'; id: number; slot: number; slotBytes: number; length: number }
  | { op: 'update'; id: number; slot: -1; data: Uint8Array }
  | { op: 'final'; id: number }
  /**
   * Reading an object: this thread opens `file`, reads the content frames in [start, size), `readFrames`
   * at a time, and decrypts every one, `batchFrames` at a time. 'digest' (verification): xxh64 of the
   * plaintext, only the digest comes back. 'plaintext' (streamObject): each batch's plaintext comes back in
   * a transferred buffer (at most `depth` out at once); 'give' leaves room for one more, handing the
   * buffer back to be filled again or, without one, leaving it with the caller.
   */
  | { op: 'read'; id: number; file: string; start: number; size: number; readFrames: number; batchFrames: number; depth: number; streamHeader: Uint8Array; key: Uint8Array; ad: Uint8Array; meta: Uint8Array; mode: 'digest' | 'plaintext' }
  | { op: 'give'; id: number; buffer?: ArrayBuffer }
  /** Sealing: the worker draws the file key; plaintext in a slot comes back as ciphertext frames in place. */
  | { op: 'seal-open'; id: number; ring: SharedArrayBuffer; header: Uint8Array; recipients: Uint8Array[]; meta: Uint8Array }
  | { op: 'seal'; id: number; slot: number | undefined; slotBytes: number; length: number; final: boolean; chunkBytes: number; abytes: number }
  /** Forget a job (error paths), wiping its stream state. */
  | { op: 'drop'; id: number };

export interface WorkerReply {
  id: number;
  slot?: number;
  acked?: number;
  digest?: string;
  error?: string;
  prefix?: Uint8Array;
  sealed?: number;
  /** A batch of a read: 'plaintext' mode transfers its plaintext in `buffer` (`plain` bytes at its start). */
  plain?: number;
  buffer?: ArrayBuffer;
  /** With `error`: 'io' for a file that could not be read (errno in `errno`), else the object is damaged. */
  errorKind?: 'io' | 'integrity';
  errno?: string;
}
