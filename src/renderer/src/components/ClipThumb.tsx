import { useEffect, useState } from 'react';
import { callCore } from '../safehouse';

/**
 * The first tile of a clip's thumbnail strip. Thumbnails are made from the anonymised proxy (never the
 * master), arrive as bytes through the contract and are shown from blob URLs: no decrypted image file.
 * Kept in a small cache so scrolling back does not ask again.
 */
const cache = new Map<string, string | null>();
const MAX_CACHED = 300;

export function ClipThumb({ clipId, kind }: { clipId: string; kind: string }) {
  const [url, setUrl] = useState<string | null>(cache.get(clipId) ?? null);
  useEffect(() => {
    if (cache.has(clipId) || kind === 'audio') return;
    let current = true;
    void callCore('clip.thumbnail', { id: clipId }).then((result) => {
      if (!result.ok || !result.value) return;
      const bytes = Uint8Array.from(atob(result.value.base64), (char) => char.charCodeAt(0));
      const blobUrl = URL.createObjectURL(new Blob([bytes], { type: result.value.mime }));
      cache.set(clipId, blobUrl);
      if (cache.size > MAX_CACHED) {
        const [oldest, oldUrl] = cache.entries().next().value as [string, string | null];
        if (oldUrl) URL.revokeObjectURL(oldUrl);
        cache.delete(oldest);
      }
      if (current) setUrl(blobUrl);
    });
    return () => {
      current = false;
    };
  }, [clipId, kind]);
  if (!url) return <span className={`thumb thumb-${kind}`} aria-hidden="true" />;
  return <img className="thumb" src={url} alt="" />;
}
