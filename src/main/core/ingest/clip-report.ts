import type { ClipReport, ClipStatus } from '../../../shared/model';
import { SafehouseError } from '../../../shared/errors';
import type { UnlockedVault } from '../vault/vault';

/** The sealed per-clip summary written at offload (proxy class; in a field vault sealed to HQ, so shown empty there). */
export async function readClipReport(vault: UnlockedVault, clipId: string): Promise<ClipReport> {
  const catalog = await vault.catalog();
  const row = await catalog.get<{ code: string; status: ClipStatus; reason: string | null; reason_sealed: Uint8Array | null; summary_sealed: Uint8Array | null }>(
    'SELECT code, status, reason, reason_sealed, summary_sealed FROM clips WHERE id = ?',
    [clipId],
  );
  if (!row) throw new SafehouseError('NOT_FOUND', `No clip with id ${clipId} in this vault.`);
  const opened = row.summary_sealed ? vault.openTextIfHeld(row.summary_sealed) : null;
  const summary = opened !== null ? (JSON.parse(opened) as Omit<ClipReport, 'clipId' | 'code' | 'status' | 'reason'>) : null;
  return {
    clipId,
    code: row.code,
    status: row.status,
    reason: row.reason ?? (row.reason_sealed ? vault.openTextIfHeld(row.reason_sealed) : null),
    findings: summary?.findings ?? { location: 0, identity: 0, device: 0 },
    fields: summary?.fields ?? [],
    sidecarsLeftOnCard: summary?.sidecarsLeftOnCard ?? [],
    proof: summary?.proof ?? null,
    timecode: summary?.timecode ?? null,
    conversion: summary?.conversion ?? null,
    ...(row.summary_sealed && opened === null ? { sealedToHq: true } : {}),
  };
}
