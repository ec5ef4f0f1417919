import type { ProxyProgress, ProxyStatus } from '../../../shared/model';
import { SafehouseError, toErrorShape } from '../../../shared/errors';
import { readTimecodePolicy } from '../ingest/timecode-policy';
import type { MediaTools } from '../media/media-tools';
import { makeProxy } from '../media/proxy';
import { getProtectionPlan } from '../subjects/protection-plan';
import { voiceParamsFor } from '../subjects/voice-params';
import type { UnlockedVault } from '../vault/vault';
import { FIELD_MOSAIC_FINGERPRINT } from './field-proxy';
import { proxyQueue } from './proxy-queue';
import { getProxyRow, getSourceClip, listProxyRows, proxyCandidateIds, removeProxy, replaceProxy, sourceTimecode } from './proxy-store';

/**
 * Keeps every clip's proxy current: missing → built, plan fingerprint changed → rebuilt (old objects
 * removed), subject excluded → proxy removed. Builds go through the shared queue (one ffmpeg per core).
 */

export type ProxyOutcome = { clipId: string; code: string; result: 'built' | 'current' | 'removed' | 'skipped' | 'failed'; error?: string };

/** Live state of builds in this process, for `proxies.status` (progress is not worth a catalog write). */
const live = new Map<string, { state: 'queued' | 'building' | 'failed'; fraction: number | null; error?: string }>();
const keyOf = (vault: UnlockedVault, clipId: string) => `${vault.info.id}:${clipId}`;

/** A plan can change while its proxy is being made; the job re-reads it and builds again (bounded). */
const MAX_ROUNDS = 3;

async function buildOne(vault: UnlockedVault, tools: MediaTools, clipId: string, onProgress?: (p: ProxyProgress) => void): Promise<ProxyOutcome> {
  const catalog = await vault.catalog();
  const clip = await getSourceClip(catalog, clipId);
  if (!clip) return { clipId, code: '', result: 'skipped', error: 'no such clip' };
  const emit = (p: Omit<ProxyProgress, 'clipId' | 'code'>) => onProgress?.({ clipId, code: clip.code, ...p });
  const key = keyOf(vault, clipId);
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    const plan = await getProtectionPlan(vault, clipId);
    if (plan.excluded) {
      const removed = await removeProxy(vault, catalog, clipId);
      if (removed) emit({ state: 'removed', fraction: null, fps: null });
      return { clipId, code: clip.code, result: 'removed' };
    }
    const current = await getProxyRow(catalog, clipId);
    if (current && current.plan_fingerprint === plan.fingerprint) return { clipId, code: clip.code, result: round === 0 ? 'current' : 'built' };
    if (!clip.master_object_id) return { clipId, code: clip.code, result: 'skipped', error: 'no sanitized master' };
    live.set(key, { state: 'building', fraction: 0 });
    emit({ state: 'building', fraction: 0, fps: null });
    const made = await makeProxy(vault, tools, {
      masterObjectId: clip.master_object_id,
      plan,
      clipCode: clip.code,
      timecode: (await readTimecodePolicy(vault)) === 'keep' ? sourceTimecode(vault, clip) : null,
      // With several disguised voices in one clip, the first subject's parameters disguise them all.
      disguise: plan.voice?.method === 'disguise' && plan.voice.subjectIds?.[0] ? await voiceParamsFor(vault, plan.voice.subjectIds[0]) : null,
      durationSeconds: clip.duration,
      onProgress: (sample) => {
        live.set(key, { state: 'building', fraction: sample.fraction });
        emit({ state: 'building', fraction: sample.fraction, fps: sample.fps ?? null });
      },
    });
    await replaceProxy(vault, catalog, clipId, made, plan);
    emit({ state: 'done', fraction: 1, fps: null });
  }
  return { clipId, code: clip.code, result: 'built' };
}

/**
 * Builds missing or stale proxies (all eligible clips, or those given) and removes excluded ones. Waits for
 * them; one failing clip does not stop the others (its outcome says why).
 */
export async function ensureProxies(
  vault: UnlockedVault,
  tools: MediaTools,
  clipIds?: readonly string[],
  onProgress?: (progress: ProxyProgress) => void,
): Promise<ProxyOutcome[]> {
  if (!vault.info.canOpen.master) {
    // A field vault cannot decrypt masters: HQ makes the proxies.
    throw new SafehouseError('KEY_CLASS_UNAVAILABLE', 'Proxies are made from the masters, which this field vault cannot open; HQ makes them.');
  }
  const catalog = await vault.catalog();
  const ids = await proxyCandidateIds(catalog, clipIds);
  return Promise.all(
    ids.map((clipId) => {
      const key = keyOf(vault, clipId);
      if (!proxyQueue.isRunning(key)) live.set(key, { state: 'queued', fraction: null });
      return proxyQueue
        .run(key, () => buildOne(vault, tools, clipId, onProgress))
        .then((outcome) => {
          live.delete(key);
          return outcome;
        })
        .catch((error: unknown): ProxyOutcome => {
          const message = toErrorShape(error).message;
          live.set(key, { state: 'failed', fraction: null, error: message });
          onProgress?.({ clipId, code: '', state: 'failed', fraction: null, fps: null, error: message });
          return { clipId, code: '', result: 'failed', error: message };
        });
    }),
  );
}

/** What the offload calls after it verified clips: builds their proxies before returning. */
export function buildProxiesForClips(
  vault: UnlockedVault,
  tools: MediaTools,
  clipIds: readonly string[],
  onProgress?: (progress: ProxyProgress) => void,
): Promise<ProxyOutcome[]> {
  return ensureProxies(vault, tools, clipIds, onProgress);
}

/** Status of every clip's proxy: ready, stale (plan changed), missing, queued/building, failed, excluded. */
export async function proxyStatuses(vault: UnlockedVault, clipIds?: readonly string[]): Promise<ProxyStatus[]> {
  const catalog = await vault.catalog();
  const rows = await listProxyRows(catalog);
  const ids = await proxyCandidateIds(catalog, clipIds);
  const codes = new Map((await catalog.all<{ id: string; code: string }>('SELECT id, code FROM clips')).map((r) => [r.id, r.code]));
  const out: ProxyStatus[] = [];
  for (const clipId of ids) {
    const row = rows.get(clipId);
    const plan = await getProtectionPlan(vault, clipId);
    const running = live.get(keyOf(vault, clipId));
    let state: ProxyStatus['state'];
    if (running) state = running.state;
    else if (plan.excluded) state = 'excluded';
    else if (!row) state = 'missing';
    // A field mosaic is stale wherever the master opens (HQ rebuilds it) and the only proxy there can be where it does not.
    else if (row.plan_fingerprint === FIELD_MOSAIC_FINGERPRINT) state = vault.info.canOpen.master ? 'stale' : 'ready';
    else state = row.plan_fingerprint === plan.fingerprint ? 'ready' : 'stale';
    out.push({
      clipId,
      code: codes.get(clipId) ?? '',
      state,
      mode: row?.mode ?? null,
      fraction: running?.fraction ?? null,
      hasThumbnails: row?.thumbs_object_id != null,
      ...(running?.error ? { error: running.error } : {}),
    });
  }
  return out;
}
