import type { CardLabel, CardSummary, Clip, ClipKind, ClipStatus, SafetyCounts, StreamSummary } from '../../../shared/model';
import { SafehouseError } from '../../../shared/errors';
import type { UnlockedVault } from '../vault/vault';
import { evaluateClip } from '../subjects/safety-rules';
import { loadRuleSubjects, loadSafetyInputs, ruleClip, type SafetyInputs } from '../subjects/safety-data';
import { damagedObjectIds } from '../integrity/object-damage';
import { cardVerdictFromCatalog } from './card-files';

interface ClipRow {
  id: string;
  card_id: string;
  code: string;
  kind: ClipKind;
  status: ClipStatus;
  reason: string | null;
  reason_sealed: Uint8Array | null;
  original_name_sealed: Uint8Array | null;
  size: number;
  duration: number | null;
  streams_json: string | null;
  created_at: string;
  verified_at: string | null;
  master_object_id: string | null;
}

function toClip(vault: UnlockedVault, row: ClipRow, inputs: SafetyInputs): Clip {
  const clip: Clip = {
    id: row.id,
    code: row.code,
    kind: row.kind,
    status: row.status,
    // A field vault keeps the reason and the name sealed to HQ (field sealing): it shows neither.
    reason: row.reason ?? (row.reason_sealed ? vault.openTextIfHeld(row.reason_sealed) : null),
    originalName: row.original_name_sealed ? (vault.openTextIfHeld(row.original_name_sealed) ?? '') : '',
    cardId: row.card_id,
    durationSeconds: row.duration,
    streams: row.streams_json ? (JSON.parse(row.streams_json) as StreamSummary[]) : [],
    sizeBytes: row.size,
    createdAt: row.created_at,
    safety: 'needs-review',
    originalKept: row.verified_at !== null && row.master_object_id !== null,
  };
  // Computed by the safety rules from subjects, consent, appearances and reviews: never stored, never typed.
  const verdict = evaluateClip(ruleClip(inputs, row), inputs.appearances.get(row.id) ?? [], inputs.subjects);
  return { ...clip, safety: verdict.safety };
}

export async function listClips(vault: UnlockedVault): Promise<Clip[]> {
  const catalog = await vault.catalog();
  const rows = await catalog.all<ClipRow>('SELECT * FROM clips ORDER BY code');
  const inputs = await loadSafetyInputs(vault, catalog);
  return rows.map((row) => toClip(vault, row, inputs));
}

export async function getClip(vault: UnlockedVault, id: string): Promise<Clip> {
  const catalog = await vault.catalog();
  const row = await catalog.get<ClipRow>('SELECT * FROM clips WHERE id = ?', [id]);
  if (!row) throw new SafehouseError('NOT_FOUND', `No clip with id ${id} in this vault.`);
  return toClip(vault, row, await loadSafetyInputs(vault, catalog, [id]));
}

interface CardCount {
  card_id: string;
  total: number;
  readBack: number;
}

/** Every card with its label and counts, for filters and groupings: no wipe verdict, so no file list is opened. */
export async function listCardLabels(vault: UnlockedVault): Promise<CardLabel[]> {
  const catalog = await vault.catalog();
  const cards = await catalog.all<{ id: string; label_sealed: Uint8Array | null; created_at: string }>('SELECT id, label_sealed, created_at FROM cards ORDER BY created_at');
  // Clips whose vault object was read back and matched: verified clips and quarantined originals alike.
  // A clip pulled from two cards (the same original, see sync/hq-merge.ts) counts on both (clip_cards).
  // Two grouped counts, each read from a covering index (a UNION of both would be materialised row by row first).
  const own = await catalog.all<CardCount>('SELECT card_id, COUNT(*) AS total, COUNT(verified_at) AS readBack FROM clips GROUP BY card_id');
  const shared = await catalog.all<CardCount>(
    'SELECT cc.card_id, COUNT(*) AS total, COUNT(c.verified_at) AS readBack FROM clip_cards cc JOIN clips c ON c.id = cc.clip_id GROUP BY cc.card_id',
  );
  const countsByCard = new Map<string, { total: number; readBack: number }>();
  for (const { card_id, total, readBack } of [...own, ...shared]) {
    const sum = countsByCard.get(card_id) ?? { total: 0, readBack: 0 };
    countsByCard.set(card_id, { total: sum.total + total, readBack: sum.readBack + readBack });
  }
  return cards.map((card) => ({
    id: card.id,
    label: card.label_sealed ? (vault.openTextIfHeld(card.label_sealed) ?? '') : '',
    createdAt: card.created_at,
    clipCount: countsByCard.get(card.id)?.total ?? 0,
    verifiedCount: countsByCard.get(card.id)?.readBack ?? 0,
  }));
}

/** Every card with its safe-to-wipe verdict by the one rule, over the card's file list sealed when its offload started. */
export async function listCards(vault: UnlockedVault): Promise<CardSummary[]> {
  const catalog = await vault.catalog();
  const damaged = await damagedObjectIds(catalog); // read once for every card, not once per card
  const summaries: CardSummary[] = [];
  for (const card of await listCardLabels(vault)) summaries.push({ ...card, ...(await cardVerdictFromCatalog(vault, catalog, card.id, damaged)) });
  return summaries;
}

