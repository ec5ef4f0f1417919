import type { CardSummary, Clip, ClipKind, ClipStatus, SafetyCounts, StreamSummary } from '../../../shared/model';
import { SafehouseError } from '../../../shared/errors';
import type { UnlockedVault } from '../vault/vault';
import { clipSafety } from '../subjects/safety-rules';

interface ClipRow {
  id: string;
  card_id: string;
  code: string;
  kind: ClipKind;
  status: ClipStatus;
  reason: string | null;
  original_name_sealed: Uint8Array | null;
  size: number;
  duration: number | null;
  streams_json: string | null;
  created_at: string;
}

function toClip(vault: UnlockedVault, row: ClipRow): Clip {
  const clip: Clip = {
    id: row.id,
    code: row.code,
    kind: row.kind,
    status: row.status,
    reason: row.reason,
    originalName: row.original_name_sealed ? vault.openText(row.original_name_sealed) : '',
    cardId: row.card_id,
    durationSeconds: row.duration,
    streams: row.streams_json ? (JSON.parse(row.streams_json) as StreamSummary[]) : [],
    sizeBytes: row.size,
    createdAt: row.created_at,
    safety: 'needs-review',
  };
  return { ...clip, safety: clipSafety(clip) };
}

export async function listClips(vault: UnlockedVault): Promise<Clip[]> {
  const catalog = await vault.catalog();
  const rows = await catalog.all<ClipRow>('SELECT * FROM clips ORDER BY code');
  return rows.map((row) => toClip(vault, row));
}

export async function getClip(vault: UnlockedVault, id: string): Promise<Clip> {
  const catalog = await vault.catalog();
  const row = await catalog.get<ClipRow>('SELECT * FROM clips WHERE id = ?', [id]);
  if (!row) throw new SafehouseError('NOT_FOUND', `No clip with id ${id} in this vault.`);
  return toClip(vault, row);
}

export async function listCards(vault: UnlockedVault): Promise<CardSummary[]> {
  const catalog = await vault.catalog();
  const cards = await catalog.all<{ id: string; label_sealed: Uint8Array | null; created_at: string }>('SELECT * FROM cards ORDER BY created_at');
  const counts = await catalog.all<{ card_id: string; total: number; verified: number }>(
    "SELECT card_id, COUNT(*) AS total, SUM(status = 'verified') AS verified FROM clips GROUP BY card_id",
  );
  return cards.map((card) => {
    const count = counts.find((entry) => entry.card_id === card.id);
    const clipCount = count?.total ?? 0;
    const verifiedCount = count?.verified ?? 0;
    return {
      id: card.id,
      label: card.label_sealed ? vault.openText(card.label_sealed) : '',
      createdAt: card.created_at,
      clipCount,
      verifiedCount,
      safeToWipe: clipCount > 0 && verifiedCount === clipCount,
    };
  });
}

export async function safetyCounts(vault: UnlockedVault): Promise<SafetyCounts> {
  const clips = await listClips(vault);
  return {
    cleared: clips.filter((clip) => clip.safety === 'cleared').length,
    needsReview: clips.filter((clip) => clip.safety === 'needs-review').length,
    blocked: clips.filter((clip) => clip.safety === 'blocked').length,
  };
}
