import type { ClipReport, ClipStatus } from '../../../shared/model';
import { SafehouseError } from '../../../shared/errors';
import type { UnlockedVault } from '../vault/vault';

/** The sealed per-clip summary written at offload (proxy class): readable on a field laptop too. */
export async function readClipReport(vault: UnlockedVault, clipId: string): Promise<ClipReport> {
  const catalog = await vault.catalog();
  const row = await catalog.get<{ code: string; status: ClipStatus; reason: string | null; summary_sealed: Uint8Array | null }>(
    'SELECT code, status, reason, summary_sealed FROM clips WHERE id = ?',
    [clipId],
  );
  if (!row) throw new SafehouseError('NOT_FOUND', `No clip with id ${clipId} in this vault.`);
  const summary = row.summary_sealed ? (JSON.parse(vault.openText(row.summary_sealed)) as Omit<ClipReport, 'clipId' | 'code' | 'status' | 'reason'>) : null;
  return {
    clipId,
    code: row.code,
    status: row.status,
    reason: row.reason,
    findings: summary?.findings ?? { location: 0, identity: 0, device: 0 },
    fields: summary?.fields ?? [],
    sidecarsLeftOnCard: summary?.sidecarsLeftOnCard ?? [],
    proof: summary?.proof ?? null,
    timecode: summary?.timecode ?? null,
    conversion: summary?.conversion ?? null,
  };
}
