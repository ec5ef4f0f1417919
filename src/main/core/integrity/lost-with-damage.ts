import type { DamagedObject, VaultVerification } from '../../../shared/model';
import type { Catalog } from '../catalog';
import type { UnlockedVault } from '../vault/vault';

/**
 * What a person loses with the damaged objects, named as they know it: the clips (by neutral code) whose
 * footage, report or proxy is gone, the cards those clips came from, and the subjects whose consent evidence
 * is gone or who appear in footage that is.
 */
export async function whatWasLost(vault: UnlockedVault, catalog: Catalog, damaged: DamagedObject[]): Promise<VaultVerification['lost']> {
  const clips: VaultVerification['lost']['clips'] = [];
  const cardIds = new Set<string>();
  const subjectIds = new Set<string>();
  const lostMasters: string[] = [];
  for (const object of damaged) {
    for (const owner of object.owners) {
      if (owner.clipId && owner.clipCode && owner.cardId) clips.push({ clipId: owner.clipId, code: owner.clipCode, cardId: owner.cardId, what: owner.role });
      // A card is lost from when its footage or its offload report is: a proxy can be made again.
      if (owner.cardId && (owner.role === 'master' || owner.role === 'ingest-report')) cardIds.add(owner.cardId);
      if (owner.role === 'master' && owner.clipId) lostMasters.push(owner.clipId);
      if (owner.subjectId) subjectIds.add(owner.subjectId);
    }
  }
  if (lostMasters.length > 0) {
    const placeholders = lostMasters.map(() => '?').join(', ');
    const appearing = await catalog.all<{ subject_id: string }>(`SELECT DISTINCT subject_id FROM appearances WHERE clip_id IN (${placeholders})`, lostMasters);
    for (const row of appearing) subjectIds.add(row.subject_id);
  }
  const cards = [];
  for (const cardId of [...cardIds].sort()) {
    const row = await catalog.get<{ label_sealed: Uint8Array | null }>('SELECT label_sealed FROM cards WHERE id = ?', [cardId]);
    cards.push({ cardId, label: row?.label_sealed ? openOr(vault, row.label_sealed) : '' });
  }
  const subjects = [];
  for (const subjectId of [...subjectIds].sort()) {
    const row = await catalog.get<{ pseudonym_sealed: Uint8Array }>('SELECT pseudonym_sealed FROM subjects WHERE id = ?', [subjectId]);
    subjects.push({ subjectId, pseudonym: row ? openOr(vault, row.pseudonym_sealed) : '' });
  }
  clips.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : a.what < b.what ? -1 : 1));
  return { clips, cards, subjects };
}

/** A damaged catalog value must not stop the report of the damage around it. */
function openOr(vault: UnlockedVault, sealed: Uint8Array): string {
  try {
    return vault.openText(sealed);
  } catch {
    return '(unreadable)';
  }
}
