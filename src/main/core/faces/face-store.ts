import { randomBytes } from 'node:crypto';
import { SafehouseError } from '../../../shared/errors';
import type { ClipFaces, FaceTrack, RegionKeyframe } from '../../../shared/model';
import type { CatalogTx } from '../catalog';

/**
 * Face tracks in the catalog (migration 'face tracks'). Reading joins each track to the appearance its
 * assignment recorded: the appearance is the one source of truth for "who this is", so removing it (or the
 * subject) makes the track an unknown person again, covered.
 */

interface TrackRow {
  id: string;
  clip_id: string;
  origin: 'detected' | 'drawn';
  keyframes_json: string;
  score: number | null;
  confirmed: number;
  appearance_id: string | null;
  subject_id: string | null;
}

const TRACKS_SQL = `
  SELECT t.id, t.clip_id, t.origin, t.keyframes_json, t.score, t.confirmed, a.id AS appearance_id, a.subject_id
  FROM face_tracks t LEFT JOIN appearances a ON a.id = t.appearance_id AND a.clip_id = t.clip_id`;

export const newTrackId = () => randomBytes(8).toString('hex');

export function sortKeyframes(keyframes: readonly RegionKeyframe[]): RegionKeyframe[] {
  return [...keyframes].sort((a, b) => a.t - b.t);
}

/** Keeps a box inside the frame: a box reaching past an edge is cut there, never shifted off the face. */
export function clampKeyframe(k: RegionKeyframe): RegionKeyframe {
  const x = Math.min(Math.max(0, k.x), 1);
  const y = Math.min(Math.max(0, k.y), 1);
  return { t: k.t, x, y, w: Math.max(1e-4, Math.min(k.w, 1 - x)), h: Math.max(1e-4, Math.min(k.h, 1 - y)) };
}

function toTrack(row: TrackRow): FaceTrack {
  const keyframes = JSON.parse(row.keyframes_json) as RegionKeyframe[];
  return {
    id: row.id,
    clipId: row.clip_id,
    subjectId: row.subject_id,
    appearanceId: row.appearance_id,
    origin: row.origin,
    confirmed: row.confirmed === 1,
    score: row.score,
    from: keyframes[0]?.t ?? 0,
    to: keyframes[keyframes.length - 1]?.t ?? 0,
    keyframes,
  };
}

export async function clipCode(db: CatalogTx, clipId: string): Promise<string> {
  const clip = await db.get<{ code: string }>('SELECT code FROM clips WHERE id = ?', [clipId]);
  if (!clip) throw new SafehouseError('NOT_FOUND', `No clip with id ${clipId} in this vault.`);
  return clip.code;
}

export async function tracksOf(db: CatalogTx, clipId?: string): Promise<FaceTrack[]> {
  const rows = clipId
    ? await db.all<TrackRow>(`${TRACKS_SQL} WHERE t.clip_id = ? ORDER BY t.created_at, t.id`, [clipId])
    : await db.all<TrackRow>(`${TRACKS_SQL} ORDER BY t.clip_id, t.created_at, t.id`);
  return rows.map(toTrack);
}

export async function getTrack(db: CatalogTx, clipId: string, trackId: string): Promise<FaceTrack> {
  const row = await db.get<TrackRow>(`${TRACKS_SQL} WHERE t.id = ? AND t.clip_id = ?`, [trackId, clipId]);
  if (!row) throw new SafehouseError('NOT_FOUND', `No face track ${trackId} in this clip.`);
  return toTrack(row);
}

export async function clipFaces(db: CatalogTx, clipId: string): Promise<ClipFaces> {
  const code = await clipCode(db, clipId);
  const scan = await db.get<{ scanned_at: string; confirmed_at: string | null }>('SELECT scanned_at, confirmed_at FROM face_scans WHERE clip_id = ?', [clipId]);
  return { clipId, code, scannedAt: scan?.scanned_at ?? null, confirmedAt: scan?.confirmed_at ?? null, tracks: await tracksOf(db, clipId) };
}

/** Clip ids analysed at least once. */
export async function scannedClipIds(db: CatalogTx): Promise<Set<string>> {
  const rows = await db.all<{ clip_id: string }>('SELECT clip_id FROM face_scans');
  return new Set(rows.map((r) => r.clip_id));
}

