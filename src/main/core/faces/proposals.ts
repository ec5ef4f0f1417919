import { SafehouseError } from '../../../shared/errors';
import type { FaceProposal, FaceProposalState, FaceTrack, UnknownPersonGroup } from '../../../shared/model';
import { appendAudit } from '../audit/audit-log';
import type { CatalogTx } from '../catalog';
import { emitProtectionChanged } from '../subjects/protection-events';
import { assertSubject } from '../subjects/subjects';
import type { MediaTools } from '../media/media-tools';
import { reviewFrame } from '../media/review-frame';
import type { UnlockedVault } from '../vault/vault';
import { assignTrack } from './face-review';
import { getTrack, tracksOf } from './face-store';
import { boxAt } from './track-descriptors';
import { groupUnknownTracks, proposeAppearances, type AssignedTrack, type TrackDescriptor } from './identity-match';

/**
 * Who appears where: descriptors of face tracks (sealed to the identity class), proposals that a track is a
 * known subject, and a person's decision on each. Nothing here becomes an appearance without a person: a
 * proposal only keeps its clip in review (safety rule 'appearance-proposed') until it is accepted (the track
 * is assigned to the subject, as `faces assign` does) or rejected (never proposed again).
 *
 * Descriptors are opened in memory only while proposals are computed, and only ids and scores leave here.
 */

/**
 * Cosine similarity at or above which a track is proposed as a subject. Measured on the generated set
 * (`npm run bench -- who-appears`): the same person across clips, sizes, mirroring and lighting scored
 * 0.88–0.97, two different people 0.34–0.42; 0.7 sits in the gap with room on both sides.
 */
export const MATCH_THRESHOLD = 0.7;
/** Unknown tracks are grouped a little more strictly: a group is named in one go. */
export const GROUP_THRESHOLD = 0.75;

const proposalId = (trackId: string, subjectId: string) => `${trackId}-${subjectId}`;

function descriptorBytes(descriptor: Float32Array): Uint8Array {
  return new Uint8Array(descriptor.buffer, descriptor.byteOffset, descriptor.byteLength);
}

/** Seals and stores the descriptors of a clip's new tracks (ids aligned with descriptors; null: none). */
export async function storeDescriptors(vault: UnlockedVault, db: CatalogTx, clipId: string, trackIds: readonly (string | null)[], descriptors: readonly (Float32Array | null)[]): Promise<number> {
  // Tracks replaced by this analysis are gone: so are their descriptors and undecided proposals.
  await db.run('DELETE FROM face_descriptors WHERE clip_id = ? AND track_id NOT IN (SELECT id FROM face_tracks WHERE clip_id = ?)', [clipId, clipId]);
  await db.run("DELETE FROM face_proposals WHERE clip_id = ? AND state = 'pending' AND track_id NOT IN (SELECT id FROM face_tracks WHERE clip_id = ?)", [clipId, clipId]);
  const refused = await refusedSubjects(db);
  const now = new Date().toISOString();
  let stored = 0;
  for (let i = 0; i < trackIds.length; i++) {
    const trackId = trackIds[i];
    const descriptor = descriptors[i];
    if (!trackId || !descriptor) continue;
    const subject = await db.get<{ subject_id: string | null }>(
      'SELECT a.subject_id FROM face_tracks t LEFT JOIN appearances a ON a.id = t.appearance_id WHERE t.id = ?',
      [trackId],
    );
    if (subject?.subject_id && refused.has(subject.subject_id)) continue;
    await db.run('INSERT OR REPLACE INTO face_descriptors (track_id, clip_id, descriptor_sealed, created_at) VALUES (?, ?, ?, ?)', [
      trackId, clipId, Buffer.from(vault.sealValue('identity', descriptorBytes(descriptor))), now,
    ]);
    stored++;
  }
  return stored;
}

async function refusedSubjects(db: CatalogTx): Promise<Set<string>> {
  return new Set((await db.all<{ subject_id: string }>('SELECT subject_id FROM face_biometrics_refused')).map((r) => r.subject_id));
}

function openDescriptor(vault: UnlockedVault, sealed: Uint8Array): Float32Array {
  const bytes = vault.openValue(sealed);
  const copy = new Float32Array(bytes.byteLength / 4);
  new Uint8Array(copy.buffer).set(bytes);
  bytes.fill(0);
  return copy;
}

interface Described extends TrackDescriptor {
  subjectId: string | null;
}

/** Every track that has a descriptor, opened, with who it is assigned to. Needs the identity key. */
async function describedTracks(vault: UnlockedVault, db: CatalogTx): Promise<Described[]> {
  if (!vault.info.canOpen.identity) throw new SafehouseError('KEY_CLASS_UNAVAILABLE', 'Who appears where is worked out at HQ: this vault cannot open face descriptors.');
  const tracks = new Map((await tracksOf(db)).map((t) => [t.id, t]));
  const rows = await db.all<{ track_id: string; descriptor_sealed: Uint8Array }>('SELECT track_id, descriptor_sealed FROM face_descriptors');
  const out: Described[] = [];
  for (const row of rows) {
    const track = tracks.get(row.track_id);
    if (!track) continue;
    out.push({ trackId: track.id, clipId: track.clipId, from: track.from, to: track.to, subjectId: track.subjectId, descriptor: openDescriptor(vault, row.descriptor_sealed) });
  }
  return out;
}