/** Counts by safety status from the rule inputs alone: no clip's sealed name needs opening to count it. */
export async function safetyCounts(vault: UnlockedVault): Promise<SafetyCounts> {
  const catalog = await vault.catalog();
  const rows = await catalog.all<Pick<ClipRow, 'id' | 'code' | 'status'>>('SELECT id, code, status FROM clips');
  const inputs = await loadSafetyInputs(vault, catalog);
  const counts: SafetyCounts = { cleared: 0, needsReview: 0, blocked: 0 };
  for (const row of rows) {
    const { safety } = evaluateClip(ruleClip(inputs, row), inputs.appearances.get(row.id) ?? [], inputs.subjects);
    if (safety === 'cleared') counts.cleared += 1;
    else if (safety === 'blocked') counts.blocked += 1;
    else counts.needsReview += 1;
  }
  return counts;
}

export interface ClipQuery {
  statuses?: ClipStatus[];
  kinds?: ClipKind[];
  cardId?: string;
  subjectId?: string;
  /** ISO dates (inclusive) on the offload time. */
  from?: string;
  to?: string;
  /** Part of a clip code, a card label or a subject's pseudonym (never the sealed original names). */
  search?: string;
  sort?: ClipSort;
  descending?: boolean;
  offset: number;
  limit: number;
}

export type ClipSort = 'code' | 'created' | 'size' | 'duration' | 'status' | 'kind';

/** Sort keys map to fixed SQL: nothing from the request is ever spliced into the statement. */
const SORT_SQL: Record<ClipSort, string> = {
  code: 'code',
  created: 'created_at',
  size: 'size',
  duration: 'duration',
  status: 'status',
  kind: 'kind',
};

/**
 * One page of the library, filtered in SQL so a catalog of 100,000 clips answers in milliseconds: only
 * the page's sealed names are opened. Safety is computed for the page's clips only.
 */
export async function queryClips(vault: UnlockedVault, query: ClipQuery): Promise<{ total: number; items: Clip[] }> {
  const catalog = await vault.catalog();
  const where: string[] = [];
  const params: unknown[] = [];
  const inList = (column: string, values: string[] | undefined) => {
    if (!values || values.length === 0) return;
    where.push(`${column} IN (${values.map(() => '?').join(', ')})`);
    params.push(...values);
  };
  inList('status', query.statuses);
  inList('kind', query.kinds);
  if (query.cardId) {
    where.push('(card_id = ? OR id IN (SELECT clip_id FROM clip_cards WHERE card_id = ?))');
    params.push(query.cardId, query.cardId);
  }
  if (query.subjectId) {
    where.push('id IN (SELECT clip_id FROM appearances WHERE subject_id = ?)');
    params.push(query.subjectId);
  }
  if (query.from) {
    where.push('created_at >= ?');
    params.push(query.from);
  }
  if (query.to) {
    where.push('created_at < ?');
    params.push(nextDay(query.to));
  }
  const subjects = await loadRuleSubjects(vault, catalog);
  const search = query.search?.trim().toLowerCase();
  if (search) {
    // Card labels are sealed and few: opened here and matched in memory. Pseudonyms come with the rules' subjects.
    const cards = await catalog.all<{ id: string; label_sealed: Uint8Array | null }>('SELECT id, label_sealed FROM cards');
    const cardIds = cards.filter((card) => card.label_sealed && (vault.openTextIfHeld(card.label_sealed) ?? '').toLowerCase().includes(search)).map((card) => card.id);
    const subjectIds = [...subjects.values()].filter((subject) => subject.pseudonym.toLowerCase().includes(search)).map((subject) => subject.id);
    const alternatives = ["LOWER(code) LIKE ? ESCAPE '\\'"];
    params.push(`%${search.replace(/[\\%_]/g, (char) => `\\${char}`)}%`);
    if (cardIds.length > 0) {
      alternatives.push(`card_id IN (${cardIds.map(() => '?').join(', ')})`);
      params.push(...cardIds);
    }
    if (subjectIds.length > 0) {
      alternatives.push(`id IN (SELECT clip_id FROM appearances WHERE subject_id IN (${subjectIds.map(() => '?').join(', ')}))`);
      params.push(...subjectIds);
    }
    where.push(`(${alternatives.join(' OR ')})`);
  }
  const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
  const direction = query.descending ? 'DESC' : 'ASC';
  const sort = query.sort ?? 'code';
  // Ties are broken by code in the same direction, so each sort key reads in order from its (key, code) index.
  const order = sort === 'code' ? `code ${direction}` : `${SORT_SQL[sort]} ${direction}, code ${direction}`;
  const total = (await catalog.get<{ n: number }>(`SELECT COUNT(*) AS n FROM clips ${clause}`, params))?.n ?? 0;
  const rows = await catalog.all<ClipRow>(`SELECT * FROM clips ${clause} ORDER BY ${order} LIMIT ? OFFSET ?`, [...params, query.limit, query.offset]);
  // The rules' inputs of this page's clips only: a page of 100,000 reads 100 clips' appearances and tracks.
  const inputs = await loadSafetyInputs(vault, catalog, rows.map((row) => row.id), subjects);
  return { total, items: rows.map((row) => toClip(vault, row, inputs)) };
}

function nextDay(isoDate: string): string {
  const day = new Date(`${isoDate.slice(0, 10)}T00:00:00.000Z`);
  day.setUTCDate(day.getUTCDate() + 1);
  return day.toISOString();
}
