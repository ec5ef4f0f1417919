import type { Clip, SafetyStatus } from '../../../shared/model';

/**
 * The one place a clip's safety status is decided. Fail closed: no clip is cleared until a person has
 * reviewed who appears in it and their consent and protection are recorded, which the subjects module
 * adds; until then every clip, verified or quarantined, needs review.
 */
export function clipSafety(clip: Pick<Clip, 'status'>): SafetyStatus {
  return clip.status === 'verified' ? 'needs-review' : 'needs-review';
}
