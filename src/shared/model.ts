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
  /** Field vaults: fingerprint of the pinned HQ card ("3F2A 91BC …"), shown so a crew can notice a swapped pin. */
  hqFingerprint?: string;
}

/** What `vault.panic` did: the local keys are gone; `signed` says whether HQ can verify the panic record. */
export interface PanicResult {
  dir: string;
  vaultId: string;
  at: string;
  signed: boolean;
  alreadyPanicked: boolean;
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
  /** The original is sealed in the vault and was read back and matched: a quarantined clip can be retried from it. */
  originalKept: boolean;
}

/** A card as lists and filters name it: cheap to list, with no wipe verdict (that reads every file's state). */
export interface CardLabel {
  id: string;
  label: string;
  createdAt: string;
  clipCount: number;
  verifiedCount: number;
}

export interface CardSummary extends CardLabel {
  /** True only when every clip of the card was re-read from the vault and matched. */
  safeToWipe: boolean;
  /** Why the card is not safe to wipe, per file (empty when it is). */
  wipeBlockers: WipeBlocker[];
}

/** Why a file on a card is not (yet) safely kept; the faces word each code. */
export type WipeBlockerState = 'pending' | 'failed' | 'refused' | 'unreadable' | 'not-copied' | 'damaged';

/** What the card scan noted about a file that is not a clip; the wipe verdict maps each to a state. */
export type CardNoteCode =
  | 'os-litter'
  | 'symbolic-link'
  | 'not-a-regular-file'
  | 'other-volume'
  | 'nested-too-deep'
  | 'permission-denied'
  | 'card-read-error'
  | 'vanished'
  | 'unreadable'
  | 'name-has-control-characters'
  | 'empty'
  | 'sidecar-of-unreadable';

export type WipeBlockerReason =
  // pending
  | 'not-yet-copied'
  | 'not-yet-verified'
  // failed (ClipFailureKind)
  | ClipFailureKind
  // refused, unreadable or never copied, as the scan noted it (os litter, empty files and sidecars do not block)
  | Exclude<CardNoteCode, 'os-litter' | 'empty' | 'sidecar-of-unreadable'>
  | 'unrecognised-media-name'
  // damaged
  | 'object-damaged';

export interface WipeBlocker {
  /** The card-relative name, as on the card (escape it before printing). */
  file: string;
  state: WipeBlockerState;
  reason: WipeBlockerReason;
}

/**
 * Why a clip is `failed`: each is transient (a re-run retries the clip), never a reason to quarantine.
 * 'other' is an unexpected error inside Safehouse.
 */
export type ClipFailureKind =
  | 'disk-full'
  | 'tool-crashed'
  | 'tool-timed-out'
  | 'read-error'
  | 'source-changed'
  | 'verify-mismatch'
  | 'not-attempted'
  | 'other';

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

// subjects, consent, safety, audit

export type ConsentState = 'pending' | 'given' | 'conditional' | 'withdrawn';
/**
 * Protection a subject asked for: hide face, disguise voice (secret per-subject parameters), hide name, hide
 * location, do not show at all, mute their voice (for a voice that alone could identify them).
 */
export type Protection = 'face' | 'voice' | 'name' | 'location' | 'exclude' | 'mute-voice';
export const PROTECTIONS: readonly Protection[] = ['face', 'voice', 'name', 'location', 'exclude', 'mute-voice'];

export interface ConsentRecord {
  state: ConsentState;
  /** What was agreed, e.g. "voice only"; operational text (sealed to proxy in the catalog). */
  scope: string;
  recordedBy: string;
  recordedAt: string;
}

/** Sealed to the identity class: only a vault holding the identity secret (HQ) ever sees it. */
export interface SubjectIdentity {
  realName: string;
  contact: string;
  notes: string;
}

export interface Subject {
  /** Random id: names nobody. */
  id: string;
  pseudonym: string;
  /** The latest consent record; null while nobody has recorded any (the subject counts as unreviewed). */
  consent: ConsentRecord | null;
  protection: Protection[];
  /** Null when none was recorded or this vault cannot open identities (field vault). */
  identity: SubjectIdentity | null;
  /** True when an identity is recorded but this vault cannot open it. */
  identitySealed: boolean;
  createdAt: string;
}

