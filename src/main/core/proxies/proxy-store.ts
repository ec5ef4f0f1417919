import type { Catalog } from '../catalog';
import type { UnlockedVault } from '../vault/vault';
import { recordObjects } from '../catalog/objects';

/**
 * Catalog side of proxies (migration 5). The proxy and thumbnail objects are written first; the row that
 * points at them and the removal of the replaced objects' rows happen in one transaction; only then are
 * the replaced objects deleted from disk. A crash in between leaves unrecorded objects (removed by the next
 * offload's cleanup), never a row pointing at nothing.
 */

export interface ProxyRow {
  clip_id: string;
  object_id: string;
  thumbs_object_id: string | null;
  plan_fingerprint: string;
  mode: 'full' | 'regions' | 'none';
  created_at: string;
}

/** What the proxy builder needs to know about a clip. */
export interface ProxySourceClip {
  id: string;
  code: string;
  kind: 'video' | 'audio' | 'still';
  status: string;
  master_object_id: string | null;
  duration: number | null;
  summary_sealed: Uint8Array | null;
}

export async function getProxyRow(catalog: Catalog, clipId: string): Promise<ProxyRow | undefined> {
  return catalog.get<ProxyRow>('SELECT * FROM proxies WHERE clip_id = ?', [clipId]);
}

export async function listProxyRows(catalog: Catalog): Promise<Map<string, ProxyRow>> {
  const rows = await catalog.all<ProxyRow>('SELECT * FROM proxies');
  return new Map(rows.map((row) => [row.clip_id, row]));
}

export async function getSourceClip(catalog: Catalog, clipId: string): Promise<ProxySourceClip | undefined> {
  return catalog.get<ProxySourceClip>('SELECT id, code, kind, status, master_object_id, duration, summary_sealed FROM clips WHERE id = ?', [clipId]);
}

/** Clips that should have a proxy: verified audio/video with a sanitized master. */
export async function proxyCandidateIds(catalog: Catalog, clipIds?: readonly string[]): Promise<string[]> {
  const rows = await catalog.all<{ id: string }>(
    "SELECT id FROM clips WHERE status = 'verified' AND kind IN ('video', 'audio') AND master_object_id IS NOT NULL ORDER BY code",
  );
  const ids = rows.map((row) => row.id);
  if (!clipIds) return ids;
  const wanted = new Set(clipIds);
  return ids.filter((id) => wanted.has(id));
}

/** The camera timecode recorded at offload (sealed clip summary); null when the source had none. */
export function sourceTimecode(vault: UnlockedVault, clip: Pick<ProxySourceClip, 'summary_sealed'>): string | null {
  if (!clip.summary_sealed) return null;
  try {
    const summary = JSON.parse(vault.openText(clip.summary_sealed)) as { timecode?: unknown };
    return typeof summary.timecode === 'string' ? summary.timecode : null;
  } catch {
    return null;
  }
}

export async function replaceProxy(
  vault: UnlockedVault,
  catalog: Catalog,
  clipId: string,
  made: { proxy: { id: string; plainSize: number }; thumbs: { id: string; plainSize: number } | null },
  plan: { fingerprint: string; mode: ProxyRow['mode'] },
): Promise<void> {
  const old = await catalog.transaction(async (tx) => {
    const now = new Date().toISOString();
    await recordObjects(tx, [made.proxy, ...(made.thumbs ? [made.thumbs] : [])].map((object) => ({ ...object, cls: 'proxy' as const })));
    const previous = await tx.get<ProxyRow>('SELECT * FROM proxies WHERE clip_id = ?', [clipId]);
    await tx.run(
      `INSERT INTO proxies (clip_id, object_id, thumbs_object_id, plan_fingerprint, mode, created_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (clip_id) DO UPDATE SET object_id = excluded.object_id, thumbs_object_id = excluded.thumbs_object_id,
         plan_fingerprint = excluded.plan_fingerprint, mode = excluded.mode, created_at = excluded.created_at`,
      [clipId, made.proxy.id, made.thumbs?.id ?? null, plan.fingerprint, plan.mode, now],
    );
    const stale = previous ? [previous.object_id, previous.thumbs_object_id].filter((id): id is string => id !== null) : [];
    for (const id of stale) await tx.run('DELETE FROM objects WHERE id = ?', [id]);
    return stale;
  });
  for (const id of old) await vault.deleteObject(id).catch(() => undefined);
}

/** Removes a clip's proxy (a subject was excluded or withdrew): row, object rows, then the objects. */
export async function removeProxy(vault: UnlockedVault, catalog: Catalog, clipId: string): Promise<boolean> {
  const old = await catalog.transaction(async (tx) => {
    const previous = await tx.get<ProxyRow>('SELECT * FROM proxies WHERE clip_id = ?', [clipId]);
    if (!previous) return [];
    await tx.run('DELETE FROM proxies WHERE clip_id = ?', [clipId]);
    const ids = [previous.object_id, previous.thumbs_object_id].filter((id): id is string => id !== null);
    for (const id of ids) await tx.run('DELETE FROM objects WHERE id = ?', [id]);
    return ids;
  });
  for (const id of old) await vault.deleteObject(id).catch(() => undefined);
  return old.length > 0;
}