/**
 * Recomputes the pending proposals from every descriptor: after an analysis, an assignment or a decision.
 * Decided rows are kept (a rejection holds; an acceptance is history).
 */
export async function refreshProposals(vault: UnlockedVault, db: CatalogTx): Promise<number> {
  if (!vault.info.canOpen.identity) return 0;
  // A subject who refused matching keeps no descriptor, even for a track assigned to them after the scan.
  await db.run(`DELETE FROM face_descriptors WHERE track_id IN (
      SELECT t.id FROM face_tracks t JOIN appearances a ON a.id = t.appearance_id
      WHERE a.subject_id IN (SELECT subject_id FROM face_biometrics_refused))`);
  const described = await describedTracks(vault, db);
  const decided = await db.all<{ track_id: string; subject_id: string }>("SELECT track_id, subject_id FROM face_proposals WHERE state = 'rejected'");
  const assigned = described.filter((d): d is Described & { subjectId: string } => d.subjectId !== null) as AssignedTrack[];
  const proposals = proposeAppearances({
    assigned,
    candidates: described.filter((d) => d.subjectId === null),
    rejected: decided.map((r) => ({ trackId: r.track_id, subjectId: r.subject_id })),
    threshold: MATCH_THRESHOLD,
  });
  await db.run("DELETE FROM face_proposals WHERE state = 'pending'");
  const now = new Date().toISOString();
  for (const p of proposals) {
    await db.run(
      "INSERT INTO face_proposals (id, track_id, clip_id, subject_id, score, state, created_at, decided_at) VALUES (?, ?, ?, ?, ?, 'pending', ?, NULL) ON CONFLICT (track_id, subject_id) DO NOTHING",
      [proposalId(p.trackId, p.subjectId), p.trackId, p.clipId, p.subjectId, Math.round(p.score * 1000) / 1000, now],
    );
  }
  for (const d of described) d.descriptor.fill(0);
  return proposals.length;
}

interface ProposalRow {
  id: string;
  track_id: string;
  clip_id: string;
  subject_id: string;
  score: number;
  state: FaceProposalState;
  decided_at: string | null;
}

export async function listProposals(
  db: CatalogTx,
  filter: { subjectId?: string; clipId?: string; ids?: readonly string[]; states?: readonly FaceProposalState[] } = {},
): Promise<FaceProposal[]> {
  const states = filter.states ?? ['pending'];
  const where = [`p.state IN (${states.map(() => '?').join(', ')})`];
  const params: string[] = [...states];
  if (filter.subjectId) {
    where.push('p.subject_id = ?');
    params.push(filter.subjectId);
  }
  if (filter.clipId) {
    where.push('p.clip_id = ?');
    params.push(filter.clipId);
  }
  if (filter.ids) {
    where.push(`p.id IN (${filter.ids.map(() => '?').join(', ')})`);
    params.push(...filter.ids);
  }
  const rows = await db.all<ProposalRow & { code: string; card_id: string }>(
    `SELECT p.*, c.code, c.card_id FROM face_proposals p JOIN clips c ON c.id = p.clip_id WHERE ${where.join(' AND ')} ORDER BY p.score DESC, c.code, p.id`,
    params,
  );
  // Only the clips listed: the vault's other tracks (and their keyframes) are not read.
  const tracks = new Map<string, FaceTrack>();
  for (const clipId of new Set(rows.map((r) => r.clip_id))) for (const t of await tracksOf(db, clipId)) tracks.set(t.id, t);
  return rows.map((r) => {
    const track = tracks.get(r.track_id);
    return { id: r.id, clipId: r.clip_id, code: r.code, cardId: r.card_id, trackId: r.track_id, subjectId: r.subject_id, score: r.score, from: track?.from ?? 0, to: track?.to ?? 0, state: r.state, decidedAt: r.decided_at };
  });
}

async function proposalRow(db: CatalogTx, id: string): Promise<ProposalRow> {
  const row = await db.get<ProposalRow>('SELECT * FROM face_proposals WHERE id = ?', [id]);
  if (!row) throw new SafehouseError('NOT_FOUND', `No proposal ${id}: it may have been decided already, or the track changed. List the proposals again.`);
  return row;
}

/** Accept: the track becomes the subject's appearance. Reject: never proposed again. Each audited. */
export async function decideProposals(vault: UnlockedVault, ids: readonly string[], decision: 'accept' | 'reject'): Promise<FaceProposal[]> {
  const catalog = await vault.catalog();
  const rows: ProposalRow[] = [];
  for (const id of ids) {
    const row = await proposalRow(catalog, id);
    if (row.state !== 'pending') throw new SafehouseError('NOT_SAFE', `Proposal ${id} was already ${row.state}.`);
    rows.push(row);
  }
  for (const row of rows) {
    if (decision === 'accept') await assignTrack(vault, row.clip_id, row.track_id, row.subject_id);
    await catalog.transaction(async (tx) => {
      await tx.run('UPDATE face_proposals SET state = ?, decided_at = ? WHERE id = ?', [decision === 'accept' ? 'accepted' : 'rejected', new Date().toISOString(), row.id]);
      await appendAudit(vault, `faces.proposal-${decision === 'accept' ? 'accepted' : 'rejected'}`, { proposal: row.id, clip: row.clip_id, track: row.track_id, subject: row.subject_id }, tx);
    });
  }
  await catalog.transaction((tx) => refreshProposals(vault, tx));
  emitProtectionChanged([...new Set(rows.map((r) => r.clip_id))]);
  return listProposals(catalog, { ids, states: ['accepted', 'rejected'] });
}

