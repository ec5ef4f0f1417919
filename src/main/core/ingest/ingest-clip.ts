import path from 'node:path';
import { SafehouseError } from '../../../shared/errors';
import type { ClipOutcome, IngestStep, QuarantineReason, StreamSummary } from '../../../shared/model';
import type { Catalog } from '../catalog';
import type { ProbeResult } from '../media/ffprobe-parse';
import type { MediaTools } from '../media/media-tools';
import { scanMetadata, type MetadataFinding } from '../media/metadata-scan';
import { needlesFromFindings } from '../media/needles';
import { probeFile } from '../media/probe';
import { createCleanlinessProver, type ProofResult } from '../media/proof';
import { sanitizeAv } from '../media/sanitize';
import { cleanStill } from '../media/still-clean';
import { startFieldProxy } from '../proxies/field-proxy';
import type { UnlockedVault, WrittenObject } from '../vault/vault';
import type { CardClip } from './card-scan';
import { findClipByFingerprint, findVerifiedByContent, forgetClip, insertClip, type NewClip, type SourceHashes } from './clip-records';
import type { LookupKeys } from './lookup-keys';
import { readSource, type OpenCardFile } from './source-read';
import { hashFile } from './hashing';
import { verifyClip } from './verify';
import { isTransient, quarantineText, stillQuarantineReason } from './clip-failures';
import { startContentCheck } from '../media/content-check';

/** Largest still cleaned in memory; anything bigger is not a photo we know how to clean. */
const MAX_STILL_BYTES = 256 * 1024 * 1024;

export interface ClipIngestContext {
  vault: UnlockedVault;
  catalog: Catalog;
  tools: MediaTools;
  keys: LookupKeys;
  cardId: string;
  /** A retry of this quarantined clip (retry-clip.ts): it is not a duplicate of itself. */
  retryOf?: string;
  /** The file layer card files are read through (tests inject faults); the real one by default. */
  openCardFile?: OpenCardFile;
  /** Bytes of this file's work done, in source bytes, and the step it is in. */
  advance(bytes: number, step: IngestStep): void;
}

export type { ClipOutcome };

const countFindings = (findings: MetadataFinding[]) => ({
  location: findings.filter((finding) => finding.category === 'location').length,
  identity: findings.filter((finding) => finding.category === 'identity').length,
  device: findings.filter((finding) => finding.category === 'device').length,
});

/**
 * Offloads one clip: hash and scan the source, sanitize (or clean a still), prove the result clean while
 * it streams into the vault, commit, then verify by re-reading both the object and the source. A clip that
 * cannot be cleaned or proven is stored encrypted as the untouched original and quarantined; nothing from
 * the card is ever lost, and nothing unproven is ever treated as clean.
 */
export async function ingestClip(context: ClipIngestContext, clip: CardClip): Promise<ClipOutcome> {
  const { vault, catalog, keys } = context;
  const file = clip.primary.relPath;
  const sidecarsLeftOut = clip.sidecars.map((sidecar) => sidecar.relPath);
  const base = { file, sidecarsLeftOut, findings: { location: 0, identity: 0, device: 0 } };
  const fingerprint = keys.fileFingerprint(file, clip.primary.size, clip.primary.mtimeMs);

  const previous = await findClipByFingerprint(catalog, fingerprint);
  if (previous) {
    if (previous.verified_at !== null) {
      return { ...base, clipId: previous.id, code: previous.code, status: 'skipped', reason: `already in the vault as ${previous.code} (${previous.status})` };
    }
    if ((previous.status === 'pending' || previous.status === 'quarantined') && previous.master_object_id) {
      // Committed before a crash, not yet verified: verify now instead of ingesting again.
      const verified = await verifyClip(context, previous.id, clip.primary.absPath);
      return { ...base, clipId: previous.id, code: previous.code, ...verified };
    }
    await forgetClip(vault, catalog, previous);
  }
  return storeAndVerify(context, clip);
}

/** Stores a clip as a new record (cleaned master, or the original quarantined) and verifies it. */
export async function storeAndVerify(context: ClipIngestContext, clip: CardClip): Promise<ClipOutcome> {
  const base = { file: clip.primary.relPath, sidecarsLeftOut: clip.sidecars.map((sidecar) => sidecar.relPath), findings: { location: 0, identity: 0, device: 0 } };
  const fingerprint = context.keys.fileFingerprint(clip.primary.relPath, clip.primary.size, clip.primary.mtimeMs);
  const stored = clip.kind === 'still' ? await storeStill(context, clip, fingerprint) : await storeAv(context, clip, fingerprint);
  if ('skipped' in stored) return { ...base, ...stored.skipped };
  const verified = await verifyClip(context, stored.id, clip.primary.absPath);
  return { ...base, clipId: stored.id, code: stored.code, ...verified, findings: stored.findings };
}

