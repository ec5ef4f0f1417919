import type { ObjectOwner } from '../../../shared/model';
import type { Catalog } from '../catalog';

/**
 * Everything in the catalog that points at a vault object, so a verification can say what was lost with a
 * damaged one. Objects nothing points at (an unknown future table's) get no owner, and are still checked.
 */
export async function objectOwners(catalog: Catalog): Promise<Map<string, ObjectOwner[]>> {
  const owners = new Map<string, ObjectOwner[]>();
  const add = (objectId: string | null, owner: Partial<ObjectOwner> & Pick<ObjectOwner, 'role'>): void => {
    if (!objectId) return;
    const full: ObjectOwner = { clipId: null, clipCode: null, cardId: null, subjectId: null, exportId: null, ...owner };
    owners.set(objectId, [...(owners.get(objectId) ?? []), full]);
  };
  const clips = await catalog.all<{ id: string; code: string; card_id: string; master_object_id: string | null; report_object_id: string | null }>(
    'SELECT id, code, card_id, master_object_id, report_object_id FROM clips',
  );
  const clipById = new Map(clips.map((clip) => [clip.id, clip]));
  for (const clip of clips) {
    const about = { clipId: clip.id, clipCode: clip.code, cardId: clip.card_id };
    add(clip.master_object_id, { role: 'master', ...about });
    add(clip.report_object_id, { role: 'clip-report', ...about });
  }
  for (const row of await catalog.all<{ card_id: string; report_object_id: string | null }>('SELECT card_id, report_object_id FROM ingests')) {
    add(row.report_object_id, { role: 'ingest-report', cardId: row.card_id });
  }
  for (const row of await catalog.all<{ subject_id: string; object_id: string }>('SELECT subject_id, object_id FROM subject_evidence')) {
    add(row.object_id, { role: 'evidence', subjectId: row.subject_id });
  }
  for (const row of await catalog.all<{ clip_id: string; object_id: string; thumbs_object_id: string | null }>('SELECT clip_id, object_id, thumbs_object_id FROM proxies')) {
    const clip = clipById.get(row.clip_id);
    const about = { clipId: row.clip_id, clipCode: clip?.code ?? null, cardId: clip?.card_id ?? null };
    add(row.object_id, { role: 'proxy', ...about });
    add(row.thumbs_object_id, { role: 'thumbnails', ...about });
  }
  for (const row of await catalog.all<{ id: string; manifest_object_id: string | null }>('SELECT id, manifest_object_id FROM exports')) {
    add(row.manifest_object_id, { role: 'export-manifest', exportId: row.id });
  }
  return owners;
}
