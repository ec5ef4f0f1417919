import { useEffect, useRef, useState, type PointerEvent } from 'react';
import { callCore } from '../safehouse';
import type { RegionKeyframe } from '../../../shared/model';
import { ProxyGate } from './ProxyGate';
import { boxAt, boxFromCorners, normaliseBox, percent, type Box } from '../regions';

/**
 * Drawing a face's region track on the proxy: pause, drag a box on the frame, add it as a keyframe at the
 * current time; repeat at other times and the proxy interpolates between them. The box can also be typed
 * (percent of the frame), so the whole thing works from the keyboard.
 */
export function RegionDrawer({
  clipId,
  durationSeconds,
  keyframes,
  onChange,
}: {
  clipId: string;
  durationSeconds: number | null;
  keyframes: RegionKeyframe[];
  onChange: (keyframes: RegionKeyframe[]) => void;
}) {
  const video = useRef<HTMLVideoElement>(null);
  const overlay = useRef<HTMLDivElement>(null);
  const drag = useRef<{ x: number; y: number } | null>(null);
  const [time, setTime] = useState(0);
  const [duration, setDuration] = useState(durationSeconds ?? 0);
  const [aspect, setAspect] = useState(16 / 9);
  const [playing, setPlaying] = useState(false);
  const [videoState, setVideoState] = useState<'loading' | 'ready' | 'unavailable'>('loading');
  const [draft, setDraft] = useState<Box | null>(null);
  const [frame, setFrame] = useState<{ url: string; seconds: number } | null>(null);
  const [frameError, setFrameError] = useState<string | null>(null);

  const point = (event: PointerEvent) => {
    const rect = overlay.current!.getBoundingClientRect();
    return { x: (event.clientX - rect.left) / rect.width, y: (event.clientY - rect.top) / rect.height };
  };
  const down = (event: PointerEvent<HTMLDivElement>) => {
    if (event.button !== 0) return;
    video.current?.pause();
    event.currentTarget.setPointerCapture(event.pointerId);
    drag.current = point(event);
    setDraft(null);
  };
  const move = (event: PointerEvent<HTMLDivElement>) => {
    if (!drag.current) return;
    const p = point(event);
    setDraft(boxFromCorners(drag.current.x, drag.current.y, p.x, p.y));
  };
  const up = (event: PointerEvent<HTMLDivElement>) => {
    if (!drag.current) return;
    const p = point(event);
    const box = boxFromCorners(drag.current.x, drag.current.y, p.x, p.y);
    drag.current = null;
    setDraft(box.w < 0.01 || box.h < 0.01 ? null : box);
  };

  const seek = (t: number) => {
    const clamped = Math.max(0, duration > 0 ? Math.min(t, duration) : t);
    setTime(clamped);
    if (video.current && videoState === 'ready') video.current.currentTime = clamped;
  };
  const addKeyframe = () => {
    if (!draft) return;
    const t = Math.round(time * 1000) / 1000;
    onChange([...keyframes.filter((k) => Math.abs(k.t - t) > 0.001), { t, ...normaliseBox(draft) }].sort((a, b) => a.t - b.t));
    setDraft(null);
  };
  const edit = (field: keyof Box, value: string) => {
    const number = Number(value) / 100;
    if (!Number.isFinite(number)) return;
    setDraft(normaliseBox({ ...(draft ?? { x: 0.4, y: 0.3, w: 0.2, h: 0.3 }), [field]: number }));
  };

  const showRealFrame = async () => {
    video.current?.pause();
    setFrameError(null);
    const result = await callCore('clip.reviewFrame', { id: clipId, seconds: time });
    if (!result.ok) {
      setFrameError(result.error.message);
      return;
    }
    const blob = new Blob([Uint8Array.from(atob(result.value.base64), (char) => char.charCodeAt(0))], { type: result.value.mime });
    setFrame((previous) => {
      if (previous) URL.revokeObjectURL(previous.url);
      return { url: URL.createObjectURL(blob), seconds: time };
    });
  };
  const hideRealFrame = () =>
    setFrame((previous) => {
      if (previous) URL.revokeObjectURL(previous.url);
      return null;
    });
  // The decoded frame lives only in a blob URL; release it when the drawer goes away.
  const frameRef = useRef(frame);
  frameRef.current = frame;
  useEffect(
    () => () => {
      if (frameRef.current) URL.revokeObjectURL(frameRef.current.url);
    },
    [],
  );

  const tracked = boxAt(keyframes, time);
  return (
    <div className="region-drawer">
      <div className="stage" style={{ aspectRatio: String(aspect) }}>
        <ProxyGate clipId={clipId} placeholder={(message) => <div className="stage-placeholder" role="status">{message}</div>}>
          <video
            ref={video}
            src={`/media/proxy/${clipId}`}
            preload="metadata"
            muted
            playsInline
            onLoadedMetadata={(event) => {
              const element = event.currentTarget;
              if (element.videoWidth > 0) setAspect(element.videoWidth / element.videoHeight);
              if (Number.isFinite(element.duration)) setDuration(element.duration);
              setVideoState('ready');
            }}
            onError={() => setVideoState('unavailable')}
            onTimeUpdate={(event) => setTime(event.currentTarget.currentTime)}
            onPlay={() => setPlaying(true)}
            onPause={() => setPlaying(false)}
          />
          {videoState !== 'ready' && (
            <div className="stage-placeholder" role="status">
              {videoState === 'loading' ? 'Opening the proxy…' : 'The proxy could not be played. You can still draw or type the box at a time.'}
            </div>
          )}
        </ProxyGate>
        {frame && <img className="review-frame" src={frame.url} alt={`Unmasked frame at ${frame.seconds.toFixed(2)} s (HQ view, not saved)`} />}
        <div className="region-overlay" ref={overlay} onPointerDown={down} onPointerMove={move} onPointerUp={up} data-testid="region-overlay" aria-hidden="true">
          {tracked && !draft && <div className="region-box tracked" style={{ left: percent(tracked.x), top: percent(tracked.y), width: percent(tracked.w), height: percent(tracked.h) }} />}
          {draft && <div className="region-box draft" style={{ left: percent(draft.x), top: percent(draft.y), width: percent(draft.w), height: percent(draft.h) }} />}
        </div>
      </div>
      <div className="row wrap transport">
        <button type="button" onClick={() => (playing ? video.current?.pause() : void video.current?.play())} disabled={videoState !== 'ready'}>
          {playing ? 'Pause' : 'Play'}
        </button>
        <button type="button" onClick={() => void showRealFrame()} title="The proxy hides the whole frame until the clip is reviewed. HQ can see one real frame to draw on; it is never saved, and the view is audited.">
          {frame ? 'Refresh real frame' : 'Show real frame (HQ)'}
        </button>
        {frame && (
          <button type="button" onClick={hideRealFrame}>
            Back to the proxy
          </button>
        )}
        <label className="grow">
          Position (seconds)
          <input type="range" min={0} max={Math.max(duration, 0.001)} step={0.04} value={time} onChange={(event) => seek(Number(event.target.value))} />
        </label>
        <label className="narrow">
          Time (s)
          <input type="number" min={0} step={0.1} value={Number(time.toFixed(2))} onChange={(event) => seek(Number(event.target.value))} />
        </label>
      </div>
      {frameError && (
        <div className="error-notice" role="alert">
          {frameError}
        </div>
      )}
      <fieldset className="row wrap box-fields">
        <legend>Box at {time.toFixed(2)} s (percent of the frame; drag on the picture, or type)</legend>
        {(['x', 'y', 'w', 'h'] as const).map((field) => (
          <label key={field} className="narrow">
            {{ x: 'Left', y: 'Top', w: 'Width', h: 'Height' }[field]}
            <input type="number" min={0} max={100} step={0.5} value={draft ? Number((draft[field] * 100).toFixed(2)) : ''} onChange={(event) => edit(field, event.target.value)} />
          </label>
        ))}
        <button type="button" className="primary" onClick={addKeyframe} disabled={!draft}>
          Add keyframe at {time.toFixed(2)} s
        </button>
      </fieldset>
      {keyframes.length > 0 && (
        <ol className="keyframes" aria-label="Region keyframes">
          {keyframes.map((k) => (
            <li key={k.t}>
              <button type="button" className="link" onClick={() => seek(k.t)}>
                {k.t.toFixed(2)} s
              </button>{' '}
              box {percent(k.x)}, {percent(k.y)} · {percent(k.w)} × {percent(k.h)}{' '}
              <button type="button" onClick={() => onChange(keyframes.filter((other) => other !== k))} aria-label={`Remove keyframe at ${k.t.toFixed(2)} seconds`}>
                Remove
              </button>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
