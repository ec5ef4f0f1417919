import type { IngestHistoryEntry } from '../../../shared/model';
import type { UnlockedVault } from '../vault/vault';

interface HistoryRow {
  id: string;
  card_id: string;
  started_at: string;
  finished_at: string;
  counts_json: string | null;
  label_sealed: Uint8Array | null;
}

/** Finished offloads, newest first, each with the counts stored at its end: the list of reports to open. */
export async function listIngestHistory(vault: UnlockedVault, limit = 200): Promise<IngestHistoryEntry[]> {
  const catalog = await vault.catalog();
  const rows = await catalog.all<HistoryRow>(
    `SELECT ingests.id, ingests.card_id, ingests.started_at, ingests.finished_at, ingests.counts_json, cards.label_sealed
       FROM ingests JOIN cards ON cards.id = ingests.card_id
      WHERE ingests.report_object_id IS NOT NULL
      ORDER BY ingests.finished_at DESC LIMIT ?`,
    [limit],
  );
  return rows.map((row) => {
    const stored = row.counts_json ? (JSON.parse(row.counts_json) as Partial<IngestHistoryEntry['counts']> & { safeToWipe?: boolean }) : {};
    return {
      ingestId: row.id,
      cardId: row.card_id,
      cardLabel: row.label_sealed ? vault.openText(row.label_sealed) : '',
      startedAt: row.started_at,
      finishedAt: row.finished_at,
      counts: { verified: stored.verified ?? 0, quarantined: stored.quarantined ?? 0, failed: stored.failed ?? 0, skipped: stored.skipped ?? 0 },
      safeToWipe: stored.safeToWipe === true,
    };
  });
}
