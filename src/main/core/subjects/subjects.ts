import { randomBytes } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import { SafehouseError } from '../../../shared/errors';
import { PROTECTIONS, type Appearance, type Protection, type Subject, type SubjectDetail, type SubjectIdentity } from '../../../shared/model';
import { appendAudit } from '../audit/audit-log';
import type { CatalogTx } from '../catalog';
import type { UnlockedVault } from '../vault/vault';
import { consentHistory } from './consent';
import { exportsContainingSubject } from './exports-lookup';
import { emitProtectionChanged } from './protection-events';
import { parseProtection } from './safety-data';
import { evaluateClips, unprotectedCount } from './safety-report';
import { recordObjects } from '../catalog/objects';

/**
 * Subjects: a random id and a pseudonym (sealed to proxy: the crew works with it), plus a real identity
 * sealed to the identity class. A field vault holds only HQ's identity public key, so the crew can record
 * who someone is but never read it back; such a subject shows only its pseudonym and status there.
 */

export interface NewSubject {
  pseudonym: string;
  realName?: string | undefined;
  contact?: string | undefined;
  notes?: string | undefined;
  protection?: Protection[] | undefined;
}

interface SubjectRow {
  id: string;
  pseudonym_sealed: Uint8Array;
  identity_sealed: Uint8Array | null;
  protection_json: string;
  created_at: string;
}

export const newSubjectId = (): string => randomBytes(8).toString('hex');

/** Deduplicated, in the canonical order, so equal sets always store (and audit) identically. */
export function normaliseProtection(list: readonly Protection[]): Protection[] {
  return PROTECTIONS.filter((p) => list.includes(p));
}

function openIdentity(vault: UnlockedVault, sealed: Uint8Array | null): SubjectIdentity | null {
  if (!sealed || !vault.info.canOpen.identity) return null;
  return JSON.parse(vault.openText(sealed)) as SubjectIdentity;
}

async function toSubject(vault: UnlockedVault, db: CatalogTx, row: SubjectRow): Promise<Subject> {
  const history = await consentHistory(vault, db, row.id, 1);
  return {
    id: row.id,
    pseudonym: vault.openTextIfHeld(row.pseudonym_sealed) ?? '', // '' in a field vault: sealed to HQ
    consent: history[0] ?? null,
    protection: parseProtection(row.protection_json),
    identity: openIdentity(vault, row.identity_sealed),
    identitySealed: row.identity_sealed !== null && !vault.info.canOpen.identity,
    createdAt: row.created_at,
  };
}

async function subjectRow(db: CatalogTx, id: string): Promise<SubjectRow> {
  const row = await db.get<SubjectRow>('SELECT * FROM subjects WHERE id = ?', [id]);
  if (!row) throw new SafehouseError('NOT_FOUND', `No subject with id ${id} in this vault.`);
  return row;
}

export async function assertSubject(db: CatalogTx, id: string): Promise<void> {
  await subjectRow(db, id);
}

export async function createSubject(vault: UnlockedVault, input: NewSubject): Promise<SubjectDetail> {
  const catalog = await vault.catalog();
  const id = newSubjectId();
  const protection = normaliseProtection(input.protection ?? []);
  const hasIdentity = [input.realName, input.contact, input.notes].some((v) => v !== undefined && v !== '');
  const identity: SubjectIdentity = { realName: input.realName ?? '', contact: input.contact ?? '', notes: input.notes ?? '' };
  await catalog.transaction(async (tx) => {
    await tx.run('INSERT INTO subjects (id, pseudonym_sealed, identity_sealed, protection_json, created_at) VALUES (?, ?, ?, ?, ?)', [
      id,
      vault.sealValue(vault.sealClassFor('subject-text'), input.pseudonym),
      hasIdentity ? vault.sealValue('identity', JSON.stringify(identity)) : null,
      JSON.stringify(protection),
      new Date().toISOString(),
    ]);
    // The audit names the subject by id only: the pseudonym is typed text, the identity must never appear.
    await appendAudit(vault, 'subject.create', { subject: id, protection: protection.join(','), identity: hasIdentity });
  });
  return getSubject(vault, id);
}

export async function listSubjects(vault: UnlockedVault): Promise<Subject[]> {
  const catalog = await vault.catalog();
  const rows = await catalog.all<SubjectRow>('SELECT * FROM subjects ORDER BY created_at, id');
  const subjects = await Promise.all(rows.map((row) => toSubject(vault, catalog, row)));
  return subjects.sort((a, b) => a.pseudonym.localeCompare(b.pseudonym));
}

