import type { CoreContext, HandlerMap } from '../core-context';
import { SafehouseError } from '../../../shared/errors';
import { cardVerdictFromCatalog, cardVerdictFromScan } from './card-files';
import { scanCard } from './card-scan';
import { wipeCardMedia } from './card-wipe';
import { isClipInVault } from './clip-records';
import { exportMaster } from './export-master';
import { exportCardMhl, exportCardMhlFolder } from './mhl-export';
import { readIngestReport } from './ingest-report';
import { loadLookupKeys } from './lookup-keys';
import { offloadCard } from './offload';
import { createOffloadQueue } from './offload-queue';
import { listIngestHistory } from './ingest-history';
import { listMountedVolumes } from './mounted-volumes';
import { retryClip } from './retry-clip';
import { writeTimecodePolicy } from './timecode-policy';
import type { IngestReport, OffloadResult } from '../../../shared/model';
import { buildProxiesForClips } from '../proxies/proxy-builder';
import { appendAudit } from '../audit/audit-log';
import { queueScansAfterOffload } from '../faces/handlers';

/** Contract handlers of the offload capability. */
export function ingestHandlers(context: CoreContext): HandlerMap {
  // Every offload, the CLI's and the window's, goes through one queue: one card at a time per process.
  const queue = createOffloadQueue({
    run: async ({ path, label, proxies }, hooks) => {
      const vault = context.requireVault();
      const tools = await context.mediaTools();
      const result = await offloadCard(vault, tools, path, {
        ...(label !== undefined ? { label } : {}),
        control: hooks.control,
        onStarted: hooks.onStarted,
        onProgress: (progress) => {
          vault.touch();
          hooks.onProgress(progress);
          context.hub.emit('offload.progress', progress);
        },
      });
      if (proxies === 'none') return result;
      return { ...result, proxies: await makeProxiesAfterOffload(context, result, proxies) };
    },
    onJob: (job) => context.hub.emit('offload.job', job),
    onHeartbeat: (progress) => context.hub.emit('offload.progress', progress),
  });
  return {
    'offload.start': async ({ path, label, proxies = 'background' }) => {
      context.requireVault();
      const job = queue.enqueue({ path, ...(label !== undefined ? { label } : {}), proxies });
      return queue.wait(job.id);
    },
    'offload.queue': async ({ path, label }) => {
      context.requireVault();
      return queue.enqueue({ path, ...(label !== undefined ? { label } : {}), proxies: 'background' });
    },
    'offload.jobs': async () => {
      context.requireVault();
      return queue.jobs();
    },
    'offload.pause': async ({ jobId, paused }) => {
      context.requireVault();
      return queue.pause(jobId, paused);
    },
    'offload.cancel': async ({ jobId }) => {
      context.requireVault();
      return queue.cancel(jobId);
    },
    'offload.history': async () => listIngestHistory(context.requireVault()),
    'cards.volumes': async () => {
      context.requireVault();
      return listMountedVolumes();
    },
    'offload.interrupted': async () => {
      const catalog = await context.requireVault().catalog();
      const rows = await catalog.all<{ id: string; card_id: string; started_at: string }>(
        'SELECT id, card_id, started_at FROM ingests WHERE finished_at IS NULL ORDER BY started_at DESC',
      );
      // The offload running right now has no end yet either, but it is not interrupted.
      const running = new Set(queue.runningIngestIds());
      return rows.filter((row) => !running.has(row.id)).map((row) => ({ ingestId: row.id, cardId: row.card_id, startedAt: row.started_at }));
    },
    'offload.report': async ({ ingestId }) => {
      const vault = context.requireVault();
      const catalog = await vault.catalog();
      const report = (await readIngestReport(vault, catalog, ingestId)) as IngestReport | null;
      // What happened then, but "safe to wipe" as it stands now (a later run may have finished the card).
      return report && { ...report, ...(await cardVerdictFromCatalog(vault, catalog, report.cardId)) };
    },
    'card.check': async ({ path }) => {
      const vault = context.requireVault();
      return cardVerdictFromScan(await vault.catalog(), await loadLookupKeys(vault), await scanCard(path));
    },
    'clip.retry': async ({ id }) => retryClip(context.requireVault(), await context.mediaTools(), id),
    'export.master': async ({ clipId, outPath }) => exportMaster(context.requireVault(), await context.mediaTools(), clipId, outPath),
    'vault.setTimecodePolicy': async ({ policy }) => {
      const vault = context.requireVault();
      // A field vault cannot open masters; what leaves with them is decided where they can be opened.
      if (!vault.info.canOpen.master) throw new SafehouseError('KEY_CLASS_UNAVAILABLE', 'Only HQ decides what leaves with the masters; this field vault cannot.');
      return { timecodePolicy: await writeTimecodePolicy(vault, policy) };
    },
    'card.exportMhl': async ({ cardId, outPath }) => exportCardMhl(context.requireVault(), cardId, outPath),
    'card.exportMhlFolder': async ({ cardId, outDir }) => exportCardMhlFolder(context.requireVault(), cardId, outDir),
    'card.wipe': async ({ path }) => {
      const vault = context.requireVault();
      const catalog = await vault.catalog();
      const keys = await loadLookupKeys(vault);
      const scan = await scanCard(path);
      const verdict = await cardVerdictFromScan(catalog, keys, scan);
      if (!verdict.safeToWipe) {
        const n = verdict.wipeBlockers.length;
        throw new SafehouseError('NOT_SAFE', n === 0
          ? 'Nothing from this card is in the vault, so nothing was deleted.'
          : `${n} file${n === 1 ? ' on this card is' : 's on this card are'} not safely in the vault, so nothing was deleted.`);
      }
      const result = await wipeCardMedia(scan, (clipId) => {
        const clip = scan.clips.find((candidate) => candidate.id === clipId);
        return clip ? isClipInVault(catalog, keys, clip) : false;
      });
      await appendAudit(vault, 'card.wipe', { deleted: result.deleted.length, kept: result.kept.length });
      return { deleted: result.deleted, kept: result.kept.map((entry) => ({ file: entry.display, reason: entry.reason })) };
    },
  };
}

