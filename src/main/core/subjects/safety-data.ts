import type { ClipStatus, ConsentState, Protection, RegionKeyframe, TimeRange } from '../../../shared/model';
import type { CatalogTx } from '../catalog';
import type { UnlockedVault } from '../vault/vault';
import type { RuleAppearance, RuleClip, RuleFaces, RuleSubject } from './safety-rules';

/**
 * Loads what the safety rules need from the catalog, as plain data. Subjects' pseudonyms are opened with
 * the proxy secret, which every vault kind holds; nothing here needs (or touches) the identity class.
 */

export interface SafetyInputs {
  subjects: Map<string, RuleSubject>;
  /** Appearances per clip id, oldest first. */
  appearances: Map<string, (RuleAppearance & { id: string })[]>;
  /** Clip ids reviewed as "no people". */
  noPeople: Set<string>;
  /** Face analysis per analysed clip id (absent: never analysed). */
  faces: Map<string, RuleFaces>;
}

interface SubjectRow {
  id: string;
  pseudonym_sealed: Uint8Array;
  protection_json: string;
  state: ConsentState | null;
}

interface AppearanceRow {
  id: string;
  subject_id: string;
  clip_id: string;
  ranges_json: string;
  regions_json: string;
}

export function parseProtection(json: string): Protection[] {
  return JSON.parse(json) as Protection[];
}

/** Latest consent state per subject, in one query: the row with the highest seq wins. */
const SUBJECTS_SQL = `
  SELECT s.id, s.pseudonym_sealed, s.protection_json,
         (SELECT c.state FROM consents c WHERE c.subject_id = s.id ORDER BY c.seq DESC LIMIT 1) AS state
  FROM subjects s`;

/** The pseudonym, consent state and protection of every subject, as the rules read them. */
export async function loadRuleSubjects(vault: UnlockedVault, catalog: CatalogTx): Promise<Map<string, RuleSubject>> {
  const subjects = new Map<string, RuleSubject>();
  for (const row of await catalog.all<SubjectRow>(SUBJECTS_SQL)) {
    subjects.set(row.id, {
      id: row.id,
      pseudonym: vault.openTextIfHeld(row.pseudonym_sealed) ?? '',
      consent: row.state,
      protection: parseProtection(row.protection_json),
    });
  }
  return subjects;
}

/** A WHERE condition on `column` limiting rows to `clipIds`, or no condition for the whole vault. */
function clipScope(column: string, clipIds: readonly string[] | undefined): { sql: string; params: string[] } {
  if (!clipIds) return { sql: '1', params: [] };
  if (clipIds.length === 0) return { sql: '0', params: [] };
  return { sql: `${column} IN (${clipIds.map(() => '?').join(', ')})`, params: [...clipIds] };
}

/**
 * The rules' inputs for the clips named (`clipIds`; the whole vault without it), so a page of a large library
 * reads only its own appearances and face tracks. `subjects` may be passed when the caller has them already.
 */
export async function loadSafetyInputs(vault: UnlockedVault, db?: CatalogTx, clipIds?: readonly string[], subjects?: Map<string, RuleSubject>): Promise<SafetyInputs> {
  const catalog = db ?? (await vault.catalog());
  const scope = clipScope('clip_id', clipIds);
  const appearanceRows = await catalog.all<AppearanceRow>(`SELECT * FROM appearances WHERE ${scope.sql} ORDER BY created_at, id`, scope.params);
  const reviewRows = await catalog.all<{ clip_id: string }>(`SELECT clip_id FROM clip_reviews WHERE no_people = 1 AND ${scope.sql}`, scope.params);
  const appearances = new Map<string, (RuleAppearance & { id: string })[]>();
  for (const row of appearanceRows) {
    const list = appearances.get(row.clip_id) ?? [];
    list.push({
      id: row.id,
      subjectId: row.subject_id,
      ranges: JSON.parse(row.ranges_json) as TimeRange[],
      regions: JSON.parse(row.regions_json) as RegionKeyframe[],
    });
    appearances.set(row.clip_id, list);
  }
  return {
    subjects: subjects ?? (await loadRuleSubjects(vault, catalog)),
    appearances,
    noPeople: new Set(reviewRows.map((r) => r.clip_id)),
    faces: await loadFaces(catalog, clipIds),
  };
}

interface FaceRow {
  clip_id: string;
  confirmed_at: string | null;
  keyframes_json: string | null;
  confirmed: number | null;
  assigned: number | null;
}

/**
 * Each analysed clip's tracks. A track counts as assigned only while the appearance its assignment
 * recorded still exists; otherwise it is an unknown person (covered).
 */
async function loadFaces(catalog: CatalogTx, clipIds?: readonly string[]): Promise<Map<string, RuleFaces>> {
  const scope = clipScope('s.clip_id', clipIds);
  const sql = `
    SELECT s.clip_id, s.confirmed_at, t.keyframes_json, t.confirmed,
           (SELECT COUNT(*) FROM appearances a WHERE a.id = t.appearance_id AND a.clip_id = t.clip_id) AS assigned
    FROM face_scans s LEFT JOIN face_tracks t ON t.clip_id = s.clip_id
    WHERE ${scope.sql} ORDER BY s.clip_id, t.created_at, t.id`;
  const rows = await catalog.all<FaceRow>(sql, scope.params);
  const faces = new Map<string, RuleFaces & { unassigned: RegionKeyframe[][]; assigned?: number }>();
  for (const row of rows) {
    let entry = faces.get(row.clip_id);
    if (!entry) {
      entry = { confirmed: row.confirmed_at !== null, unassigned: [] };
      faces.set(row.clip_id, entry);
    }
    if (row.keyframes_json === null) continue; // analysed, no tracks
    if (row.confirmed !== 1) entry.confirmed = false;
    if (row.assigned) entry.assigned = (entry.assigned ?? 0) + 1;
    else entry.unassigned.push(JSON.parse(row.keyframes_json) as RegionKeyframe[]);
  }
  const proposedScope = clipScope('clip_id', clipIds);
  const proposed = await catalog.all<{ clip_id: string; n: number }>(
    `SELECT clip_id, COUNT(*) AS n FROM face_proposals WHERE state = 'pending' AND ${proposedScope.sql} GROUP BY clip_id`,
    proposedScope.params,
  );
  for (const row of proposed) {
    const entry = faces.get(row.clip_id);
    if (entry) entry.proposed = row.n;
  }
  return faces;
}

export function ruleClip(inputs: SafetyInputs, clip: { id: string; code: string; status: ClipStatus }): RuleClip {
  return { id: clip.id, code: clip.code, status: clip.status, reviewedNoPeople: inputs.noPeople.has(clip.id), faces: inputs.faces.get(clip.id) ?? null };
}
