import { SafehouseError, toErrorShape } from '../../../shared/errors';
import type { FaceScanOutcome, FaceScanProgress } from '../../../shared/model';
import { appendAudit } from '../audit/audit-log';
import type { MediaTools } from '../media/media-tools';
import { ProxyQueue } from '../proxies/proxy-queue';
import { emitProtectionChanged } from '../subjects/protection-events';
import type { UnlockedVault } from '../vault/vault';
import { analyseMaster, DEFAULT_SCAN, type ScanSettings } from './face-analysis';
import { replaceDetectedTracks, scannedClipIds } from './face-store';
import { refreshProposals, storeDescriptors } from './proposals';

/**
 * Queues face analyses: at most one per core (each is one ffmpeg decoding plus one worker thread running
 * the network), keyed by vault and clip so a second request for the same clip joins the first. Every scan
 * can be cancelled; a cancelled or failed scan stores nothing.
 */

export const faceQueue = new ProxyQueue();
const running = new Map<string, AbortController>();
const queued = new Set<string>();
const cancelRequested = new Set<string>();
const keyOf = (vault: UnlockedVault, clipId: string) => `${vault.info.id}:${clipId}`;

interface CandidateRow {
  id: string;
  code: string;
  master_object_id: string;
  duration: number | null;
}

async function candidates(vault: UnlockedVault, clipIds?: readonly string[]): Promise<{ rows: CandidateRow[]; skipped: { id: string; code: string }[] }> {
  const catalog = await vault.catalog();
  const rows = await catalog.all<CandidateRow & { kind: string; status: string }>('SELECT id, code, kind, status, master_object_id, duration FROM clips ORDER BY code');
  const eligible = (row: (typeof rows)[number]) => row.kind === 'video' && row.status === 'verified' && row.master_object_id !== null;
  if (!clipIds) {
    const done = await scannedClipIds(catalog);
    return { rows: rows.filter((row) => eligible(row) && !done.has(row.id)), skipped: [] };
  }
  const wanted = new Set(clipIds);
  const known = new Set(rows.map((row) => row.id));
  const missing = clipIds.filter((id) => !known.has(id));
  if (missing.length > 0) throw new SafehouseError('NOT_FOUND', `No clip with id ${missing[0]} in this vault.`);
  const chosen = rows.filter((row) => wanted.has(row.id));
  return { rows: chosen.filter(eligible), skipped: chosen.filter((row) => !eligible(row)).map((row) => ({ id: row.id, code: row.code })) };
}

async function scanOne(vault: UnlockedVault, tools: MediaTools, clip: CandidateRow, settings: ScanSettings, emit: (p: FaceScanProgress) => void): Promise<FaceScanOutcome> {
  const key = keyOf(vault, clip.id);
  queued.delete(key);
  if (cancelRequested.delete(key)) throw new SafehouseError('CANCELLED', 'The face scan was cancelled.');
  const controller = new AbortController();
  running.set(key, controller);
  const started = performance.now();
  try {
    emit({ clipId: clip.id, code: clip.code, state: 'analysing', fraction: 0 });
    const result = await analyseMaster(vault, tools, clip.master_object_id, clip.duration, {
      settings,
      signal: controller.signal,
      onProgress: (fraction) => emit({ clipId: clip.id, code: clip.code, state: 'analysing', fraction }),
    });
    const catalog = await vault.catalog();
    await catalog.transaction(async (tx) => {
      const trackIds = await replaceDetectedTracks(tx, clip.id, result.tracks, { frames: result.frames, settings: { sampleFps: settings.sampleFps, detectWidth: settings.detectWidth, gridRows: settings.gridRows } });
      // Descriptors are sealed to the identity class here, before anything else could see them, and only at HQ.
      const described = vault.info.canOpen.identity ? await storeDescriptors(vault, tx, clip.id, trackIds, result.descriptors) : 0;
      for (const descriptor of result.descriptors) descriptor?.fill(0);
      await appendAudit(vault, 'faces.scan', { clip: clip.id, tracks: result.tracks.length, frames: result.frames, described });
      await refreshProposals(vault, tx);
    });
    emitProtectionChanged([clip.id]);
    emit({ clipId: clip.id, code: clip.code, state: 'done', fraction: 1, tracks: result.tracks.length });
    return { clipId: clip.id, code: clip.code, result: 'done', tracks: result.tracks.length, frames: result.frames, seconds: (performance.now() - started) / 1000 };
  } finally {
    running.delete(key);
  }
}

export interface ScanRequest {
  clipIds?: readonly string[] | undefined;
  settings?: ScanSettings;
  onProgress?: (progress: FaceScanProgress) => void;
}

/** Analyses the given clips (default: every video clip not analysed yet) and stores their tracks. */
export async function scanClips(vault: UnlockedVault, tools: MediaTools, request: ScanRequest = {}): Promise<FaceScanOutcome[]> {
  if (!vault.info.canOpen.master) {
    throw new SafehouseError('KEY_CLASS_UNAVAILABLE', 'Faces are found in the masters, which this field vault cannot open; HQ analyses them.');
  }
  const emit = request.onProgress ?? (() => undefined);
  const settings = request.settings ?? DEFAULT_SCAN;
  const { rows, skipped } = await candidates(vault, request.clipIds);
  const skippedOutcomes = skipped.map((clip): FaceScanOutcome => {
    emit({ clipId: clip.id, code: clip.code, state: 'skipped', fraction: null, error: 'not a verified video clip' });
    return { clipId: clip.id, code: clip.code, result: 'skipped', tracks: 0, frames: 0, seconds: 0, error: 'not a verified video clip' };
  });
  for (const clip of rows) {
    queued.add(keyOf(vault, clip.id));
    emit({ clipId: clip.id, code: clip.code, state: 'queued', fraction: null });
  }
  const outcomes = await Promise.all(
    rows.map((clip) =>
      faceQueue.run(keyOf(vault, clip.id), () => scanOne(vault, tools, clip, settings, emit)).catch((error: unknown): FaceScanOutcome => {
        const shape = toErrorShape(error);
        const cancelled = shape.code === 'CANCELLED';
        emit({ clipId: clip.id, code: clip.code, state: cancelled ? 'cancelled' : 'failed', fraction: null, error: shape.message });
        return { clipId: clip.id, code: clip.code, result: cancelled ? 'cancelled' : 'failed', tracks: 0, frames: 0, seconds: 0, error: shape.message };
      }),
    ),
  );
  return [...outcomes, ...skippedOutcomes];
}

/** Stops running scans (all, or of the given clips). Queued ones stop when they would start. */
export function cancelScans(vault: UnlockedVault | null, clipIds?: readonly string[]): number {
  const chosen = (key: string) => {
    if (vault && !key.startsWith(`${vault.info.id}:`)) return false;
    return !clipIds || clipIds.includes(key.slice(key.indexOf(':') + 1));
  };
  let cancelled = 0;
  for (const key of [...queued].filter(chosen)) {
    queued.delete(key);
    cancelRequested.add(key);
    cancelled += 1;
  }
  for (const [key, controller] of running) {
    if (!chosen(key)) continue;
    controller.abort();
    cancelled += 1;
  }
  return cancelled;
}