export interface TimeRange {
  from: number;
  to: number;
}

/** Where a face is at time t (seconds), as a box normalised 0..1 to the frame. */
export interface RegionKeyframe {
  t: number;
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface Appearance {
  id: string;
  subjectId: string;
  clipId: string;
  clipCode: string;
  /** Empty: the whole clip. */
  ranges: TimeRange[];
  /** Empty: no region track drawn or detected yet. */
  regions: RegionKeyframe[];
  createdAt: string;
}

export interface EvidenceItem {
  id: string;
  kind: string;
  sizeBytes: number;
  createdAt: string;
}

/** A past export that contained a subject: what the producer must recall after a withdrawal. */
export interface ExportRecall {
  exportId: string;
  createdAt: string;
  recipient: string;
  clips: { clipId: string; code: string }[];
}

export interface SubjectDetail extends Subject {
  consentHistory: ConsentRecord[];
  appearances: Appearance[];
  evidence: EvidenceItem[];
  /** Clips in which something about this subject is unresolved (a safety reason names them). */
  unprotectedClipCount: number;
  exports: ExportRecall[];
}

export interface ConsentChange {
  subject: SubjectDetail;
  /** Exports to recall; filled on withdrawal, empty otherwise. */
  recall: ExportRecall[];
}

export type SafetyReasonCode =
  | 'consent-withdrawn'
  | 'subject-excluded'
  | 'consent-pending'
  | 'consent-unrecorded'
  | 'face-uncovered'
  | 'clip-quarantined'
  | 'clip-failed'
  | 'clip-not-verified'
  | 'clip-unreviewed'
  | 'faces-unconfirmed'
  | 'appearance-proposed';

export interface SafetyReason {
  code: SafetyReasonCode;
  status: Exclude<SafetyStatus, 'cleared'>;
  subjectId: string | null;
  message: string;
  /** What resolves it, as data: each face (CLI, window, printed report) words it its own way. */
  fix: SafetyFix;
}

/** The kinds of fix a safety reason can ask for. */
export type SafetyFixAction =
  | 'inspect-quarantined'
  | 'offload-again'
  | 'finish-offload'
  | 'record-who-appears'
  | 'recall-exports'
  | 'leave-out-or-remove-appearance'
  | 'record-consent'
  | 'draw-face-regions'
  | 'confirm-face-tracks'
  | 'decide-proposals';

/** One fix: what to do, to which clip and/or subject. */
export interface SafetyFix {
  action: SafetyFixAction;
  clipId?: string;
  subjectId?: string;
}

export interface ClipSafetyReport {
  clipId: string;
  code: string;
  /** The card it came from, so problems can be grouped by card. */
  cardId: string;
  status: ClipStatus;
  safety: SafetyStatus;
  subjectIds: string[];
  reasons: SafetyReason[];
}

export interface SubjectSafetyReport {
  subjectId: string;
  pseudonym: string;
  consent: ConsentState | 'unrecorded';
  protection: Protection[];
  clips: { clipId: string; code: string; safety: SafetyStatus }[];
  unprotectedClipCount: number;
  exports: ExportRecall[];
}

export interface SafetyReport {
  generatedAt: string;
  counts: SafetyCounts;
  clips: ClipSafetyReport[];
  subjects: SubjectSafetyReport[];
}

export type AuditProblemKind = 'edited' | 'missing' | 'chain-broken' | 'bad-signature' | 'truncated' | 'checkpoint-mismatch' | 'checkpoint-invalid' | 'empty';

export interface AuditProblem {
  seq: number | null;
  kind: AuditProblemKind;
  message: string;
}

export interface AuditVerification {
  intact: boolean;
  entries: number;
  head: { seq: number; hash: string } | null;
  checkpoint: { seq: number; matched: boolean } | null;
  problems: AuditProblem[];
}

/** The small file the producer keeps away from the laptop; proves how far the log reached when exported. */
export interface AuditCheckpoint {
  format: 'safehouse-audit-checkpoint';
  version: 1;
  vaultId: string;
  seq: number;
  head: string;
  createdAt: string;
  publicKey: string;
  signature: string;
}

// vault verification

/** What is wrong with one vault object. */
export type ObjectProblemKind =
  | 'missing' // the catalog records it; its file is gone
  | 'header-damaged' // magic, version, class, id or header MAC do not check out
  | 'wrong-class' // its header names another key class than the catalog records
  | 'size-mismatch' // its length does not give the size the catalog records
  | 'content-damaged' // a content frame fails authentication, or the stream is cut or extended
  | 'hash-mismatch'; // decrypts, but not to what was written (or, in a field vault, the sealed file changed)

/** Something that depends on an object, and so is lost or unusable while the object is damaged. */
export interface ObjectOwner {
  role: 'master' | 'clip-report' | 'ingest-report' | 'evidence' | 'proxy' | 'thumbnails' | 'export-manifest';
  clipId: string | null;
  clipCode: string | null;
  cardId: string | null;
  subjectId: string | null;
  exportId: string | null;
}

export interface DamagedObject {
  objectId: string;
  keyClass: KeyClass | null;
  problem: ObjectProblemKind;
  message: string;
  /** Empty when nothing in the catalog points at it. */
  owners: ObjectOwner[];
}

export interface VaultVerification {
  /** No recorded object is missing or damaged (as far as `deep` looked). */
  intact: boolean;
  deep: boolean;
  checkedAt: string;
  objects: {
    recorded: number;
    onDisk: number;
    /** Header checked (and, where this vault holds the class key, authenticated). */
    headersChecked: number;
    /** --deep: every frame decrypted and authenticated, and compared with the recorded hash where one exists. */
    contentChecked: number;
  };
  /** What this vault could not open and so checked only as far as it could (a field vault: master, identity). */
  notOpened: { keyClass: KeyClass; count: number; checkedAs: string }[];
  damaged: DamagedObject[];
  /** Object files no catalog row records: left by an interrupted write (the next offload removes them). */
  unrecorded: string[];
  /** What was lost with the damaged objects. */
  lost: {
    clips: { clipId: string; code: string; cardId: string; what: ObjectOwner['role'] }[];
    cards: { cardId: string; label: string }[];
    subjects: { subjectId: string; pseudonym: string }[];
  };
}

export interface VerifyProgress {
  phase: 'headers' | 'content';
  done: number;
  total: number;
}

/** What happened to one file of a card in an offload. */
export interface ClipOutcome {
  file: string;
  clipId: string | null;
  code: string | null;
  status: ClipStatus | 'skipped';
  reason: string | null;
  /** For a failed clip: what kind of failure (all are retried by a re-run). */
  failureKind?: ClipFailureKind;
  /** For a quarantined clip: why, as a code the faces word (the `reason` text stays for older readers). */
  quarantineReason?: QuarantineReason;
  /** How many location, identity and device fields were found (and removed); values stay sealed. */
  findings: { location: number; identity: number; device: number };
  sidecarsLeftOut: string[];
}

/** Why a clip was kept only as its sealed original. */
export type QuarantineReason =
  | 'not-media'
  | 'no-audio-or-video'
  | 'cannot-sanitize'
  | 'proof-failed'
  | 'content-lost'
  | 'does-not-decode'
  | 'still-too-large'
  | 'still-extension-mismatch'
  | 'still-type-unsupported'
  | 'still-damaged';

export interface OffloadResult {
  ingestId: string;
  cardId: string;
  results: ClipOutcome[];
  notIngested: { file: string; reason: string; kind: 'unsafe' | 'problem' | 'unknown' | 'skipped' }[];
  counts: { verified: number; quarantined: number; failed: number; skipped: number };
  safeToWipe: boolean;
  /** Why the card is not safe to wipe, per file (empty when it is). */
  wipeBlockers: WipeBlocker[];
  recovered: { stagingDiscarded: number; unrecordedObjectsRemoved: number };
  reportObjectId: string;
  /** Proxies of the clips this offload stored: built (when waited for), queued, or why not. */
  proxies?: { built: number; failed: number; queued: number; note: string | null };
}

/** The stored report of one offload (sealed to the proxy class, so a field laptop can show it). */
export interface IngestReport extends Omit<OffloadResult, 'reportObjectId' | 'recovered'> {
  version: 1;
  startedAt: string;
  finishedAt: string;
}

// proxies and export

export type ProtectionMode = 'full' | 'regions' | 'none';

/** A clip's proxy: ready, stale (its protection changed; being or to be rebuilt), or not (yet) there. */
export interface ProxyStatus {
  clipId: string;
  code: string;
  state: 'ready' | 'stale' | 'missing' | 'queued' | 'building' | 'failed' | 'excluded';
  /** How the current proxy hides people; null while there is none. */
  mode: ProtectionMode | null;
  fraction: number | null;
  hasThumbnails: boolean;
  error?: string;
}

export interface ProxyProgress {
  clipId: string;
  code: string;
  state: 'building' | 'done' | 'failed' | 'removed';
  fraction: number | null;
  /** Encoding speed in frames per second, when ffmpeg reports it. */
  fps: number | null;
  error?: string;
}

export interface ExportedClip {
  clipId: string;
  code: string;
  file: string;
  durationSeconds: number | null;
  timecode: string | null;
  mode: ProtectionMode;
}

export interface ExportResult {
  exportId: string | null;
  outDir: string;
  manifestFile: string | null;
  exported: ExportedClip[];
  /** Clips asked for (or present) that did not leave, and why: not cleared, excluded, no proxy … */
  refused: { clipId: string; code: string; reason: string }[];
}

export interface ExportRecord {
  id: string;
  createdAt: string;
  recipient: string;
  clips: { clipId: string; code: string }[];
}

export interface ExportProgress {
  exportId: string;
  code: string;
  done: number;
  total: number;
}

/** A clip's sanitization report as the crew and editor may see it: what was found, never the values. */
export interface ClipReport {
  clipId: string;
  code: string;
  status: ClipStatus;
  reason: string | null;
  findings: { location: number; identity: number; device: number };
  /** "location: ©xyz", "device: com.apple.quicktime.make" … field names only. */
  fields: string[];
  sidecarsLeftOnCard: { file: string; carriesLocation: boolean }[];
  proof: { clean: boolean; problems: string[] } | null;
  timecode: string | null;
  /** A still stored in another format than the camera's (or turned upright), and why; null otherwise. */
  conversion?: string | null;
  /** True when the findings are sealed to HQ (a field vault) and the zeros above mean "not shown", not "none". */
  sealedToHq?: boolean;
}

// --- Field → HQ sync (issue 13) ---

/** Progress of a push or pull: bytes and objects moved, rate and time left. */
export interface SyncProgress {
  direction: 'push' | 'pull';
  phase: 'preparing' | 'objects' | 'verifying' | 'merging' | 'done';
  bytesDone: number;
  bytesTotal: number;
  objectsDone: number;
  objectsTotal: number;
  mbPerSecond: number | null;
  etaSeconds: number | null;
}

export interface SyncPushResult {
  /** This field device's id (a hash of its signing key; the name its records have on the remote). */
  device: string;
  remote: string;
  /** Sequence number of the record this push made, or null when nothing had changed since the last one. */
  newRecord: number | null;
  records: { total: number; sent: number };
  objects: { total: number; sent: number; alreadyThere: number };
  bytesSent: number;
  seconds: number;
}

export interface SyncPullResult {
  remote: string;
  records: number;
  devices: { device: string; records: number }[];
  clipsAdded: number;
  /** Clips whose original HQ already held (from another card or device): listed on the new card too. */
  clipsMerged: number;
  objects: number;
  auditEntries: number;
  bytesReceived: number;
  seconds: number;
  /** Clips whose proxies were queued (or built, when asked to wait). */
  proxiesQueued: number;
}

export interface DeviceStatus {
  id: string;
  /** HQ: the name given when it was enrolled (null if none); a field vault's own entry has none. */
  name: string | null;
  /** True for the field vault's own entry (a field vault lists itself). */
  self: boolean;
  fingerprintWords: string | null;
  enrolledAt: string | null;
  /** When the newest record HQ pulled was made; in the field, when the last push finished (null: never). */
  lastPushAt: string | null;
  lastPullAt: string | null;
  /** Records pulled from this device (HQ) or made by it (field). */
  records: number;
  /** HQ: the device's imported audit entries, re-verified against its key. */
  audit: { entries: number; intact: boolean } | null;
  /** With a remote: records (and their object bytes, in the field) not yet pulled / not yet pushed. */
  pending: { records: number; bytes: number } | null;
  /** Field: verified clips offloaded since the last push, in no record yet (their size as filmed). HQ: null. */
  notInRecord: { clips: number; bytes: number } | null;
}

// offload queue: the window's offloads run in the core, one at a time, and the window re-attaches to them

export type OffloadJobState = 'queued' | 'running' | 'paused' | 'done' | 'cancelled' | 'failed';

/** One card offload as the core runs it: queued behind another, running, paused between files, or finished. */
export interface OffloadJob {
  id: string;
  path: string;
  label: string | null;
  state: OffloadJobState;
  /** Asked to stop: files already being copied finish (so the vault stays consistent), no new ones start. */
  cancelRequested: boolean;
  queuedAt: string;
  /** The latest overall progress; null until the first file starts. */
  progress: IngestProgress | null;
  /** Files being worked on right now, each with its own bytes and step. */
  files: IngestProgress[];
  result: OffloadResult | null;
  error: { code: string; message: string } | null;
}

/** A finished offload whose stored report can be opened. */
export interface IngestHistoryEntry {
  ingestId: string;
  cardId: string;
  cardLabel: string;
  startedAt: string;
  finishedAt: string;
  counts: { verified: number; quarantined: number; failed: number; skipped: number };
  safeToWipe: boolean;
}

/** A mounted removable volume the app found by itself (under /media, /run/media or /Volumes). */
export interface MountedVolume {
  path: string;
  name: string;
}

/** One face followed through a clip: a region track (0–1 of the frame, top-left origin, seconds). */
export interface FaceTrack {
  id: string;
  clipId: string;
  /** The subject this face was assigned to; null = an unknown person, always covered. */
  subjectId: string | null;
  /** The appearance the assignment recorded (the track is its face region); null when unassigned. */
  appearanceId: string | null;
  origin: 'detected' | 'drawn';
  /** A person confirmed (or drew or adjusted) this track. */
  confirmed: boolean;
  /** Highest detector score; null for a drawn track. */
  score: number | null;
  from: number;
  to: number;
  keyframes: RegionKeyframe[];
}

export interface ClipFaces {
  clipId: string;
  code: string;
  /** null: never analysed (the proxy stays a full mosaic). */
  scannedAt: string | null;
  /** When a person last confirmed the tracks; null while unconfirmed. */
  confirmedAt: string | null;
  tracks: FaceTrack[];
}

export interface FaceScanProgress {
  clipId: string;
  code: string;
  state: 'queued' | 'analysing' | 'done' | 'failed' | 'cancelled' | 'skipped';
  fraction: number | null;
  /** Tracks found, once done. */
  tracks?: number;
  error?: string;
}

export interface FaceScanOutcome {
  clipId: string;
  code: string;
  result: 'done' | 'failed' | 'cancelled' | 'skipped';
  tracks: number;
  /** Sampled frames analysed and the seconds it took (wall clock), for the speed report. */
  frames: number;
  seconds: number;
  error?: string;
}

/** "This face track may be that subject": proposed from face descriptors, decided by a person. */
export type FaceProposalState = 'pending' | 'accepted' | 'rejected';

export interface FaceProposal {
  id: string;
  clipId: string;
  code: string;
  /** The card the clip came from (its label is in cards.list). */
  cardId: string;
  trackId: string;
  subjectId: string;
  /** Similarity of the faces, 0–1. */
  score: number;
  /** Seconds: the track's time range in the clip. */
  from: number;
  to: number;
  state: FaceProposalState;
  decidedAt: string | null;
}

/** Unassigned face tracks that look like one person ("unknown person N"), to be named at once. */
export interface UnknownPersonGroup {
  number: number;
  tracks: { trackId: string; clipId: string; code: string; cardId: string; from: number; to: number }[];
}
