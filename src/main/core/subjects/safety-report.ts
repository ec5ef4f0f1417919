import { SafehouseError } from '../../../shared/errors';
import type { ClipSafetyReport, ClipStatus, SafetyReport, SubjectSafetyReport } from '../../../shared/model';
import type { CatalogTx } from '../catalog';
import type { UnlockedVault } from '../vault/vault';
import { exportsContainingClips } from './exports-lookup';
import { loadSafetyInputs, ruleClip } from './safety-data';
import { evaluateClip } from './safety-rules';

/** Every clip's verdict with its reasons and fixes, and per subject where they appear and what is unresolved. */

interface ClipRow {
  id: string;
  code: string;
  status: ClipStatus;
  card_id: string;
}

export async function evaluateClips(vault: UnlockedVault, db?: CatalogTx, clipId?: string): Promise<ClipSafetyReport[]> {
  const catalog = db ?? (await vault.catalog());
  const rows = clipId
    ? await catalog.all<ClipRow>('SELECT id, code, status, card_id FROM clips WHERE id = ?', [clipId])
    : await catalog.all<ClipRow>('SELECT id, code, status, card_id FROM clips ORDER BY code');
  if (clipId && rows.length === 0) throw new SafehouseError('NOT_FOUND', `No clip with id ${clipId} in this vault.`);
  const inputs = await loadSafetyInputs(vault, catalog, clipId ? [clipId] : undefined);
  return rows.map((row) => {
    const appearances = inputs.appearances.get(row.id) ?? [];
    const verdict = evaluateClip(ruleClip(inputs, row), appearances, inputs.subjects);
    return {
      clipId: row.id,
      code: row.code,
      cardId: row.card_id,
      status: row.status,
      safety: verdict.safety,
      subjectIds: [...new Set(appearances.map((a) => a.subjectId))],
      reasons: verdict.reasons,
    };
  });
}

/** Clips in which a reason names this subject: where their protection or consent is not yet honoured. */
export function unprotectedCount(clips: readonly ClipSafetyReport[], subjectId: string): number {
  return clips.filter((clip) => clip.reasons.some((r) => r.subjectId === subjectId)).length;
}

export async function buildSafetyReport(vault: UnlockedVault): Promise<SafetyReport> {
  const catalog = await vault.catalog();
  const clips = await evaluateClips(vault, catalog);
  const inputs = await loadSafetyInputs(vault, catalog);
  const subjects: SubjectSafetyReport[] = [];
  for (const subject of [...inputs.subjects.values()].sort((a, b) => a.pseudonym.localeCompare(b.pseudonym))) {
    const theirs = clips.filter((clip) => clip.subjectIds.includes(subject.id));
    subjects.push({
      subjectId: subject.id,
      pseudonym: subject.pseudonym,
      consent: subject.consent ?? 'unrecorded',
      protection: [...subject.protection],
      clips: theirs.map((clip) => ({ clipId: clip.clipId, code: clip.code, safety: clip.safety })),
      unprotectedClipCount: unprotectedCount(clips, subject.id),
      exports: await exportsContainingClips(vault, catalog, theirs.map((clip) => clip.clipId)),
    });
  }
  return {
    generatedAt: new Date().toISOString(),
    counts: {
      cleared: clips.filter((c) => c.safety === 'cleared').length,
      needsReview: clips.filter((c) => c.safety === 'needs-review').length,
      blocked: clips.filter((c) => c.safety === 'blocked').length,
    },
    clips,
    subjects,
  };
}