type Stored =
  | { id: string; code: string; status: NewClip['status']; reason: string | null; findings: ClipOutcome['findings']; quarantineReason?: QuarantineReason }
  | { skipped: Pick<ClipOutcome, 'clipId' | 'code' | 'status' | 'reason'> };

async function storeAv(context: ClipIngestContext, clip: CardClip, fingerprint: string): Promise<Stored> {
  const { tools } = context;
  const abs = clip.primary.absPath;
  let probe: ProbeResult;
  try {
    probe = await probeFile(tools, abs);
  } catch (error) {
    if (isTransient(error)) throw error; // a hung or crashed ffprobe is retried, not a verdict on the file
    return quarantineOriginal(context, clip, fingerprint, [], null, 'not-media');
  }
  context.advance(0, 'hash');
  const [source, scanned] = await Promise.all([
    readSource(abs, { scanBytes: true, onBytes: (bytes) => context.advance(bytes / 3, 'hash'), ...cardLayer(context) }),
    scanMetadata(tools, { file: abs, kind: clip.kind, sidecars: clip.sidecars.map((sidecar) => sidecar.absPath), byteScan: false, probe }),
  ]);
  const findings = [...scanned, ...source.coordinateHits.map((hit) => byteFinding(hit, file(clip)))];
  const duplicate = await skipIfDuplicate(context, source.blake2b256);
  if (duplicate) return duplicate;

  const video = probe.streams.find((stream) => stream.type === 'video' && !stream.attachedPic);
  const audio = probe.streams.filter((stream) => stream.type === 'audio');
  if (!video && audio.length === 0) {
    return quarantineOriginal(context, clip, fingerprint, findings, source, 'no-audio-or-video');
  }
  context.advance(0, 'sanitize');
  const run = sanitizeAv(tools, abs, {
    hasVideo: Boolean(video),
    hasAudio: audio.length > 0,
    ...(video ? { videoCodec: video.codec } : {}),
    audioCodecs: audio.map((stream) => stream.codec),
  });
  const prover = createCleanlinessProver(tools, { needles: needlesFromFindings(findings), kind: clip.kind });
  const content = startContentCheck(tools, abs, clip.primary.size);
  const writer = await context.vault.createObjectWriter('master', { role: 'sanitized-master', container: run.container });
  const duration = probe.duration ?? 0;
  // A field vault cannot open its masters later: its mosaic proxy is made now from the same bytes (field-proxy.ts).
  const fieldProxy = video ? startFieldProxy(context.vault, context.tools, { ...video, durationSeconds: duration }) : null;
  let proof: ProofResult;
  // The sanitize pass is the middle third of this file's progress, counted by the cleaned bytes written (a
  // remux is about the size of its source): a long clip's bar then moves through it instead of freezing.
  const third = clip.primary.size / 3;
  let sanitizedCounted = 0;
  let sanitizedBytes = 0;
  let lost: Awaited<ReturnType<typeof content.finish>>;
  try {
    for await (const chunk of run.output as AsyncIterable<Buffer>) {
      prover.push(chunk);
      await Promise.all([writer.write(chunk), content.push(chunk), fieldProxy?.push(chunk)]);
      sanitizedBytes += chunk.length;
      const share = Math.min(sanitizedBytes, clip.primary.size) / 3;
      context.advance(share - sanitizedCounted, 'sanitize');
      sanitizedCounted = share;
    }
    fieldProxy?.end();
    await run.done;
    context.advance(0, 'prove');
    [proof, lost] = await Promise.all([prover.finish(), content.finish()]);
  } catch (error) {
    run.kill();
    content.abort();
    fieldProxy?.abort();
    await writer.abort();
    // Disk full, a crashed or hung tool, a card read error: the clip is left failed and the next run retries it.
    if (isTransient(error)) throw error;
    return quarantineOriginal(context, clip, fingerprint, findings, source, 'cannot-sanitize');
  }
  context.advance(Math.max(third - sanitizedCounted, 0), 'encrypt');
  if (!proof.clean || lost) {
    fieldProxy?.abort();
    await writer.abort();
    return quarantineOriginal(context, clip, fingerprint, findings, source, lost ? lost.code : 'proof-failed', proof.clean ? null : proof.problems);
  }
  const master = await writer.commit();
  const streams: StreamSummary[] = [
    ...(video ? [{ type: 'video' as const, codec: video.codec, ...(video.width ? { width: video.width } : {}), ...(video.height ? { height: video.height } : {}) }] : []),
    ...audio.map((stream) => ({ type: 'audio' as const, codec: stream.codec, ...(stream.sampleRate ? { sampleRate: stream.sampleRate } : {}), ...(stream.channels ? { channels: stream.channels } : {}) })),
  ];
  const stored = await record(context, clip, fingerprint, {
    status: 'pending',
    reason: null,
    source,
    master,
    findings,
    proof,
    durationSeconds: duration > 0 ? duration : null,
    streams,
    timecode: probe.timecode ?? null,
  });
  if (fieldProxy && 'id' in stored) await fieldProxy.keep(context.catalog, stored.id);
  return stored;
}

