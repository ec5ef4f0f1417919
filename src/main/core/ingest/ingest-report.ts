import type { Catalog } from '../catalog';
import type { KeyClass, UnlockedVault } from '../vault/vault';
import { recordObjects } from '../catalog/objects';
import type { OffloadSummary } from './offload';

/**
 * The per-ingest report: per clip what was found (by category and field, never the values), whether the
 * cleaned copy passed its proof and the verification, and what stayed on the card. Stored encrypted to
 * the proxy class in a normal vault; in a field vault to HQ (it names files), so a forced field passphrase
 * does not show it. The values themselves are in each clip's
 * findings object, sealed to the master class.
 */
export async function storeIngestReport(
  vault: UnlockedVault,
  catalog: Catalog,
  report: Omit<OffloadSummary, 'reportObjectId' | 'recovered'> & { startedAt: string },
): Promise<string> {
  const finishedAt = new Date().toISOString();
  const body = Buffer.from(JSON.stringify({ version: 1, ...report, finishedAt }));
  // It names files and folders: in a field vault it is sealed to HQ (sealClassFor), not to the crew.
  const cls = vault.sealClassFor('operational-text');
  const object = await vault.writeObject(cls, body, { role: 'ingest-report' });
  await catalog.transaction(async (tx) => {
    await recordObjects(tx, [{ id: object.id, cls, plainSize: object.plainSize }]);
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
  // A field vault sealed its reports to HQ: there is nothing it may show.
  const object = await catalog.get<{ class: KeyClass }>('SELECT class FROM objects WHERE id = ?', [row.report_object_id]);
  if (object && !vault.info.canOpen[object.class]) return null;
  const { data } = await vault.readObject(row.report_object_id);
  return JSON.parse(data.toString('utf8'));
}
