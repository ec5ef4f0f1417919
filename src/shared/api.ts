import { z } from 'zod';
import type {
  Appearance,
  AppInfo,
  AuditCheckpoint,
  AuditVerification,
  CardScanSummary,
  CardLabel,
  CardSummary,
  Clip,
  ClipReport,
  ClipOutcome,
  IngestProgress,
  IngestReport,
  OffloadResult,
  ClipSafetyReport,
  ConsentChange,
  SafetyCounts,
  SafetyReport,
  Subject,
  SubjectDetail,
  VaultStatus,
  VaultSummary,
  VaultVerification,
  VerifyProgress,
  WipeBlocker,
  ExportProgress,
  PanicResult,
  ExportRecord,
  ExportResult,
  ProxyProgress,
  ProxyStatus,
  DeviceStatus,
  SyncProgress,
  SyncPullResult,
  SyncPushResult,
  OffloadJob,
  IngestHistoryEntry,
  MountedVolume,
  ClipFaces,
  FaceScanOutcome,
  FaceScanProgress,
  FaceTrack,
  FaceProposal,
  UnknownPersonGroup,
} from './model';
import type { Result } from './errors';

/**
 * THE contract. Every call the UI can make is declared here once: its name, the zod schema its input must
 * pass, and the type of its result. The Electron IPC layer, the preload, the CLI and the browser-test
 * harness are all derived from this object by iterating it; nothing else lists the calls.
 */

/** A filesystem path from the UI: bounded, no NUL bytes (which would truncate it in native code). */
const pathInput = z
  .string()
  .min(1)
  .max(4096)
  .refine((value) => !value.includes('\0'), 'path must not contain NUL bytes');

const passphraseInput = z.string().min(1).max(1024);
const idInput = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'not a valid id');
/** A face proposal: the track id and the subject id it is proposed as. */
const proposalIdInput = z.string().regex(/^[0-9a-f]{1,64}-[A-Za-z0-9_]{1,64}$/, 'not a proposal id');
const noInput = z.object({}).strict();
// subjects, consent, safety, audit: bounded text and numbers, so a compromised renderer cannot send megabytes
const shortText = z.string().trim().min(1).max(200);
const longText = z.string().max(4000);
const protectionInput = z.array(z.enum(['face', 'voice', 'name', 'location', 'exclude', 'mute-voice'])).max(6);
const seconds = z.number().finite().min(0).max(7 * 24 * 3600);
const unit = z.number().finite().min(0).max(1);
const timeRangeInput = z.object({ from: seconds, to: seconds }).strict().refine((r) => r.to > r.from, 'to must be after from');
const regionKeyframeInput = z.object({ t: seconds, x: unit, y: unit, w: unit.positive(), h: unit.positive() }).strict();

const remoteInput = z
  .string()
  .min(6)
  .max(2048)
  .refine((value) => (value.startsWith('s3://') || value.startsWith('file:///')) && !value.includes('\0'), 'remote must be s3://BUCKET/PREFIX or file:///path');