export async function subjectAppearances(db: CatalogTx, where: { subjectId?: string; id?: string }): Promise<Appearance[]> {
  const [column, value] = where.id !== undefined ? ['a.id', where.id] : ['a.subject_id', where.subjectId];
  const rows = await db.all<{ id: string; subject_id: string; clip_id: string; code: string; ranges_json: string; regions_json: string; created_at: string }>(
    `SELECT a.*, c.code FROM appearances a JOIN clips c ON c.id = a.clip_id WHERE ${column} = ? ORDER BY c.code, a.created_at`,
    [value],
  );
  return rows.map((row) => ({
    id: row.id,
    subjectId: row.subject_id,
    clipId: row.clip_id,
    clipCode: row.code,
    ranges: JSON.parse(row.ranges_json) as Appearance['ranges'],
    regions: JSON.parse(row.regions_json) as Appearance['regions'],
    createdAt: row.created_at,
  }));
}

export async function getSubject(vault: UnlockedVault, id: string): Promise<SubjectDetail> {
  const catalog = await vault.catalog();
  const row = await subjectRow(catalog, id);
  const subject = await toSubject(vault, catalog, row);
  const evidence = await catalog.all<{ id: string; kind: string; size: number; created_at: string }>(
    'SELECT id, kind, size, created_at FROM subject_evidence WHERE subject_id = ? ORDER BY created_at',
    [id],
  );
  return {
    ...subject,
    consentHistory: await consentHistory(vault, catalog, id),
    appearances: await subjectAppearances(catalog, { subjectId: id }),
    evidence: evidence.map((e) => ({ id: e.id, kind: e.kind, sizeBytes: e.size, createdAt: e.created_at })),
    unprotectedClipCount: unprotectedCount(await evaluateClips(vault, catalog), id),
    exports: await exportsContainingSubject(vault, catalog, id),
  };
}

export async function clipsOfSubject(db: CatalogTx, id: string): Promise<string[]> {
  const rows = await db.all<{ clip_id: string }>('SELECT DISTINCT clip_id FROM appearances WHERE subject_id = ?', [id]);
  return rows.map((r) => r.clip_id);
}

export async function setProtection(vault: UnlockedVault, id: string, list: Protection[]): Promise<SubjectDetail> {
  const catalog = await vault.catalog();
  const protection = normaliseProtection(list);
  const clips = await catalog.transaction(async (tx) => {
    await subjectRow(tx, id);
    await tx.run('UPDATE subjects SET protection_json = ? WHERE id = ?', [JSON.stringify(protection), id]);
    await appendAudit(vault, 'subject.protection', { subject: id, protection: protection.join(',') });
    return clipsOfSubject(tx, id);
  });
  emitProtectionChanged(clips);
  return getSubject(vault, id);
}

const MAX_EVIDENCE_BYTES = 2 * 1024 * 1024 * 1024;

/**
 * Consent evidence (a photographed release, a recorded verbal consent, a PDF) is streamed straight into
 * an identity-class object: the vault never holds a plaintext copy, and a field vault can add evidence it
 * cannot read back. Deleting the source file is the user's call; we say so in the CLI.
 */
export async function addEvidence(vault: UnlockedVault, id: string, file: string, kind: string): Promise<SubjectDetail> {
  const catalog = await vault.catalog();
  await subjectRow(catalog, id);
  const stat = await fs.stat(file).catch(() => null);
  if (!stat?.isFile()) throw new SafehouseError('SOURCE_NOT_FOUND', `No readable file at ${file}.`);
  if (stat.size > MAX_EVIDENCE_BYTES) throw new SafehouseError('INVALID_INPUT', 'Evidence files are limited to 2 GiB.');
  const object = await vault.writeObject('identity', createReadStream(file), { type: 'consent-evidence', kind, subject: id });
  const now = new Date().toISOString();
  const evidenceId = randomBytes(8).toString('hex');
  await catalog.transaction(async (tx) => {
    await recordObjects(tx, [{ id: object.id, cls: 'identity', plainSize: object.plainSize }]);
    await tx.run('INSERT INTO subject_evidence (id, subject_id, object_id, kind, size, created_at) VALUES (?, ?, ?, ?, ?, ?)', [
      evidenceId, id, object.id, kind, object.plainSize, now,
    ]);
    await appendAudit(vault, 'subject.evidence', { subject: id, evidence: evidenceId, kind });
  });
  return getSubject(vault, id);
}
