import type { ConsentChange, ConsentRecord, ConsentState } from '../../../shared/model';
import { appendAudit } from '../audit/audit-log';
import type { CatalogTx } from '../catalog';
import type { UnlockedVault } from '../vault/vault';
import { exportsContainingSubject } from './exports-lookup';
import { emitProtectionChanged } from './protection-events';
import { assertSubject, clipsOfSubject, getSubject } from './subjects';

/**
 * Consent history: one row per decision, appended, never updated or deleted (triggers in migration 4
 * refuse both), so the producer can always show what someone agreed to and when. The current state is
 * simply the latest row.
 */

interface ConsentRow {
  state: ConsentState;
  scope_sealed: Uint8Array | null;
  recorded_by_sealed: Uint8Array | null;
  recorded_at: string;
}

/** Newest first; limit 1 gives the current consent. */
export async function consentHistory(vault: UnlockedVault, db: CatalogTx, subjectId: string, limit = -1): Promise<ConsentRecord[]> {
  const rows = await db.all<ConsentRow>('SELECT * FROM consents WHERE subject_id = ? ORDER BY seq DESC LIMIT ?', [subjectId, limit]);
  return rows.map((row) => ({
    state: row.state,
    // '' where this vault cannot open them: a field vault seals what the crew typed to HQ.
    scope: row.scope_sealed ? (vault.openTextIfHeld(row.scope_sealed) ?? '') : '',
    recordedBy: row.recorded_by_sealed ? (vault.openTextIfHeld(row.recorded_by_sealed) ?? '') : '',
    recordedAt: row.recorded_at,
  }));
}

export interface ConsentInput {
  id: string;
  state: ConsentState;
  scope?: string | undefined;
  recordedBy?: string | undefined;
}

/**
 * Records a decision. Safety status is computed from the latest row, so a withdrawal blocks the subject's
 * clips the moment it commits; proxies are told to rebuild, and the recall list of past exports is returned.
 */
export async function setConsent(vault: UnlockedVault, input: ConsentInput): Promise<ConsentChange> {
  const catalog = await vault.catalog();
  const recordedBy = input.recordedBy ?? (vault.info.kind === 'field' ? 'field crew' : 'producer');
  const { clips, recall } = await catalog.transaction(async (tx) => {
    await assertSubject(tx, input.id);
    await tx.run('INSERT INTO consents (subject_id, state, scope_sealed, recorded_by_sealed, recorded_at) VALUES (?, ?, ?, ?, ?)', [
      input.id,
      input.state,
      vault.sealValue(vault.sealClassFor('subject-text'), input.scope ?? ''),
      vault.sealValue(vault.sealClassFor('subject-text'), recordedBy),
      new Date().toISOString(),
    ]);
    const recall = input.state === 'withdrawn' ? await exportsContainingSubject(vault, tx, input.id) : [];
    await appendAudit(vault, 'subject.consent', { subject: input.id, state: input.state, recallExports: recall.length });
    return { clips: await clipsOfSubject(tx, input.id), recall };
  });
  emitProtectionChanged(clips);
  return { subject: await getSubject(vault, input.id), recall };
}
