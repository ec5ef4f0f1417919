/**
 * Domain types the UI sees. Plain data only (they cross the IPC boundary by structured clone), and never a
 * secret: real names and evidence stay sealed in the vault and are only shown when asked for by id.
 */

export type KeyClass = 'master' | 'proxy' | 'identity';
export type VaultKind = 'normal' | 'field';

export interface AppInfo {
  name: string;
  version: string;
  /** Whether ffmpeg/ffprobe were found; offload and proxies need them. */
  mediaTools: { available: boolean; message?: string };
}

export interface VaultSummary {
  id: string;
  kind: VaultKind;
  dir: string;
  /** What this vault can open on this machine: a field vault opens only `proxy`. */
  canOpen: Record<KeyClass, boolean>;
  autoLockMinutes: number | null;
}

export type VaultStatus =
  | { state: 'none' }
  | { state: 'locked'; dir: string }
  | { state: 'unlocked'; vault: VaultSummary };

export type ClipKind = 'video' | 'audio' | 'still';

/** Where a clip is in the offload; only `verified` clips count towards "safe to wipe". */
export type ClipStatus = 'pending' | 'verified' | 'quarantined' | 'failed';

export type SafetyStatus = 'blocked' | 'needs-review' | 'cleared';

export interface StreamSummary {
  type: 'video' | 'audio';
  codec: string;
  width?: number;
  height?: number;
  sampleRate?: number;
  channels?: number;
}

export interface Clip {
  id: string;
  /** Neutral code such as C0007: safe to show to an editor, names nothing. */
  code: string;
  kind: ClipKind;
  status: ClipStatus;
  reason: string | null;
  /** Original file name on the card; sealed in the catalog, shown only to an unlocked vault. */
  originalName: string;
  cardId: string;
  durationSeconds: number | null;
  streams: StreamSummary[];
  sizeBytes: number;
  createdAt: string;
  safety: SafetyStatus;
}

export interface CardSummary {
  id: string;
  label: string;
  createdAt: string;
  clipCount: number;
  verifiedCount: number;
  /** True only when every clip of the card was re-read from the vault and matched. */
  safeToWipe: boolean;
}

export interface CardScanSummary {
  root: string;
  layouts: string[];
  clips: { id: string; name: string; kind: ClipKind; sizeBytes: number; sidecars: string[]; locationSidecars: string[] }[];
  skipped: { name: string; reason: string }[];
  unknown: string[];
  warnings: string[];
  totalBytes: number;
}

export type IngestStep = 'scan' | 'hash' | 'metadata' | 'sanitize' | 'prove' | 'encrypt' | 'verify' | 'proxy' | 'done';

export interface IngestProgress {
  ingestId: string;
  file: string | null;
  step: IngestStep;
  fileBytesDone: number;
  fileBytesTotal: number;
  bytesDone: number;
  bytesTotal: number;
  filesDone: number;
  filesTotal: number;
  megabytesPerSecond: number;
  etaSeconds: number | null;
}

export interface SafetyCounts {
  cleared: number;
  needsReview: number;
  blocked: number;
}