/**
 * Stores a new analysis: detected tracks nobody assigned are replaced, tracks a person drew or assigned are
 * kept, and the clip needs a person's confirmation again (new tracks nobody has looked at). Returns the id
 * given to each track, in order (null for one that was a kept track's face again).
 */
export async function replaceDetectedTracks(
  db: CatalogTx,
  clipId: string,
  tracks: readonly { keyframes: RegionKeyframe[]; score: number }[],
  scan: { frames: number; settings: unknown },
): Promise<(string | null)[]> {
  const now = new Date().toISOString();
  const kept = (await tracksOf(db, clipId)).filter((t) => t.origin === 'drawn' || t.subjectId !== null);
  await db.run(
    `DELETE FROM face_tracks WHERE clip_id = ? AND origin = 'detected'
       AND (appearance_id IS NULL OR appearance_id NOT IN (SELECT id FROM appearances WHERE clip_id = ?))`,
    [clipId, clipId],
  );
  const ids: (string | null)[] = [];
  for (const track of tracks) {
    // A detection that overlaps a kept (assigned or drawn) track in time and place is that same face again.
    if (kept.some((k) => sameFace(k.keyframes, track.keyframes))) {
      ids.push(null);
      continue;
    }
    const id = newTrackId();
    ids.push(id);
    await db.run(
      'INSERT INTO face_tracks (id, clip_id, origin, keyframes_json, score, confirmed, appearance_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 0, NULL, ?, ?)',
      [id, clipId, 'detected', JSON.stringify(track.keyframes.map(clampKeyframe)), track.score, now, now],
    );
  }
  await db.run(
    `INSERT INTO face_scans (clip_id, scanned_at, frames, settings_json, confirmed_at) VALUES (?, ?, ?, ?, NULL)
     ON CONFLICT (clip_id) DO UPDATE SET scanned_at = excluded.scanned_at, frames = excluded.frames, settings_json = excluded.settings_json, confirmed_at = NULL`,
    [clipId, now, scan.frames, JSON.stringify(scan.settings)],
  );
  return ids;
}

function sameFace(a: readonly RegionKeyframe[], b: readonly RegionKeyframe[]): boolean {
  const overlapping = b.filter((kb) => a.some((ka) => Math.abs(ka.t - kb.t) < 0.25 && boxIou(ka, kb) > 0.5));
  return overlapping.length >= Math.max(1, b.length * 0.8);
}

function boxIou(a: RegionKeyframe, b: RegionKeyframe): number {
  const ix = Math.max(0, Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x));
  const iy = Math.max(0, Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y));
  const inter = ix * iy;
  return inter / (a.w * a.h + b.w * b.h - inter);
}

export async function insertDrawnTrack(db: CatalogTx, clipId: string, keyframes: readonly RegionKeyframe[]): Promise<string> {
  const id = newTrackId();
  const now = new Date().toISOString();
  // Drawn by a person: confirmed by the act of drawing it.
  await db.run(
    "INSERT INTO face_tracks (id, clip_id, origin, keyframes_json, score, confirmed, appearance_id, created_at, updated_at) VALUES (?, ?, 'drawn', ?, NULL, 1, NULL, ?, ?)",
    [id, clipId, JSON.stringify(sortKeyframes(keyframes).map(clampKeyframe)), now, now],
  );
  return id;
}

export async function updateTrack(db: CatalogTx, trackId: string, changes: { keyframes?: RegionKeyframe[]; appearanceId?: string | null; confirmed?: boolean }): Promise<void> {
  const sets: string[] = ['updated_at = ?'];
  const values: (string | number | null)[] = [new Date().toISOString()];
  if (changes.keyframes) {
    sets.push('keyframes_json = ?');
    values.push(JSON.stringify(sortKeyframes(changes.keyframes).map(clampKeyframe)));
  }
  if (changes.appearanceId !== undefined) {
    sets.push('appearance_id = ?');
    values.push(changes.appearanceId);
  }
  if (changes.confirmed !== undefined) {
    sets.push('confirmed = ?');
    values.push(changes.confirmed ? 1 : 0);
  }
  await db.run(`UPDATE face_tracks SET ${sets.join(', ')} WHERE id = ?`, [...values, trackId]);
}