async function storeStill(context: ClipIngestContext, clip: CardClip, fingerprint: string): Promise<Stored> {
  const abs = clip.primary.absPath;
  if (clip.primary.size > MAX_STILL_BYTES) return quarantineOriginal(context, clip, fingerprint, [], null, 'still-too-large');
  const chunks: Buffer[] = [];
  const source = await readSource(abs, { scanBytes: true, onBytes: (bytes) => context.advance(bytes / 3, 'hash'), sink: async (chunk) => void chunks.push(Buffer.from(chunk)), ...cardLayer(context) });
  const bytes = Buffer.concat(chunks);
  const findings = [
    ...(await scanMetadata(context.tools, { file: abs, kind: 'still', sidecars: clip.sidecars.map((sidecar) => sidecar.absPath), byteScan: false, bytes })),
    ...source.coordinateHits.map((hit) => byteFinding(hit, file(clip))),
  ];
  const duplicate = await skipIfDuplicate(context, source.blake2b256);
  if (duplicate) return duplicate;
  context.advance(0, 'sanitize');
  let cleaned: Buffer;
  try {
    cleaned = cleanStill(bytes, path.extname(abs));
  } catch {
    return quarantineOriginal(context, clip, fingerprint, findings, source, stillQuarantineReason(bytes, path.extname(abs)));
  }
  const prover = createCleanlinessProver(context.tools, { needles: needlesFromFindings(findings), kind: 'still', ext: path.extname(abs) });
  prover.push(cleaned);
  context.advance(0, 'prove');
  const proof = await prover.finish();
  if (!proof.clean) return quarantineOriginal(context, clip, fingerprint, findings, source, 'proof-failed', proof.problems);
  const master = await context.vault.writeObject('master', cleaned, { role: 'sanitized-master', container: 'still' });
  context.advance(clip.primary.size / 3, 'encrypt');
  return record(context, clip, fingerprint, {
    status: 'pending',
    reason: null,
    source,
    master,
    findings,
    proof,
    durationSeconds: null,
    streams: [],
    timecode: null,
  });
}

/**
 * Keeps the untouched original, encrypted to the master class, and marks the clip quarantined: it can
 * never be exported and shows as needing review, but nothing from the card is lost.
 */
async function quarantineOriginal(
  context: ClipIngestContext,
  clip: CardClip,
  fingerprint: string,
  findings: MetadataFinding[],
  knownSource: { xxh64: string; blake2b256: string } | null,
  reason: QuarantineReason,
  proofProblems: string[] | null = null,
): Promise<Stored> {
  context.advance(0, 'encrypt');
  const writer = await context.vault.createObjectWriter('master', { role: 'quarantined-original' });
  let source;
  try {
    source = await readSource(clip.primary.absPath, { scanBytes: false, sink: (chunk) => writer.write(chunk), ...cardLayer(context) });
  } catch (error) {
    await writer.abort();
    throw error;
  }
  if (knownSource && knownSource.blake2b256 !== source.blake2b256) {
    await writer.abort();
    throw new SafehouseError('SOURCE_CHANGED', `${file(clip)} changed on the card while it was being read. Check the card and run the offload again.`);
  }
  const master = await writer.commit();
  return record(context, clip, fingerprint, {
    status: 'quarantined',
    reason: quarantineText(reason),
    quarantineReason: reason,
    source,
    master,
    findings,
    proof: proofProblems ? { clean: false, problems: proofProblems } : null,
    durationSeconds: null,
    streams: [],
    timecode: null,
  });
}

