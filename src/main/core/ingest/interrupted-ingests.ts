import type { Catalog } from '../catalog';

/**
 * Ingests a killed process left open (no finish time) are closed by the next run, which holds the ingest
 * lock, so nothing else can be writing them. Their clips are judged on their own: failed and unverified
 * ones are redone by this run.
 */
export async function closeInterruptedIngests(catalog: Catalog, now = new Date().toISOString()): Promise<number> {
  const open = await catalog.all<{ id: string }>('SELECT id FROM ingests WHERE finished_at IS NULL');
  if (open.length === 0) return 0;
  await catalog.run('UPDATE ingests SET finished_at = ?, counts_json = ? WHERE finished_at IS NULL', [now, JSON.stringify({ interrupted: true })]);
  return open.length;
}