const endpointInput = z
  .string()
  .max(2048)
  .refine((value) => /^https?:\/\/[^\s/?#@]+(\/[^\s]*)?$/.test(value), 'endpoint must be an http(s) URL without credentials');

interface CallSpec<Input extends z.ZodType, Output> {
  input: Input;
  /** Phantom: carries the result type for the type system only. */
  output?: Output;
  /** Calls that must work before a vault is unlocked. */
  public?: boolean;
}

function call<Output>() {
  return <Input extends z.ZodType>(input: Input, options: { public?: boolean } = {}): CallSpec<Input, Output> => ({
    input,
    ...options,
  });
}

export const calls = {
  'app.info': call<AppInfo>()(noInput, { public: true }),
  'vault.status': call<VaultStatus>()(noInput, { public: true }),
  'vault.create': call<VaultSummary>()(
    z
      .object({
        dir: pathInput,
        passphrase: passphraseInput,
        kind: z.enum(['normal', 'field']).optional(),
        // A field vault seals masters and identities to HQ: HQ's recipient card (JSON) is required for it.
        hqRecipientCard: z.string().max(16_384).optional(),
      })
      .strict(),
    { public: true },
  ),
  'vault.changePassphrase': call<VaultSummary>()(z.object({ oldPassphrase: passphraseInput, newPassphrase: passphraseInput }).strict()),
  'recipients.export': call<{ card: string; fingerprintWords: string }>()(
    z.object({ classes: z.array(z.enum(['master', 'proxy', 'identity'])).min(1).max(3).optional() }).strict(),
  ),
  'recipients.add': call<VaultSummary & { fingerprintWords: string }>()(
    z.object({ keyClass: z.enum(['master', 'proxy', 'identity']), card: z.string().min(1).max(16_384), label: z.string().trim().min(1).max(200) }).strict(),
  ),
  // HQ signs the master/identity keys field vaults may seal to; a field vault applies such a set.
  'recipients.signSet': call<{ set: string; fingerprintWords: string }>()(noInput),
  'recipients.applySet': call<VaultSummary>()(z.object({ set: z.string().min(1).max(32_768) }).strict()),
  // Destroys this laptop's wrapped keys: the open vault, else the one at `dir`. Works locked (public).
  'vault.panic': call<PanicResult>()(z.object({ dir: pathInput.optional() }).strict(), { public: true }),
  'vault.unlock': call<VaultSummary>()(z.object({ dir: pathInput, passphrase: passphraseInput }).strict(), {
    public: true,
  }),
  'vault.lock': call<VaultStatus>()(noInput, { public: true }),
  'vault.setAutoLock': call<VaultSummary>()(
    z.object({ minutes: z.number().int().min(1).max(24 * 60).nullable() }).strict(),
  ),
  'dialog.chooseFolder': call<{ path: string | null }>()(
    z.object({ purpose: z.enum(['card', 'vault', 'export', 'sync']) }).strict(),
    { public: true },
  ),
  'card.scan': call<CardScanSummary>()(z.object({ path: pathInput }).strict()),
  'cards.list': call<CardSummary[]>()(noInput),
  'cards.labels': call<CardLabel[]>()(noInput),
  'clips.list': call<Clip[]>()(noInput),
  'clip.get': call<Clip>()(z.object({ id: idInput }).strict()),
  'clips.query': call<{ total: number; items: Clip[] }>()(
    z
      .object({
        statuses: z.array(z.enum(['pending', 'verified', 'quarantined', 'failed'])).max(4).optional(),
        kinds: z.array(z.enum(['video', 'audio', 'still'])).max(3).optional(),
        cardId: idInput.optional(),
        subjectId: idInput.optional(),
        from: z.iso.date().optional(),
        to: z.iso.date().optional(),
        // part of a clip code, card label or subject pseudonym
        search: z.string().max(200).optional(),
        sort: z.enum(['code', 'created', 'size', 'duration', 'status', 'kind']).optional(),
        descending: z.boolean().optional(),
        offset: z.number().int().min(0).max(10_000_000),
        limit: z.number().int().min(1).max(500),
      })
      .strict(),
  ),
  'clip.report': call<ClipReport>()(z.object({ id: idInput }).strict()),
  // A quarantined clip again through the pipeline, from its sealed original (no card needed).
  'clip.retry': call<ClipOutcome>()(z.object({ id: idInput }).strict()),
  'clip.reviewFrame': call<{ mime: 'image/jpeg'; base64: string }>()(
    z.object({ id: idInput, seconds: z.number().finite().min(0).max(7 * 24 * 3600) }).strict(),
  ),
  'clip.thumbnail': call<{ mime: 'image/jpeg'; base64: string } | null>()(z.object({ id: idInput }).strict()),
  'safety.summary': call<SafetyCounts>()(noInput),
  // offload
  'offload.start': call<OffloadResult>()(
    z
      .object({
        path: pathInput,
        label: z.string().max(200).optional(),
        // 'wait': build the proxies before answering (the CLI); 'background': queue them (the window).
        proxies: z.enum(['wait', 'background', 'none']).optional(),
      })
      .strict(),
  ),
  'offload.interrupted': call<{ ingestId: string; cardId: string; startedAt: string }[]>()(noInput),
  'offload.report': call<IngestReport | null>()(z.object({ ingestId: idInput.optional() }).strict()),
  // The window's offloads: queued in the core (one card at a time), so they outlive navigation and reloads.
  'offload.queue': call<OffloadJob>()(z.object({ path: pathInput, label: z.string().max(200).optional() }).strict()),
  'offload.jobs': call<OffloadJob[]>()(noInput),
  'offload.pause': call<OffloadJob>()(z.object({ jobId: idInput, paused: z.boolean() }).strict()),
  'offload.cancel': call<OffloadJob>()(z.object({ jobId: idInput }).strict()),
  'offload.history': call<IngestHistoryEntry[]>()(noInput),
  'cards.volumes': call<MountedVolume[]>()(noInput),
  'export.master': call<{ path: string; bytes: number }>()(z.object({ clipId: idInput, outPath: pathInput }).strict()),
  // HQ: whether the camera start timecode goes out with masters and proxies (time of day can identify).
  'vault.setTimecodePolicy': call<{ timecodePolicy: 'keep' | 'drop' }>()(z.object({ policy: z.enum(['keep', 'drop']) }).strict()),
  'card.exportMhl': call<{ path: string; files: number; leftOut: number }>()(z.object({ cardId: idInput, outPath: pathInput }).strict()),
  // The same manifest as an ASC MHL history folder (outDir/ascmhl/: generation file + ascmhl_chain.xml) for `ascmhl verify`.
  'card.exportMhlFolder': call<{ folder: string; generation: string; chain: string; files: number; leftOut: number }>()(
    z.object({ cardId: idInput, outDir: pathInput }).strict(),
  ),
  // Safe to wipe, for a card that is here now: every file on it, and why any is not safely in the vault.
  'card.check': call<{ safeToWipe: boolean; wipeBlockers: WipeBlocker[] }>()(z.object({ path: pathInput }).strict()),
  'card.wipe': call<{ deleted: string[]; kept: { file: string; reason: string }[] }>()(z.object({ path: pathInput }).strict()),
  // subjects, consent, safety, audit
  'subjects.list': call<Subject[]>()(noInput),
  'subjects.create': call<SubjectDetail>()(
    z
      .object({
        pseudonym: shortText,
        realName: shortText.optional(),
        contact: longText.optional(),
        notes: longText.optional(),
        protection: protectionInput.optional(),
      })
      .strict(),
  ),
  'subjects.get': call<SubjectDetail>()(z.object({ id: idInput }).strict()),
  'subjects.setConsent': call<ConsentChange>()(
    z
      .object({
        id: idInput,
        state: z.enum(['pending', 'given', 'conditional', 'withdrawn']),
        scope: longText.optional(),
        recordedBy: shortText.optional(),
      })
      .strict(),
  ),
  'subjects.setProtection': call<SubjectDetail>()(z.object({ id: idInput, protection: protectionInput }).strict()),
  'subjects.addEvidence': call<SubjectDetail>()(
    z.object({ id: idInput, path: pathInput, kind: z.enum(['release', 'verbal', 'document', 'other']) }).strict(),
  ),
  'appearances.add': call<Appearance>()(
    z
      .object({
        subjectId: idInput,
        clipId: idInput,
        ranges: z.array(timeRangeInput).max(1000).optional(),
        regions: z.array(regionKeyframeInput).max(100_000).optional(),
      })
      .strict(),
  ),
  'appearances.remove': call<{ removed: boolean }>()(z.object({ id: idInput }).strict()),
  'clips.review': call<ClipSafetyReport>()(z.object({ clipId: idInput, noPeople: z.literal(true) }).strict()),
  'safety.report': call<SafetyReport>()(noInput),
  'audit.verify': call<AuditVerification>()(z.object({ checkpointPath: pathInput.optional() }).strict()),
  // Verifies a vault's audit log without opening a session: appends nothing, not even an unlock entry.
  'audit.verifyReadOnly': call<AuditVerification>()(
    z.object({ dir: pathInput, passphrase: passphraseInput, checkpointPath: pathInput.optional() }).strict(),
    { public: true },
  ),
  'audit.exportCheckpoint': call<AuditCheckpoint>()(z.object({ out: pathInput }).strict()),
  // proxies and export
  'proxies.status': call<ProxyStatus[]>()(z.object({ clipIds: z.array(idInput).max(10_000).optional() }).strict()),
  'proxies.build': call<ProxyStatus[]>()(
    z.object({ clipIds: z.array(idInput).max(10_000).optional(), wait: z.boolean().optional() }).strict(),
  ),
  'export.proxies': call<ExportResult>()(
    z.object({ outDir: pathInput, clipIds: z.array(idInput).max(10_000).optional(), recipient: z.string().trim().max(200).optional() }).strict(),
  ),
  'export.list': call<ExportRecord[]>()(noInput),
  // field → HQ sync: s3://BUCKET/PREFIX (endpoint for a self-hosted store) or file:///path (a removable drive)
  'sync.push': call<SyncPushResult>()(z.object({ remote: remoteInput, endpoint: endpointInput.optional() }).strict()),
  'sync.pull': call<SyncPullResult>()(
    z
      .object({
        remote: remoteInput,
        endpoint: endpointInput.optional(),
        // 'wait': build the new clips' proxies before answering (the CLI); 'background': queue them (the window).
        proxies: z.enum(['wait', 'background', 'none']).optional(),
      })
      .strict(),
  ),
  'devices.enroll': call<{ id: string; fingerprintWords: string; alreadyEnrolled: boolean }>()(z.object({ card: z.string().min(1).max(16_384), name: shortText.optional() }).strict()),
  'devices.list': call<DeviceStatus[]>()(z.object({ remote: remoteInput.optional(), endpoint: endpointInput.optional() }).strict()),
  // integrity: every object's header, and with deep every object's content, against the catalog both ways
  'vault.verify': call<VaultVerification>()(z.object({ deep: z.boolean() }).strict()),
  // faces: automatic face tracks, reviewed and confirmed by a person
  'faces.scan': call<FaceScanOutcome[]>()(
    // Without clipIds: every clip not analysed yet. wait=false queues the scans and answers at once.
    z.object({ clipIds: z.array(idInput).max(10_000).optional(), wait: z.boolean().optional() }).strict(),
  ),
  'faces.cancel': call<{ cancelled: number }>()(z.object({ clipIds: z.array(idInput).max(10_000).optional() }).strict()),
  'faces.list': call<ClipFaces>()(z.object({ clipId: idInput }).strict()),
  'faces.assign': call<FaceTrack>()(z.object({ clipId: idInput, trackId: idInput, subjectId: idInput.nullable() }).strict()),
  'faces.confirm': call<ClipSafetyReport>()(z.object({ clipId: idInput }).strict()),
  'faces.deleteTrack': call<{ removed: boolean }>()(z.object({ clipId: idInput, trackId: idInput }).strict()),
  'faces.adjustTrack': call<FaceTrack>()(z.object({ clipId: idInput, trackId: idInput, keyframe: regionKeyframeInput }).strict()),
  'faces.addTrack': call<FaceTrack>()(
    z.object({ clipId: idInput, keyframes: z.array(regionKeyframeInput).min(2).max(100_000) }).strict()
      .refine((v) => new Set(v.keyframes.map((k) => k.t)).size > 1, 'a drawn track must span some time (keyframes at two different times)'),
  ),
  // who appears where: proposals from face descriptors (HQ), decided by a person
  'faces.proposals': call<FaceProposal[]>()(
    z
      .object({ subjectId: idInput.optional(), clipId: idInput.optional(), states: z.array(z.enum(['pending', 'accepted', 'rejected'])).min(1).max(3).optional() })
      .strict(),
  ),
  'faces.decide': call<FaceProposal[]>()(
    z.object({ proposalIds: z.array(proposalIdInput).min(1).max(10_000), decision: z.enum(['accept', 'reject']) }).strict(),
  ),
  'faces.groups': call<UnknownPersonGroup[]>()(noInput),
  // The proposed face: a mosaic unless reveal (then audited as an unmasked view).
  'faces.proposalThumbnail': call<{ mime: 'image/jpeg'; base64: string }>()(
    z.object({ proposalId: proposalIdInput, reveal: z.boolean() }).strict(),
  ),
  'faces.nameTracks': call<{ named: number }>()(
    z.object({ subjectId: idInput, tracks: z.array(z.object({ clipId: idInput, trackId: idInput }).strict()).min(1).max(10_000) }).strict(),
  ),
  // Any face track's face (an unnamed group's, for naming it): a mosaic unless reveal (then audited).
  'faces.trackThumbnail': call<{ mime: 'image/jpeg'; base64: string }>()(
    z.object({ clipId: idInput, trackId: idInput, reveal: z.boolean() }).strict(),
  ),
  'faces.forgetSubject': call<{ descriptorsDeleted: number; proposalsWithdrawn: number }>()(z.object({ subjectId: idInput }).strict()),
} as const;

export const events = {
  'offload.progress': {} as IngestProgress,
  'offload.job': {} as OffloadJob,
  'vault.locked': {} as { reason: 'manual' | 'idle' },
  'proxy.progress': {} as ProxyProgress,
  'export.progress': {} as ExportProgress,
  'sync.progress': {} as SyncProgress,
  'verify.progress': {} as VerifyProgress,
  'faces.progress': {} as FaceScanProgress,
} as const;

export type Calls = typeof calls;
export type CallName = keyof Calls;
export type EventName = keyof typeof events;
export type CallInput<K extends CallName> = z.input<Calls[K]['input']>;
export type CallOutput<K extends CallName> = Calls[K] extends CallSpec<z.ZodType, infer Output> ? Output : never;
export type EventPayload<K extends EventName> = (typeof events)[K];

export const callNames = Object.keys(calls) as CallName[];
export const eventNames = Object.keys(events) as EventName[];

/** What `window.safehouse` is: one async function per call, one subscribe function per event. */
export type SafehouseApi = {
  [K in CallName]: (input: CallInput<K>) => Promise<Result<CallOutput<K>>>;
} & {
  [K in EventName]: (listener: (payload: EventPayload<K>) => void) => () => void;
};

export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(calls, name);
}
