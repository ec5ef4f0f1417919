import type { ObjectProblemKind } from '../../../shared/model';
import type { Catalog } from '../catalog';

/**
 * Damage a vault verification found, kept in the catalog (table object_damage) so that what reads "is this
 * card's footage safely in the vault?" also hears about a vault copy found tampered with or gone since it
 * was verified at ingest.
 */

/** Problems a header-only check can see; a deep check sees these and the content problems. */
const HEADER_PROBLEMS: readonly ObjectProblemKind[] = ['missing', 'header-damaged', 'wrong-class', 'size-mismatch'];

export interface DamageFinding {
  objectId: string;
  problem: ObjectProblemKind;
}

/**
 * Records one verification run: what it found damaged is (re)recorded; an object it found sound loses its
 * record, but a header-only run clears only what a header check can see (content damage found by an earlier
 * deep run stays until a deep run finds the content sound).
 */
export async function recordVerification(catalog: Catalog, run: { deep: boolean; sound: string[]; damaged: DamageFinding[]; at: string }): Promise<void> {
  await catalog.transaction(async (tx) => {
    for (const id of run.sound) {
      if (run.deep) await tx.run('DELETE FROM object_damage WHERE object_id = ?', [id]);
      else await tx.run(`DELETE FROM object_damage WHERE object_id = ? AND problem IN (${HEADER_PROBLEMS.map(() => '?').join(', ')})`, [id, ...HEADER_PROBLEMS]);
    }
    for (const finding of run.damaged) {
      await tx.run('INSERT INTO object_damage (object_id, detected_at, problem) VALUES (?, ?, ?) ON CONFLICT (object_id) DO UPDATE SET problem = excluded.problem, detected_at = excluded.detected_at', [
        finding.objectId, run.at, finding.problem,
      ]);
    }
    // Records of objects the catalog no longer has (a clip redone, a proxy replaced) mean nothing any more.
    await tx.run('DELETE FROM object_damage WHERE object_id NOT IN (SELECT id FROM objects)');
  });
}

/**
 * Clips whose stored footage (the master, or the sealed original of a quarantined clip) a verification
 * found damaged or missing. For the safe-to-wipe verdict: such a clip is not safely in the vault, whatever
 * its status says, and the card file is the only good copy left.
 */
export async function damagedClipIds(catalog: Catalog): Promise<Set<string>> {
  const rows = await catalog.all<{ id: string }>('SELECT clips.id AS id FROM clips JOIN object_damage ON object_damage.object_id = clips.master_object_id');
  return new Set(rows.map((row) => row.id));
}

/** Ids of every object a verification found damaged or missing (for verdicts that look at objects). */
export async function damagedObjectIds(catalog: Catalog): Promise<Set<string>> {
  const rows = await catalog.all<{ object_id: string }>('SELECT object_id FROM object_damage');
  return new Set(rows.map((row) => row.object_id));
}

/** The recorded problem of every damaged object. */
export async function recordedDamage(catalog: Catalog): Promise<Map<string, ObjectProblemKind>> {
  const rows = await catalog.all<{ object_id: string; problem: ObjectProblemKind }>('SELECT object_id, problem FROM object_damage');
  return new Map(rows.map((row) => [row.object_id, row.problem]));
}
