/**
 * Messages between crypto-worker.ts (the caller's side: lanes, rings, jobs) and crypto-worker-thread.ts (the
 * worker). Ring slots hold bytes; only offsets and lengths travel in messages, plus keys that the worker
 * wipes on arrival ('open') and public keys ('seal-open').
 */
export type WorkerJob =
  /** BLAKE2b-256 of a source: init, then update per ring slot (or a transferred copy in `data`), then final. */
  | { op: 'init'; id: number; ring: SharedArrayBuffer }
  | { op: 'update'; id: number; slot: number; slotBytes: number; length: number }
  | { op: 'update'; id: number; slot: -1; data: Uint8Array }
  | { op: 'final'; id: number }
  /**
   * Reading an object: decrypt every frame. 'digest' (verification): xxh64 of the plaintext, only the digest
   * comes back. 'plaintext' (streamObject): each batch's plaintext is written back at the start of its slot.
   */
  | { op: 'open'; id: number; ring: SharedArrayBuffer; streamHeader: Uint8Array; key: Uint8Array; ad: Uint8Array; meta: Uint8Array; mode: 'digest' | 'plaintext' }
  | { op: 'frames'; id: number; slot: number; slotBytes: number; length: number; after: number; frameBytes: number; abytes: number }
  | { op: 'verified'; id: number }
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
  /** Plaintext bytes written back at the start of `slot` (a 'plaintext' read). */
  plain?: number;
}
