import { useEffect, useRef, useState } from 'react';
import type { SafehouseErrorShape } from '../../../shared/errors';

type Thumbnail = { ok: true; value: { mime: string; base64: string } } | { ok: false; error: SafehouseErrorShape };

/**
 * Face thumbnails are decoded from the sealed master by ffmpeg in the core; a page of proposals must not start
 * twenty decodes at once on a field laptop, so they take turns, two at a time.
 */
const AT_ONCE = 2;
let running = 0;
const waiting: (() => void)[] = [];

async function inTurn<T>(work: () => Promise<T>): Promise<T> {
  if (running >= AT_ONCE) await new Promise<void>((resolve) => waiting.push(resolve));
  running += 1;
  try {
    return await work();
  } finally {
    running -= 1;
    waiting.shift()?.();
  }
}

function blobUrl(value: { mime: string; base64: string }): string {
  const bytes = Uint8Array.from(atob(value.base64), (char) => char.charCodeAt(0));
  return URL.createObjectURL(new Blob([bytes], { type: value.mime }));
}

/**
 * A face, covered (a coarse mosaic the core makes) until a person chooses to reveal it, one thumbnail at a
 * time. Like a real name, the revealed face lives in this component only: moving on, leaving the screen or
 * locking the vault unmounts it, its image is released, and the next view is covered again. Each reveal is
 * written to the audit log by the core.
 */
export function FaceThumb({ load, place }: { load: (reveal: boolean) => Promise<Thumbnail>; place: string }) {
  const [covered, setCovered] = useState<string | null>(null);
  const [revealed, setRevealed] = useState<string | null>(null);
  const [showing, setShowing] = useState<'covered' | 'revealed'>('covered');
  const [failed, setFailed] = useState(false);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  useEffect(() => {
    let current = true;
    let url: string | null = null;
    void inTurn(() => load(false)).then((result) => {
      if (!current) return;
      if (!result.ok) return setFailed(true);
      url = blobUrl(result.value);
      setCovered(url);
    });
    return () => {
      current = false;
      if (url) URL.revokeObjectURL(url);
    };
  }, []);
  useEffect(() => () => void (revealed && URL.revokeObjectURL(revealed)), [revealed]);

  const reveal = async () => {
    setShowing('revealed');
    if (revealed) return;
    const result = await load(true);
    // Gone from the screen while it was decoded: the face is not kept, not even in memory.
    if (!mounted.current) return;
    if (result.ok) setRevealed(blobUrl(result.value));
    else {
      setShowing('covered');
      setFailed(true);
    }
  };
  const cover = () => {
    setShowing('covered');
    setRevealed(null);
  };

  const url = showing === 'revealed' ? revealed : covered;
  return (
    <figure className="face-thumb" data-showing={showing}>
      <div className="face-thumb-frame">
        {url ? (
          <img
            src={url}
            alt={showing === 'revealed' ? `Face ${place}, unmasked (HQ view, not saved)` : `Face ${place}, covered by a mosaic`}
          />
        ) : (
          <span className="face-thumb-empty" aria-hidden="true" />
        )}
      </div>
      {failed ? (
        <figcaption className="muted">Face picture unavailable</figcaption>
      ) : showing === 'revealed' ? (
        <button type="button" className="link" onClick={cover} aria-label={`Cover the face ${place}`}>
          Cover
        </button>
      ) : (
        <button type="button" className="link" onClick={() => void reveal()} disabled={!covered} aria-label={`Reveal the face ${place}`}>
          Reveal
        </button>
      )}
    </figure>
  );
}
