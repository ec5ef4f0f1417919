import { SafehouseError } from '../../../shared/errors';
import type { ClipStatus, RegionKeyframe } from '../../../shared/model';
import { readTimecodePolicy } from '../ingest/timecode-policy';
import type { UnlockedVault } from '../vault/vault';
import { loadSafetyInputs, ruleClip } from './safety-data';
import { planFingerprint, planProtection } from './safety-rules';

export type { RegionKeyframe } from '../../../shared/model';

/** What a proxy of one clip must hide, decided by the safety rules (safety-rules.ts planProtection). */
export interface ProtectionPlan {
  /** full while any subject is unreviewed/pending or nobody reviewed; regions when face-hiding subjects all have tracks; none otherwise */
  mode: 'full' | 'regions' | 'none';
  /** one track per covered subject */
  regions: RegionKeyframe[][];
  /** face tracks of unknown people, covered only between their first and last keyframe */
  faces?: RegionKeyframe[][];
  /** disguise: per-subject secret parameters (voice-params.ts) of the subjects listed; mute: silence. */
  voice: null | { method: 'disguise' | 'mute'; ranges: { from: number; to: number }[] | 'all'; subjectIds?: string[] };
  /** a subject excluded/withdrawn: no proxy at all */
  excluded: boolean;
  /** stable hash of the plan, so a proxy is rebuilt only when it changes */
  fingerprint: string;
}

export async function getProtectionPlan(vault: UnlockedVault, clipId: string): Promise<ProtectionPlan> {
  const catalog = await vault.catalog();
  const clip = await catalog.get<{ id: string; code: string; status: ClipStatus }>('SELECT id, code, status FROM clips WHERE id = ?', [clipId]);
  if (!clip) throw new SafehouseError('NOT_FOUND', `No clip with id ${clipId} in this vault.`);
  const inputs = await loadSafetyInputs(vault, catalog, [clipId]);
  const body = planProtection(ruleClip(inputs, clip), inputs.appearances.get(clipId) ?? [], inputs.subjects);
  // Whether the camera timecode may be burned in is part of what a proxy was made under: dropping it makes
  // every proxy stale, so none still shows the time of day after HQ asked for it gone.
  const timecode = (await readTimecodePolicy(vault)) === 'keep' ? '' : ':no-timecode';
  return { ...body, fingerprint: planFingerprint(body) + timecode };
}
