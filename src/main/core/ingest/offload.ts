import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { toErrorShape } from '../../../shared/errors';
import type { ClipOutcome, IngestProgress, OffloadResult } from '../../../shared/model';
import type { MediaTools } from '../media/media-tools';
import type { UnlockedVault } from '../vault/vault';
import { scanCard, type CardScan } from './card-scan';
import { findOrCreateCard, recordFailedClip, removeUnrecordedObjects } from './clip-records';
import { ingestClip } from './ingest-clip';
import { cardVerdictFromCatalog, describeCardFiles, saveCardFiles } from './card-files';
import { failureKindOf } from './clip-failures';
import { closeInterruptedIngests } from './interrupted-ingests';
import { acquireIngestLock } from './ingest-lock';
import { recordCardFiles } from './card-file-hashes';
import { appendAudit } from '../audit/audit-log';
import { storeIngestReport } from './ingest-report';
import { loadLookupKeys } from './lookup-keys';
import { createProgressTracker, type ProgressTracker } from './progress';
import type { OpenCardFile } from './source-read';

export interface OffloadOptions {
  label?: string;
  onProgress?: (progress: IngestProgress) => void;
  /** Large files processed at once; defaults to the core count (each runs its own ffmpeg). Small files have one more lane. */
  concurrency?: number;
  /**
   * Pause and cancel from the window. Both act between files: a file being copied always finishes (or fails)
   * on its own terms, so the vault never holds a half-recorded clip; a cancelled card is reported like any
   * other, with the files not started listed as not copied.
   */
  control?: { waitWhilePaused(): Promise<void>; cancelled(): boolean };
  /** Called once the ingest is recorded, with the tracker a re-attaching window reads its state from. */
  onStarted?: (started: { ingestId: string; tracker: ProgressTracker }) => void;
  /** The file layer card files are read through; tests inject read errors here. */
  openCardFile?: OpenCardFile;
}

export type OffloadSummary = OffloadResult;

/** Files up to this size may also go to the extra lane for small files (see offloadCard). */
const SMALL_FILE_BYTES = 64 * 1024 * 1024;

/**
 * The crew's main job: a whole card into the vault. Files run in parallel, one per core plus a lane for small
 * files; one bad file gets its own clear result and the rest go on. Before starting, what a crash may have
 * left is cleaned up (partial staging files, objects renamed into place but never recorded), under a lock
 * so no other process is writing at the time. Verified clips from an earlier run are skipped.
 */
