import { useState, type FormEvent } from 'react';
import type { Appearance, RegionKeyframe } from '../../../shared/model';
import { formatDuration } from '../format';
import { callCore } from '../safehouse';
import { useCoreQuery } from '../useCore';
import { ErrorNotice } from './EmptyState';
import { RegionDrawer } from './RegionDrawer';

const CLIP_CHOICES = 500;

/** Records that a subject appears in a clip: optionally when (a time range) and where (a region track). */
export function AppearanceTagger({ subjectId, initialClipId, onAdded }: { subjectId: string; initialClipId?: string; onAdded: (appearance: Appearance) => void }) {
  const [clips] = useCoreQuery('clips.query', { offset: 0, limit: CLIP_CHOICES });
  const [clipId, setClipId] = useState(initialClipId ?? '');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [regions, setRegions] = useState<RegionKeyframe[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (clips.state === 'loading') return <p aria-busy="true">Loading clips…</p>;
  if (clips.state === 'error') return <ErrorNotice message={clips.error.message} />;
  if (clips.value.total === 0) return <p className="muted">No clips in the vault yet: offload a card first, then tag who appears in each clip.</p>;
  const clip = clips.value.items.find((item) => item.id === clipId) ?? null;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!clip) return;
    const range = from !== '' && to !== '' ? [{ from: Number(from), to: Number(to) }] : [];
    setBusy(true);
    setError(null);
    const result = await callCore('appearances.add', { subjectId, clipId: clip.id, ...(range.length ? { ranges: range } : {}), ...(regions.length ? { regions } : {}) });
    setBusy(false);
    if (!result.ok) {
      setError(result.error.message);
      return;
    }
    setRegions([]);
    setFrom('');
    setTo('');
    onAdded(result.value);
  };

  return (
    <form className="tagger stack" onSubmit={submit} aria-label="Tag an appearance">
      <label>
        Clip
        <select
          value={clipId}
          onChange={(event) => {
            setClipId(event.target.value);
            setRegions([]);
          }}
          required
        >
          <option value="">Choose a clip…</option>
          {clips.value.items.map((item) => (
            <option key={item.id} value={item.id}>
              {item.code} · {item.kind} · {formatDuration(item.durationSeconds)} · {item.safety}
            </option>
          ))}
        </select>
        {clips.value.total > CLIP_CHOICES && <span className="hint">Showing the first {CLIP_CHOICES} of {clips.value.total} clips.</span>}
      </label>
      {clip && (
        <>
          <fieldset className="row wrap">
            <legend>When they appear (optional; empty means the whole clip)</legend>
            <label className="narrow">
              From (s)
              <input type="number" min={0} step={0.1} value={from} onChange={(event) => setFrom(event.target.value)} />
            </label>
            <label className="narrow">
              To (s)
              <input type="number" min={0} step={0.1} value={to} onChange={(event) => setTo(event.target.value)} />
            </label>
          </fieldset>
          {clip.kind === 'video' ? (
            <RegionDrawer key={clip.id} clipId={clip.id} durationSeconds={clip.durationSeconds} keyframes={regions} onChange={setRegions} />
          ) : (
            <p className="muted">Region tracks are drawn on video proxies; this clip is a {clip.kind}.</p>
          )}
          {error && <ErrorNotice message={error} />}
          <div className="row">
            <button type="submit" className="primary" disabled={busy}>
              {busy ? 'Saving…' : regions.length > 0 ? `Save appearance with ${regions.length} keyframe${regions.length === 1 ? '' : 's'}` : 'Save appearance'}
            </button>
            {regions.length === 0 && <span className="hint">Without a region track, a subject whose face must be hidden keeps the whole frame hidden.</span>}
          </div>
        </>
      )}
    </form>
  );
}