async function skipIfDuplicate(context: ClipIngestContext, blake2b256: string): Promise<Stored | null> {
  const existing = await findVerifiedByContent(context.catalog, context.keys.contentKey(blake2b256), context.retryOf);
  if (!existing) return null;
  return { skipped: { clipId: existing.id, code: existing.code, status: 'skipped', reason: `the same file is already in the vault as ${existing.code}` } };
}

interface Recorded {
  status: NewClip['status'];
  reason: string | null;
  quarantineReason?: QuarantineReason;
  /** The first read's hashes of the card file. */
  source: Pick<SourceHashes, 'xxh64' | 'blake2b256'>;
  /** What went into the vault; its plaintext digest is what verification must read back. */
  master: WrittenObject;
  findings: MetadataFinding[];
  proof: ProofResult | null;
  durationSeconds: number | null;
  streams: StreamSummary[];
  timecode: string | null;
}

/** Seals the detailed findings (values included) to the master class and records the clip. */
async function record(context: ClipIngestContext, clip: CardClip, fingerprint: string, result: Recorded): Promise<Stored> {
  const details = {
    file: file(clip),
    layout: clip.layout,
    kind: clip.kind,
    findings: result.findings,
    sidecarsLeftOnCard: clip.sidecars.map((sidecar) => ({ file: sidecar.relPath, carriesLocation: sidecar.carriesLocation })),
    proof: result.proof,
    timecode: result.timecode,
  };
  const report = await context.vault.writeObject('master', Buffer.from(JSON.stringify(details)), { role: 'clip-findings' });
  const findings = countFindings(result.findings);
  const { id, code } = await insertClip(context.vault, context.catalog, {
    cardId: context.cardId,
    kind: clip.kind,
    status: result.status,
    reason: result.reason,
    ...(result.quarantineReason ? { quarantineReason: result.quarantineReason } : {}),
    originalName: file(clip),
    fileFingerprint: fingerprint,
    contentKey: context.keys.contentKey(result.source.blake2b256),
    hashes: {
      xxh64: result.source.xxh64,
      blake2b256: result.source.blake2b256,
      storedXxh64: result.master.xxh64,
      sourceMtimeMs: clip.primary.mtimeMs,
      ...(await sealedFileDigest(context.vault, result.master.id)),
    },
    sizeBytes: clip.primary.size,
    durationSeconds: result.durationSeconds,
    streams: result.streams,
    objects: [
      { id: result.master.id, cls: 'master', plainSize: result.master.plainSize, role: 'master' },
      { id: report.id, cls: 'master', plainSize: report.plainSize, role: 'report' },
    ],
    summary: {
      findings,
      fields: [...new Set(result.findings.map((finding) => `${finding.category}: ${finding.field}`))],
      sidecarsLeftOnCard: details.sidecarsLeftOnCard,
      proof: result.proof ? { clean: result.proof.clean, problems: result.proof.problems } : null,
      timecode: result.timecode,
    },
  });
  return { id, code, status: result.status, reason: result.reason, findings, ...(result.quarantineReason ? { quarantineReason: result.quarantineReason } : {}) };
}

/**
 * A field vault cannot decrypt its own masters (they are sealed to HQ), so verification there compares the
 * encrypted file with its digest taken right after it was written. HQ verifies the content on import.
 */
async function sealedFileDigest(vault: ClipIngestContext['vault'], objectId: string): Promise<{ sealedFileBlake2b256?: string }> {
  if (vault.info.canOpen.master) return {};
  return { sealedFileBlake2b256: (await hashFile(vault.objectFile(objectId))).blake2b256 };
}

function byteFinding(hit: { raw: string; lat?: number; lon?: number }, fileName: string): MetadataFinding {
  return { category: 'location', source: 'bytes', field: 'coordinates in the file bytes', value: hit.raw, file: fileName, ...(hit.lat !== undefined ? { lat: hit.lat } : {}), ...(hit.lon !== undefined ? { lon: hit.lon } : {}) };
}

const file = (clip: CardClip) => clip.primary.relPath;
const cardLayer = (context: ClipIngestContext) => (context.openCardFile ? { open: context.openCardFile } : {});
