import type { Catalog } from '../catalog';
import type { UnlockedVault } from '../vault/vault';
import { recordObjects } from '../catalog/objects';
import type { OffloadSummary } from './offload';

/**
 * The per-ingest report: per clip what was found (by category and field, never the values), whether the
 * cleaned copy passed its proof and the verification, and what stayed on the card. Stored encrypted to
 * the proxy class so the crew can read it on a field laptop; the values themselves are in each clip's
 * findings object, sealed to the master class.
 */
export async function storeIngestReport(
  vault: UnlockedVault,
  catalog: Catalog,
  report: Omit<OffloadSummary, 'reportObjectId' | 'recovered'> & { startedAt: string },
): Promise<string> {
  const finishedAt = new Date().toISOString();
  const body = Buffer.from(JSON.stringify({ version: 1, ...report, finishedAt }));
  const object = await vault.writeObject('proxy', body, { role: 'ingest-report' });
  await catalog.transaction(async (tx) => {
    await recordObjects(tx, [{ id: object.id, cls: 'proxy', plainSize: object.plainSize }]);
    await tx.run('UPDATE ingests SET finished_at = ?, report_object_id = ?, counts_json = ? WHERE id = ?', [
      finishedAt,
      object.id,
      JSON.stringify({ ...report.counts, safeToWipe: report.safeToWipe }),
      report.ingestId,
    ]);
  });
  return object.id;
}

export async function readIngestReport(vault: UnlockedVault, catalog: Catalog, ingestId?: string): Promise<unknown> {
  const row = ingestId
    ? await catalog.get<{ report_object_id: string | null }>('SELECT report_object_id FROM ingests WHERE id = ?', [ingestId])
    : await catalog.get<{ report_object_id: string | null }>('SELECT report_object_id FROM ingests WHERE report_object_id IS NOT NULL ORDER BY finished_at DESC LIMIT 1');
  if (!row?.report_object_id) return null;
  const { data } = await vault.readObject(row.report_object_id);
  return JSON.parse(data.toString('utf8'));
}