/** Unassigned tracks that look like the same person, numbered "unknown person 1, 2 …" (largest first). */
export async function unknownGroups(vault: UnlockedVault): Promise<UnknownPersonGroup[]> {
  const catalog = await vault.catalog();
  const described = await describedTracks(vault, catalog);
  const unassigned = described.filter((d) => d.subjectId === null);
  const groups = groupUnknownTracks(unassigned, GROUP_THRESHOLD);
  for (const d of described) d.descriptor.fill(0);
  const byId = new Map(unassigned.map((d) => [d.trackId, d]));
  const clips = new Map((await catalog.all<{ id: string; code: string; card_id: string }>('SELECT id, code, card_id FROM clips')).map((r) => [r.id, r]));
  return groups.map((g) => ({
    number: g.number,
    tracks: g.trackIds.map((id) => {
      const d = byId.get(id)!;
      const clip = clips.get(d.clipId);
      return { trackId: id, clipId: d.clipId, code: clip?.code ?? '', cardId: clip?.card_id ?? '', from: d.from, to: d.to };
    }),
  }));
}

/** Names a whole group at once: every track is assigned to the subject (a person chose them together). */
export async function nameTracks(vault: UnlockedVault, tracks: readonly { clipId: string; trackId: string }[], subjectId: string): Promise<number> {
  const catalog = await vault.catalog();
  await assertSubject(catalog, subjectId);
  for (const t of tracks) await assignTrack(vault, t.clipId, t.trackId, subjectId);
  await catalog.transaction((tx) => refreshProposals(vault, tx));
  return tracks.length;
}

/**
 * A subject asks that their face not be matched: the descriptors of every track assigned to them are deleted,
 * their proposals withdrawn, and no descriptor is stored for their tracks again. Their tracks stay (a box is
 * where a face is, not who it is) and keep covering them.
 */
export async function forgetSubjectFaces(vault: UnlockedVault, subjectId: string): Promise<{ descriptorsDeleted: number; proposalsWithdrawn: number }> {
  const catalog = await vault.catalog();
  let result = { descriptorsDeleted: 0, proposalsWithdrawn: 0 };
  await catalog.transaction(async (tx) => {
    await assertSubject(tx, subjectId);
    const tracks = (await tracksOf(tx)).filter((t) => t.subjectId === subjectId).map((t) => t.id);
    let deleted = 0;
    for (const id of tracks) deleted += (await tx.run('DELETE FROM face_descriptors WHERE track_id = ?', [id])).changes;
    const withdrawn = (await tx.run("DELETE FROM face_proposals WHERE subject_id = ? AND state = 'pending'", [subjectId])).changes;
    await tx.run('INSERT OR IGNORE INTO face_biometrics_refused (subject_id, refused_at) VALUES (?, ?)', [subjectId, new Date().toISOString()]);
    await appendAudit(vault, 'faces.biometrics-deleted', { subject: subjectId, descriptors: deleted, proposals: withdrawn }, tx);
    result = { descriptorsDeleted: deleted, proposalsWithdrawn: withdrawn };
  });
  // The catalog runs with secure_delete on (catalog.ts): the deleted sealed bytes are overwritten, not left in free pages.
  await catalog.transaction((tx) => refreshProposals(vault, tx));
  return result;
}

/**
 * A face track's face, from the middle of the track: a coarse mosaic unless a person chooses to reveal it (then
 * audited like every unmasked view). The producer compares it with the subject without seeing it by default.
 */
export async function trackThumbnail(vault: UnlockedVault, tools: MediaTools, clipId: string, trackId: string, reveal: boolean): Promise<{ mime: 'image/jpeg'; base64: string }> {
  const track = await getTrack(await vault.catalog(), clipId, trackId);
  const middle = (track.from + track.to) / 2;
  const box = boxAt(track.keyframes, middle) ?? track.keyframes[0];
  if (!box) throw new SafehouseError('NOT_FOUND', 'This face track has no box to show.');
  return reviewFrame(vault, tools, clipId, middle, { crop: { x: box.x, y: box.y, w: box.w, h: box.h }, masked: !reveal });
}

/** The proposed face (see trackThumbnail). */
export async function proposalThumbnail(vault: UnlockedVault, tools: MediaTools, id: string, reveal: boolean): Promise<{ mime: 'image/jpeg'; base64: string }> {
  const row = await proposalRow(await vault.catalog(), id);
  return trackThumbnail(vault, tools, row.clip_id, row.track_id, reveal);
}
