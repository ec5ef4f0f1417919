import { randomBytes } from 'node:crypto';
import { SafehouseError } from '../../../shared/errors';
import type { ClipSafetyReport, FaceTrack, RegionKeyframe } from '../../../shared/model';
import { appendAudit } from '../audit/audit-log';
import type { CatalogTx } from '../catalog';
import { emitProtectionChanged } from '../subjects/protection-events';
import { evaluateClips } from '../subjects/safety-report';
import { assertSubject } from '../subjects/subjects';
import type { UnlockedVault } from '../vault/vault';
import { clampKeyframe, clipCode, getTrack, insertDrawnTrack, sortKeyframes, updateTrack } from './face-store';

/**
 * What a person does with a clip's face tracks: assign one to a subject, delete a false one, adjust a box,
 * add a missed face, and confirm the whole set. Each change is audited (ids and counts only) and tells the
 * proxies to rebuild the clip: its protection plan's fingerprint includes every track.
 */

/** Two keyframes closer than this are the same frame (a 50 fps frame lasts 0.02 s). */
const SAME_FRAME = 0.02;

async function scanned(db: CatalogTx, clipId: string): Promise<void> {
  const row = await db.get<{ clip_id: string }>('SELECT clip_id FROM face_scans WHERE clip_id = ?', [clipId]);
  if (!row) throw new SafehouseError('NOT_SAFE', 'This clip has not been analysed for faces yet; scan it first.');
}

function spanOf(keyframes: readonly RegionKeyframe[]): { from: number; to: number }[] {
  const times = keyframes.map((k) => k.t);
  const from = Math.min(...times);
  const to = Math.max(...times);
  return to > from ? [{ from, to }] : [];
}

/** Keeps the appearance an assignment recorded in step with its track (time range and face region). */
async function syncAppearance(db: CatalogTx, track: FaceTrack, keyframes: RegionKeyframe[]): Promise<void> {
  if (!track.appearanceId) return;
  await db.run('UPDATE appearances SET ranges_json = ?, regions_json = ? WHERE id = ?', [
    JSON.stringify(spanOf(keyframes)), JSON.stringify(sortKeyframes(keyframes).map(clampKeyframe)), track.appearanceId,
  ]);
}

export async function assignTrack(vault: UnlockedVault, clipId: string, trackId: string, subjectId: string | null): Promise<FaceTrack> {
  const catalog = await vault.catalog();
  await catalog.transaction(async (tx) => {
    const track = await getTrack(tx, clipId, trackId);
    if (subjectId !== null) await assertSubject(tx, subjectId);
    if (track.appearanceId) await tx.run('DELETE FROM appearances WHERE id = ?', [track.appearanceId]);
    let appearanceId: string | null = null;
    if (subjectId !== null) {
      // The assignment is an appearance like one typed by hand, with the track as the face region, so the
      // subject's page, the safety report and a withdrawal's recall all see it.
      appearanceId = randomBytes(8).toString('hex');
      await tx.run('INSERT INTO appearances (id, subject_id, clip_id, ranges_json, regions_json, created_at) VALUES (?, ?, ?, ?, ?, ?)', [
        appearanceId, subjectId, clipId, JSON.stringify(spanOf(track.keyframes)), JSON.stringify(track.keyframes), new Date().toISOString(),
      ]);
      await tx.run('DELETE FROM clip_reviews WHERE clip_id = ?', [clipId]);
    }
    await updateTrack(tx, trackId, { appearanceId, confirmed: true });
    await appendAudit(vault, 'faces.assign', { clip: clipId, track: trackId, subject: subjectId, appearance: appearanceId });
  });
  emitProtectionChanged([clipId]);
  return getTrack(catalog, clipId, trackId);
}

export async function confirmTracks(vault: UnlockedVault, clipId: string): Promise<ClipSafetyReport> {
  const catalog = await vault.catalog();
  await catalog.transaction(async (tx) => {
    await clipCode(tx, clipId);
    await scanned(tx, clipId);
    const count = await tx.get<{ n: number }>('SELECT COUNT(*) AS n FROM face_tracks WHERE clip_id = ?', [clipId]);
    await tx.run('UPDATE face_tracks SET confirmed = 1, updated_at = ? WHERE clip_id = ? AND confirmed = 0', [new Date().toISOString(), clipId]);
    await tx.run('UPDATE face_scans SET confirmed_at = ? WHERE clip_id = ?', [new Date().toISOString(), clipId]);
    await appendAudit(vault, 'faces.confirm', { clip: clipId, tracks: count?.n ?? 0 });
  });
  emitProtectionChanged([clipId]);
  const [report] = await evaluateClips(vault, catalog, clipId);
  if (!report) throw new SafehouseError('INTERNAL');
  return report;
}

export async function deleteTrack(vault: UnlockedVault, clipId: string, trackId: string): Promise<{ removed: boolean }> {
  const catalog = await vault.catalog();
  const removed = await catalog.transaction(async (tx) => {
    const row = await tx.get<{ appearance_id: string | null }>('SELECT appearance_id FROM face_tracks WHERE id = ? AND clip_id = ?', [trackId, clipId]);
    if (!row) return false;
    if (row.appearance_id) await tx.run('DELETE FROM appearances WHERE id = ? AND clip_id = ?', [row.appearance_id, clipId]);
    await tx.run('DELETE FROM face_tracks WHERE id = ?', [trackId]);
    // A false face's descriptor and undecided proposals go with it.
    await tx.run('DELETE FROM face_descriptors WHERE track_id = ?', [trackId]);
    await tx.run("DELETE FROM face_proposals WHERE track_id = ? AND state = 'pending'", [trackId]);
    await appendAudit(vault, 'faces.track-delete', { clip: clipId, track: trackId });
    return true;
  });
  if (removed) emitProtectionChanged([clipId]);
  return { removed };
}

/** Sets the box at one frame: replaces a keyframe at that time or inserts one between its neighbours. */
export async function adjustTrack(vault: UnlockedVault, clipId: string, trackId: string, keyframe: RegionKeyframe): Promise<FaceTrack> {
  const catalog = await vault.catalog();
  await catalog.transaction(async (tx) => {
    const track = await getTrack(tx, clipId, trackId);
    const keyframes = [...track.keyframes.filter((k) => Math.abs(k.t - keyframe.t) >= SAME_FRAME), clampKeyframe(keyframe)];
    await updateTrack(tx, trackId, { keyframes, confirmed: true });
    await syncAppearance(tx, track, keyframes);
    await appendAudit(vault, 'faces.track-adjust', { clip: clipId, track: trackId });
  });
  emitProtectionChanged([clipId]);
  return getTrack(catalog, clipId, trackId);
}

export async function addTrack(vault: UnlockedVault, clipId: string, keyframes: RegionKeyframe[]): Promise<FaceTrack> {
  const catalog = await vault.catalog();
  const id = await catalog.transaction(async (tx) => {
    await clipCode(tx, clipId);
    await scanned(tx, clipId);
    const trackId = await insertDrawnTrack(tx, clipId, keyframes);
    await appendAudit(vault, 'faces.track-add', { clip: clipId, track: trackId, keyframes: keyframes.length });
    return trackId;
  });
  emitProtectionChanged([clipId]);
  return getTrack(catalog, clipId, id);
}
