import { randomBytes } from 'node:crypto';
import { SafehouseError } from '../../../shared/errors';
import type { Appearance, ClipSafetyReport, RegionKeyframe, TimeRange } from '../../../shared/model';
import { appendAudit } from '../audit/audit-log';
import type { CatalogTx } from '../catalog';
import type { UnlockedVault } from '../vault/vault';
import { emitProtectionChanged } from './protection-events';
import { evaluateClips } from './safety-report';
import { mergeRanges } from './safety-rules';
import { assertSubject, subjectAppearances } from './subjects';

/**
 * Who appears in which clip (optionally when, and where in the frame), and the "nobody identifiable
 * appears" review. Each change is audited and tells the proxies to rebuild the clip.
 */

export interface AppearanceInput {
  subjectId: string;
  clipId: string;
  ranges?: TimeRange[] | undefined;
  regions?: RegionKeyframe[] | undefined;
}

async function assertClip(db: CatalogTx, clipId: string): Promise<string> {
  const clip = await db.get<{ code: string }>('SELECT code FROM clips WHERE id = ?', [clipId]);
  if (!clip) throw new SafehouseError('NOT_FOUND', `No clip with id ${clipId} in this vault.`);
  return clip.code;
}

export async function addAppearance(vault: UnlockedVault, input: AppearanceInput): Promise<Appearance> {
  const ranges = mergeRanges(input.ranges ?? []);
  if (ranges.some((r) => !(r.to > r.from) || r.from < 0)) throw new SafehouseError('INVALID_INPUT', 'Each time range must end after it starts.');
  const regions = [...(input.regions ?? [])].sort((a, b) => a.t - b.t);
  const catalog = await vault.catalog();
  const id = randomBytes(8).toString('hex');
  await catalog.transaction(async (tx) => {
    await assertSubject(tx, input.subjectId);
    await assertClip(tx, input.clipId);
    await tx.run('INSERT INTO appearances (id, subject_id, clip_id, ranges_json, regions_json, created_at) VALUES (?, ?, ?, ?, ?, ?)', [
      id, input.subjectId, input.clipId, JSON.stringify(ranges), JSON.stringify(regions), new Date().toISOString(),
    ]);
    // A person was found in the clip, so an earlier "no people" review no longer describes it.
    await tx.run('DELETE FROM clip_reviews WHERE clip_id = ?', [input.clipId]);
    await appendAudit(vault, 'appearance.add', { appearance: id, subject: input.subjectId, clip: input.clipId, ranges: ranges.length, regionKeyframes: regions.length });
  });
  emitProtectionChanged([input.clipId]);
  const [appearance] = await subjectAppearances(catalog, { id });
  if (!appearance) throw new SafehouseError('INTERNAL');
  return appearance;
}

export async function removeAppearance(vault: UnlockedVault, id: string): Promise<{ removed: boolean }> {
  const catalog = await vault.catalog();
  const clipId = await catalog.transaction(async (tx) => {
    const row = await tx.get<{ clip_id: string; subject_id: string }>('SELECT clip_id, subject_id FROM appearances WHERE id = ?', [id]);
    if (!row) return null;
    await tx.run('DELETE FROM appearances WHERE id = ?', [id]);
    await appendAudit(vault, 'appearance.remove', { appearance: id, subject: row.subject_id, clip: row.clip_id });
    return row.clip_id;
  });
  if (clipId) emitProtectionChanged([clipId]);
  return { removed: clipId !== null };
}

/**
 * Records that a person watched the clip and nobody identifiable appears. Refused while people are linked
 * to it: the two statements contradict each other, and the safe reading (people appear) must win.
 */
export async function reviewNoPeople(vault: UnlockedVault, clipId: string): Promise<ClipSafetyReport> {
  const catalog = await vault.catalog();
  await catalog.transaction(async (tx) => {
    await assertClip(tx, clipId);
    const linked = await tx.get<{ n: number }>('SELECT COUNT(*) AS n FROM appearances WHERE clip_id = ?', [clipId]);
    if ((linked?.n ?? 0) > 0) {
      throw new SafehouseError('NOT_SAFE', 'People are recorded as appearing in this clip. Remove those appearances first if they are not in it.');
    }
    await tx.run('INSERT OR REPLACE INTO clip_reviews (clip_id, no_people, reviewed_at) VALUES (?, 1, ?)', [clipId, new Date().toISOString()]);
    await appendAudit(vault, 'clip.review', { clip: clipId, noPeople: true });
  });
  emitProtectionChanged([clipId]);
  const [report] = await evaluateClips(vault, catalog, clipId);
  if (!report) throw new SafehouseError('INTERNAL');
  return report;
}
