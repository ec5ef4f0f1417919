import type { CoreContext, HandlerMap } from '../core-context';
import { scanCard } from './card-scan';
import { wipeCardMedia } from './card-wipe';
import { isClipInVault } from './clip-records';
import { exportMaster } from './export-master';
import { readIngestReport } from './ingest-report';
import { loadLookupKeys } from './lookup-keys';
import { offloadCard } from './offload';
import type { IngestReport } from '../../../shared/model';

/** Contract handlers of the offload capability. */
export function ingestHandlers(context: CoreContext): HandlerMap {
  return {
    'offload.start': async ({ path, label }) => {
      const vault = context.requireVault();
      const tools = await context.mediaTools();
      return offloadCard(vault, tools, path, {
        ...(label !== undefined ? { label } : {}),
        onProgress: (progress) => {
          vault.touch();
          context.hub.emit('offload.progress', progress);
        },
      });
    },
    'offload.interrupted': async () => {
      const catalog = await context.requireVault().catalog();
      const rows = await catalog.all<{ id: string; card_id: string; started_at: string }>(
        'SELECT id, card_id, started_at FROM ingests WHERE finished_at IS NULL ORDER BY started_at DESC',
      );
      return rows.map((row) => ({ ingestId: row.id, cardId: row.card_id, startedAt: row.started_at }));
    },
    'offload.report': async ({ ingestId }) => {
      const vault = context.requireVault();
      return (await readIngestReport(vault, await vault.catalog(), ingestId)) as IngestReport | null;
    },
    'export.master': async ({ clipId, outPath }) => exportMaster(context.requireVault(), await context.mediaTools(), clipId, outPath),
    'card.wipe': async ({ path }) => {
      const vault = context.requireVault();
      const catalog = await vault.catalog();
      const keys = await loadLookupKeys(vault);
      const scan = await scanCard(path);
      const result = await wipeCardMedia(scan, (clipId) => {
        const clip = scan.clips.find((candidate) => candidate.id === clipId);
        return clip ? isClipInVault(catalog, keys, clip) : false;
      });
      return { deleted: result.deleted, kept: result.kept.map((entry) => ({ file: entry.display, reason: entry.reason })) };
    },
  };
}
