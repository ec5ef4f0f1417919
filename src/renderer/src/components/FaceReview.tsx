import { useEffect, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import type { FaceTrack } from '../../../shared/model';
import { boxAt, boxFromCorners, percent, type Box } from '../regions';
import { callCore, onCoreEvent } from '../safehouse';
import { useCoreQuery } from '../useCore';
import { ErrorNotice } from './EmptyState';

/**
 * Reviewing a clip's automatic face tracks: real frames (HQ only, decoded in memory, each view audited) with
 * every track drawn, scrubbed by mouse or keyboard (←/→ 0.2 s, Shift 1 s); the tracks listed with their
 * time ranges. A person deletes false ones, adjusts a box at a frame, adds a missed face, assigns a track to
 * a subject, and confirms the whole set.
 */

const STEP = 0.2;
const fmt = (t: number) => `${t.toFixed(2)} s`;

function inSpan(track: FaceTrack, t: number): boolean {
  return t >= track.from - 1e-6 && t <= track.to + 1e-6;
}

/** Closed until asked: opening it shows unmasked frames, which are audited views, so never by accident. */
export function FaceReview(props: { clipId: string; durationSeconds: number | null }) {
  const [open, setOpen] = useState(false);
  if (!open) {
    return (
      <div className="row">
        <h3 className="grow">Faces</h3>
        <button type="button" onClick={() => setOpen(true)} title="Shows real frames (HQ only); each view is written to the audit log.">
          Review faces
        </button>
      </div>
    );
  }
  return <FaceReviewPanel {...props} />;
}

function FaceReviewPanel({ clipId, durationSeconds }: { clipId: string; durationSeconds: number | null }) {
  const [faces, reloadFaces] = useCoreQuery('faces.list', { clipId });
  const [subjects] = useCoreQuery('subjects.list', {});
  const [time, setTime] = useState(0);
  const [frame, setFrame] = useState<{ url: string; seconds: number } | null>(null);
  const [message, setMessage] = useState<{ kind: 'error' | 'status'; text: string } | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [draft, setDraft] = useState<Box | null>(null);
  const [scanning, setScanning] = useState<number | null>(null);
  const overlay = useRef<HTMLDivElement>(null);
  const drag = useRef<{ x: number; y: number } | null>(null);
  const duration = durationSeconds ?? 0;

  // The decoded frame lives only in a blob URL: replaced on every scrub, released when the screen goes.
  const frameRef = useRef(frame);
  frameRef.current = frame;
  useEffect(() => () => void (frameRef.current && URL.revokeObjectURL(frameRef.current.url)), []);

  useEffect(() => {
    let current = true;
    const timer = setTimeout(() => {
      void callCore('clip.reviewFrame', { id: clipId, seconds: time }).then((result) => {
        if (!current) return;
        if (!result.ok) {
          setMessage({ kind: 'error', text: result.error.message });
          return;
        }
        const blob = new Blob([Uint8Array.from(atob(result.value.base64), (c) => c.charCodeAt(0))], { type: result.value.mime });
        setFrame((previous) => {
          if (previous) URL.revokeObjectURL(previous.url);
          return { url: URL.createObjectURL(blob), seconds: time };
        });
      });
    }, 250); // a scrub fetches the frame where it stops, not every frame it passes
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [clipId, time]);

  useEffect(
    () =>
      onCoreEvent('faces.progress', (progress) => {
        if (progress.clipId !== clipId) return;
        setScanning(progress.state === 'analysing' || progress.state === 'queued' ? (progress.fraction ?? 0) : null);
        if (progress.state === 'done') reloadFaces();
      }),
    [clipId, reloadFaces],
  );

  const seek = (t: number) => setTime(Math.max(0, duration > 0 ? Math.min(t, duration) : t));
  const keys = (event: KeyboardEvent) => {
    const step = event.shiftKey ? 1 : STEP;
    if (event.key === 'ArrowRight') seek(time + step);
    else if (event.key === 'ArrowLeft') seek(time - step);
    else if (event.key === 'Home') seek(0);
    else if (event.key === 'End') seek(duration);
    else return;
    event.preventDefault();
  };
  const point = (event: PointerEvent) => {
    const rect = overlay.current!.getBoundingClientRect();
    return { x: (event.clientX - rect.left) / rect.width, y: (event.clientY - rect.top) / rect.height };
  };

  /** Runs a review call, then reloads the tracks; the error, if any, is shown as the core worded it. */
  const act = async (run: () => Promise<{ ok: boolean; error?: { message: string } }>, done: string) => {
    const result = await run();
    setMessage(result.ok ? { kind: 'status', text: done } : { kind: 'error', text: result.error?.message ?? 'Failed.' });
    if (result.ok) {
      setDraft(null);
      reloadFaces();
    }
  };
  const t = Math.round(time * 1000) / 1000;

  if (faces.state === 'loading') return <p aria-busy="true">Loading the face tracks…</p>;
  if (faces.state === 'error') return <ErrorNotice message={faces.error.message} />;
  const { tracks, scannedAt, confirmedAt } = faces.value;
  const visible = tracks.filter((track) => inSpan(track, time));
  return (
    <section className="region-drawer" aria-label="Face tracks">
      <div className="row wrap">
        <h3 className="grow">Faces</h3>
        <span role="status">
          {scannedAt === null ? 'Not analysed yet' : confirmedAt ? `Confirmed ${confirmedAt.slice(0, 16).replace('T', ' ')}` : 'Not confirmed by a person yet'}
          {scanning !== null && ` · analysing ${Math.round(scanning * 100)} %`}
        </span>
        <button type="button" onClick={() => void act(() => callCore('faces.scan', { clipIds: [clipId], wait: false }), 'Analysis started.')}>
          {scannedAt === null ? 'Find faces' : 'Analyse again'}
        </button>
        <button type="button" className="primary" disabled={scannedAt === null} onClick={() => void act(() => callCore('faces.confirm', { clipId }), 'Tracks confirmed.')}>
          Accept all tracks
        </button>
      </div>
      <div
        className="stage"
        tabIndex={0}
        onKeyDown={keys}
        aria-label={`Frame at ${fmt(time)}; arrow keys move 0.2 s, Shift+arrow 1 s`}
        style={{ aspectRatio: '16 / 9' }}
      >
        {frame ? (
          <img className="review-frame" src={frame.url} alt={`Unmasked frame at ${fmt(frame.seconds)} (HQ view, not saved)`} />
        ) : (
          <div className="stage-placeholder" role="status">
            Opening the frame…
          </div>
        )}
        <div
          className="region-overlay"
          ref={overlay}
          data-testid="face-overlay"
          onPointerDown={(event) => {
            if (event.button !== 0) return;
            event.currentTarget.setPointerCapture(event.pointerId);
            drag.current = point(event);
          }}
          onPointerMove={(event) => drag.current && setDraft(boxFromCorners(drag.current.x, drag.current.y, point(event).x, point(event).y))}
          onPointerUp={(event) => {
            if (!drag.current) return;
            const box = boxFromCorners(drag.current.x, drag.current.y, point(event).x, point(event).y);
            drag.current = null;
            setDraft(box.w < 0.01 || box.h < 0.01 ? null : box);
          }}
        >
          {visible.map((track) => {
            const box = boxAt(track.keyframes, time)!;
            const number = tracks.indexOf(track) + 1;
            return (
              <div
                key={track.id}
                className="region-box tracked"
                data-testid="face-box"
                style={{ left: percent(box.x), top: percent(box.y), width: percent(box.w), height: percent(box.h), borderWidth: track.id === selected ? 4 : undefined }}
              >
                <span style={{ background: '#000', color: '#fff', padding: '0 4px', fontWeight: 700 }}>{number}</span>
              </div>
            );
          })}
          {draft && <div className="region-box draft" style={{ left: percent(draft.x), top: percent(draft.y), width: percent(draft.w), height: percent(draft.h) }} />}
        </div>
      </div>
      <label className="row">
        <span>Position {fmt(time)}</span>
        <input className="grow" type="range" min={0} max={Math.max(duration, 0.001)} step={0.04} value={time} onChange={(event) => seek(Number(event.target.value))} />
      </label>
      {draft && (
        <div className="row wrap" role="group" aria-label="Drawn box">
          <span>Drawn box at {fmt(t)}:</span>
          <button type="button" disabled={!selected} onClick={() => void act(() => callCore('faces.adjustTrack', { clipId, trackId: selected!, keyframe: { t, ...draft } }), 'Box adjusted.')}>
            Set as the selected track's box here
          </button>
          <button
            type="button"
            onClick={() =>
              void act(
                () => callCore('faces.addTrack', { clipId, keyframes: [{ t: Math.max(0, t - 0.5), ...draft }, { t: t + 1, ...draft }] }),
                'Missed face added (from 0.5 s before to 1 s after this frame; adjust it at other times).',
              )
            }
          >
            Add as a missed face
          </button>
          <button type="button" onClick={() => setDraft(null)}>
            Discard
          </button>
        </div>
      )}
      {message && (
        <div className={message.kind === 'error' ? 'error-notice' : undefined} role={message.kind === 'error' ? 'alert' : 'status'}>
          {message.text}
        </div>
      )}
      {scannedAt !== null && tracks.length === 0 && <p>No face was found. Scrub through the clip; draw a box and add it if a face was missed.</p>}
      <ol className="keyframes" aria-label="Face track list">
        {tracks.map((track, index) => (
          <li key={track.id}>
            <label>
              <input type="radio" name={`face-track-${clipId}`} checked={track.id === selected} onChange={() => setSelected(track.id)} /> Face {index + 1}
            </label>{' '}
            <button type="button" className="link" onClick={() => seek(track.from)}>
              {fmt(track.from)} – {fmt(track.to)}
            </button>{' '}
            <span>{track.origin === 'drawn' ? 'drawn' : `detected${track.score !== null ? ` (${Math.round(track.score * 100)} %)` : ''}`}</span>
            {track.confirmed ? ' · confirmed' : ''}{' '}
            <label>
              Who:{' '}
              <select
                value={track.subjectId ?? ''}
                onChange={(event) =>
                  void act(() => callCore('faces.assign', { clipId, trackId: track.id, subjectId: event.target.value || null }), 'Assignment saved.')
                }
              >
                <option value="">Unknown person (always covered)</option>
                {subjects.state === 'ready' &&
                  subjects.value.map((subject) => (
                    <option key={subject.id} value={subject.id}>
                      {subject.pseudonym}
                    </option>
                  ))}
              </select>
            </label>{' '}
            <button type="button" onClick={() => void act(() => callCore('faces.deleteTrack', { clipId, trackId: track.id }), 'Track deleted.')} aria-label={`Delete face ${index + 1}`}>
              Delete
            </button>
          </li>
        ))}
      </ol>
    </section>
  );
}