export async function offloadCard(vault: UnlockedVault, tools: MediaTools, root: string, options: OffloadOptions = {}): Promise<OffloadSummary> {
  const scan = await scanCard(root);
  const release = await acquireIngestLock(vault.info.dir);
  try {
    const catalog = await vault.catalog();
    const recovered = {
      stagingDiscarded: await vault.discardStaging(),
      unrecordedObjectsRemoved: await removeUnrecordedObjects(vault, catalog),
    };
    const keys = await loadLookupKeys(vault);
    const cardFingerprint = keys.cardFingerprint(scan.clips.map((clip) => clip.primary));
    const cardId = await findOrCreateCard(vault, catalog, cardFingerprint, options.label ?? `Card offloaded ${new Date().toISOString().slice(0, 10)}`);
    await closeInterruptedIngests(catalog);
    // The card's whole file list, before any clip: if this run is killed, `cards` still knows what is missing.
    const cardFiles = await describeCardFiles(scan, keys);
    await saveCardFiles(vault, catalog, cardId, cardFiles);
    const ingestId = randomBytes(12).toString('hex');
    const startedAt = new Date().toISOString();
    await catalog.transaction(async (tx) => {
      await tx.run('INSERT INTO ingests (id, card_id, started_at) VALUES (?, ?, ?)', [ingestId, cardId, startedAt]);
      await appendAudit(vault, 'ingest.start', { ingest: ingestId, card: cardId, files: scan.clips.length }, tx);
    });

    const tracker = createProgressTracker({
      ingestId,
      bytesTotal: scan.clips.reduce((total, clip) => total + clip.primary.size, 0),
      filesTotal: scan.clips.length,
      emit: (progress) => options.onProgress?.(progress),
    });
    options.onStarted?.({ ingestId, tracker });
    const results: ClipOutcome[] = new Array(scan.clips.length);
    // Largest files first, one lane per core: the small ones then fill in at the end, instead of one large
    // file finishing alone on one core while the other has nothing left to do. One more lane takes the
    // smallest files from the other end while the large ones run: a small file's time goes to starting
    // ffprobe and ffmpeg, not to work for the cores, and done at the end, two at a time, the ten small
    // files of the benchmark card took a second of their own. Results keep the card's order.
    const order = scan.clips.map((_, index) => index).sort((a, b) => scan.clips[b]!.primary.size - scan.clips[a]!.primary.size);
    let front = 0; // order[front, back) have not been started
    let back = order.length;
    const take = (end: 'largest' | 'smallest'): number | undefined => {
      if (front >= back) return undefined;
      if (end === 'largest') return order[front++];
      const index = order[back - 1]!;
      if (scan.clips[index]!.primary.size > SMALL_FILE_BYTES) return undefined; // left to the core lanes
      back -= 1;
      return index;
    };
    const worker = async (end: 'largest' | 'smallest') => {
      for (;;) {
        await options.control?.waitWhilePaused();
        if (options.control?.cancelled()) return;
        const index = take(end);
        if (index === undefined) return;
        const clip = scan.clips[index]!;
        const file = clip.primary.relPath;
        tracker.startFile(file, clip.primary.size);
        try {
          const layer = options.openCardFile ? { openCardFile: options.openCardFile } : {};
          results[index] = await ingestClip({ vault, catalog, tools, keys, cardId, ...layer, advance: (bytes, step) => tracker.advance(file, bytes, step) }, clip);
        } catch (error) {
          // A failure of this file only (unreadable mid-way, changed on the card, disk full) is reported
          // against it; the others go on. Disk full stops everything below, since nothing else can succeed.
          const shape = toErrorShape(error);
          const failureKind = failureKindOf(error);
          const reason = shape.code === 'INTERNAL' && error instanceof Error ? error.message : shape.message;
          const failed = await recordFailedClip(vault, catalog, { cardId, clip, reason, kind: failureKind, fingerprint: keys.fileFingerprint(file, clip.primary.size, clip.primary.mtimeMs) }).catch(() => null);
          results[index] = {
            file,
            clipId: failed?.id ?? null,
            code: failed?.code ?? null,
            status: 'failed',
            reason,
            failureKind,
            findings: { location: 0, identity: 0, device: 0 },
            sidecarsLeftOut: clip.sidecars.map((sidecar) => sidecar.relPath),
          };
          if (shape.code === 'DISK_FULL') front = back; // nothing else can succeed
        }
        tracker.finishFile(file);
      }
    };
    const concurrency = Math.max(1, Math.min(options.concurrency ?? os.availableParallelism(), scan.clips.length || 1));
    await Promise.all([...Array.from({ length: concurrency }, () => worker('largest')), worker('smallest')]);
    for (let index = 0; index < results.length; index += 1) {
      results[index] ??= {
        file: scan.clips[index]!.primary.relPath,
        clipId: null,
        code: null,
        status: 'failed',
        reason: options.control?.cancelled() ? 'not copied: the offload was cancelled before this file' : 'not attempted: the offload stopped early (disk full?)',
        failureKind: 'not-attempted',
        findings: { location: 0, identity: 0, device: 0 },
        sidecarsLeftOut: [],
      };
    }

    // Every other file on the card, for its ASC MHL; primaries whose clip holds their hash are not read again.
    await recordCardFiles(vault, catalog, { ingestId, cardId, scan });

    const notIngested = describeNotIngested(scan);
    const counts = {
      verified: results.filter((result) => result.status === 'verified').length,
      quarantined: results.filter((result) => result.status === 'quarantined').length,
      failed: results.filter((result) => result.status === 'failed' || result.status === 'pending').length,
      skipped: results.filter((result) => result.status === 'skipped').length,
    };
    // Safe to wipe: decided by the one rule (wipe-verdict.ts) over every file of the card, with each clip's
    // record as it now stands; a duplicate is held by the clip it duplicates.
    const clipIndex = new Map(scan.clips.map((clip, index) => [clip.primary.relPath, index]));
    for (const record of cardFiles) {
      const outcome = record.fingerprint ? results[clipIndex.get(record.file) ?? -1] : undefined;
      if (outcome?.clipId) record.clipId = outcome.clipId;
      else if (outcome?.status === 'failed') record.fixed = { state: 'failed', reason: outcome.failureKind ?? 'other' };
    }
    await saveCardFiles(vault, catalog, cardId, cardFiles);
    const { safeToWipe, wipeBlockers } = await cardVerdictFromCatalog(vault, catalog, cardId);
    const reportObjectId = await storeIngestReport(vault, catalog, { ingestId, cardId, startedAt, results, notIngested, counts, safeToWipe, wipeBlockers });
    await appendAudit(vault, 'ingest.finish', { ingest: ingestId, card: cardId, ...counts, safeToWipe });
    return { ingestId, cardId, results, notIngested, counts, safeToWipe, wipeBlockers, recovered, reportObjectId };
  } finally {
    await release();
  }
}

function describeNotIngested(scan: CardScan): OffloadSummary['notIngested'] {
  return [
    ...scan.unsafe.map((note) => ({ file: note.display, reason: note.reason, kind: 'unsafe' as const })),
    ...scan.problems.map((note) => ({ file: note.display, reason: note.reason, kind: 'problem' as const })),
    ...scan.unknown.map((file) => ({ file: file.relPath, reason: 'not a recognised media file; left on the card', kind: 'unknown' as const })),
    ...scan.skipped.map((note) => ({ file: note.display, reason: note.reason, kind: 'skipped' as const })),
  ];
}