/**
 * Proxies of what the offload stored: the CLI waits for them, the window queues them and carries on.
 * A field vault cannot make them (masters are sealed to HQ), which is said rather than failed.
 */
async function makeProxiesAfterOffload(context: CoreContext, result: OffloadResult, mode: 'wait' | 'background'): Promise<NonNullable<OffloadResult['proxies']>> {
  const vault = context.requireVault();
  const clipIds = [...new Set(result.results.filter((entry) => entry.status === 'verified' && entry.clipId).map((entry) => entry.clipId!))];
  if (clipIds.length === 0) return { built: 0, failed: 0, queued: 0, note: null };
  if (!vault.info.canOpen.master) return { built: 0, failed: 0, queued: 0, note: 'Proxies are made at HQ: this field vault cannot open the masters.' };
  const tools = await context.mediaTools();
  const build = buildProxiesForClips(vault, tools, clipIds, (progress) => context.hub.emit('proxy.progress', progress));
  if (mode === 'background') {
    // The window then analyses the new clips for faces by itself, once their proxies are made (an editor
    // needs those first); the CLI runs `safehouse faces scan` when asked.
    void build
      .catch(() => undefined)
      .then(() => queueScansAfterOffload(context, clipIds))
      .catch(() => undefined);
    return { built: 0, failed: 0, queued: clipIds.length, note: null };
  }
  const outcomes = await build;
  const failed = outcomes.filter((outcome) => outcome.result === 'failed');
  return {
    built: outcomes.filter((outcome) => outcome.result === 'built' || outcome.result === 'current').length,
    failed: failed.length,
    queued: 0,
    note: failed.length > 0 ? `Proxy failed for ${failed.map((outcome) => `${outcome.code}: ${outcome.error ?? 'unknown error'}`).join('; ')}` : null,
  };
}
