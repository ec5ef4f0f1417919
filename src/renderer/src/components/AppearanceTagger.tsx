import { useEffect, useState, type FormEvent } from 'react';
import type { Appearance, Clip, RegionKeyframe } from '../../../shared/model';
import { formatDuration, plural } from '../format';
import { callCore } from '../safehouse';
import { useCoreQuery } from '../useCore';
import { ErrorNotice } from './EmptyState';
import { RegionDrawer } from './RegionDrawer';

/** Matches listed at once; the search narrows, so every clip of a large vault can be reached. */
const MATCHES = 12;

/** Records that a subject appears in a clip: optionally when (a time range) and where (a region track). */
export function AppearanceTagger({ subjectId, initialClipId, onAdded }: { subjectId: string; initialClipId?: string; onAdded: (appearance: Appearance) => void }) {
  const [search, setSearch] = useState('');
  const [matches] = useCoreQuery('clips.query', { offset: 0, limit: MATCHES, ...(search.trim() ? { search: search.trim() } : {}) });
  const [clip, setClip] = useState<Clip | null>(null);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [regions, setRegions] = useState<RegionKeyframe[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!initialClipId) return;
    void callCore('clip.get', { id: initialClipId }).then((result) => result.ok && setClip(result.value));
  }, [initialClipId]);

  if (matches.state === 'error') return <ErrorNotice message={matches.error.message} />;
  if (matches.state === 'ready' && matches.value.total === 0 && !search.trim() && !clip) {
    return <p className="muted">No clips in the vault yet: offload a card first, then tag who appears in each clip.</p>;
  }
  const choose = (next: Clip | null) => {
    setClip(next);
    setRegions([]);
  };

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
      {clip ? (
        <div className="row chosen-clip">
          <span className="grow">
            Clip <strong>{clip.code}</strong> · {clip.kind} · {formatDuration(clip.durationSeconds)}
          </span>
          <button type="button" onClick={() => choose(null)}>
            Choose another clip
          </button>
        </div>
      ) : (
        <div className="stack">
          <label>
            Find the clip
            <input type="search" value={search} onChange={(event) => setSearch(event.target.value)} placeholder="Clip code, card label or subject" autoComplete="off" />
          </label>
          {matches.state === 'loading' ? (
            <p aria-busy="true">Searching…</p>
          ) : (
            <>
              <ul className="clip-matches" aria-label="Matching clips">
                {matches.value.items.map((item) => (
                  <li key={item.id}>
                    <button type="button" onClick={() => choose(item)}>
                      {item.code} · {item.kind} · {formatDuration(item.durationSeconds)} · {item.safety}
                    </button>
                  </li>
                ))}
              </ul>
              <span className="hint" role="status">
                {matches.value.total === 0
                  ? 'No clip matches. Try part of a clip code such as C0042.'
                  : matches.value.total > matches.value.items.length
                    ? `${plural(matches.value.total, 'clip')} match; the first ${matches.value.items.length} are listed. Type more to narrow.`
                    : `${plural(matches.value.total, 'clip')} match.`}
              </span>
            </>
          )}
        </div>
      )}
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
