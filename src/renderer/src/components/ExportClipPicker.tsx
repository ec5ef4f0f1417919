import type { Clip, ClipSafetyReport, ProxyStatus } from '../../../shared/model';
import { formatDuration } from '../format';
import { SafetyBadge } from './Badges';

export interface ExportRow {
  clip: Clip;
  /** Why it cannot leave; null when it may. */
  refusal: string | null;
  proxy: ProxyStatus | null;
}

/** Why a clip may not leave, in the editor's words: blocked and unreviewed clips stay in, with the reason. */
export function exportRows(clips: Clip[], reports: ClipSafetyReport[], proxies: ProxyStatus[]): ExportRow[] {
  const reasons = new Map(reports.map((r) => [r.clipId, r.reasons.map((reason) => reason.message).join(' ')]));
  const proxyById = new Map(proxies.map((p) => [p.clipId, p]));
  return clips.map((clip) => {
    let refusal: string | null = null;
    if (clip.safety !== 'cleared') refusal = reasons.get(clip.id) || (clip.safety === 'blocked' ? 'Blocked.' : 'Not reviewed yet.');
    else if (clip.kind === 'still') refusal = 'Photos have no proxies.';
    else if (clip.status !== 'verified') refusal = `The clip is ${clip.status}.`;
    return { clip, refusal, proxy: proxyById.get(clip.id) ?? null };
  });
}

const proxyText: Record<ProxyStatus['state'], string> = {
  ready: 'ready',
  stale: 'to be rebuilt',
  missing: 'made on export',
  queued: 'queued',
  building: 'building',
  failed: 'failed',
  excluded: 'none (excluded)',
};

/** Cleared clips can be ticked; everything else is listed with why it cannot leave. */
export function ExportClipPicker({ rows, selected, onToggle, onSelectAll }: { rows: ExportRow[]; selected: Set<string>; onToggle: (id: string) => void; onSelectAll: (all: boolean) => void }) {
  const eligible = rows.filter((row) => row.refusal === null);
  const allSelected = eligible.length > 0 && eligible.every((row) => selected.has(row.clip.id));
  return (
    <table className="clip-table export-table">
      <thead>
        <tr>
          <th scope="col">
            <input
              type="checkbox"
              aria-label="Select all cleared clips"
              checked={allSelected}
              disabled={eligible.length === 0}
              onChange={(event) => onSelectAll(event.target.checked)}
            />
          </th>
          <th scope="col">Clip</th>
          <th scope="col">Duration</th>
          <th scope="col">Safety</th>
          <th scope="col">Proxy</th>
          <th scope="col">Why it cannot leave</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(({ clip, refusal, proxy }) => (
          <tr key={clip.id} className={refusal ? 'refused' : 'eligible'}>
            <td>
              <input
                type="checkbox"
                aria-label={`Export ${clip.code}`}
                checked={selected.has(clip.id)}
                disabled={refusal !== null}
                onChange={() => onToggle(clip.id)}
              />
            </td>
            <td>{clip.code}</td>
            <td>{formatDuration(clip.durationSeconds)}</td>
            <td>
              <SafetyBadge safety={clip.safety} />
            </td>
            <td>{proxy ? `${proxyText[proxy.state]}${proxy.mode ? ` (${proxy.mode})` : ''}` : '—'}</td>
            <td className="reason">{refusal ?? '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
