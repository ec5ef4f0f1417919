import type { Catalog } from '../catalog';
import type { UnlockedVault } from '../vault/vault';

/**
 * Proxy playback for the window: `/media/proxy/<clipId>` on the app's own origin, answered from memory.
 * Proxies are small (≈1 MB a minute), so the whole object is decrypted and checked (all-or-nothing) into a
 * tiny cache and byte ranges are served from it: the <video> element seeks with Range requests, and no
 * decrypted byte is ever written to disk. The cache is dropped when the vault locks.
 */
const CACHE_ENTRIES = 3;
const PATH = /^\/media\/proxy\/([A-Za-z0-9_-]{1,64})$/;

export interface ByteRange {
  start: number;
  end: number;
}

/** Parses a single `bytes=` range against a known size; null = whole body, 'invalid' = 416. */
export function parseRange(header: string | null, size: number): ByteRange | null | 'invalid' {
  if (!header) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return 'invalid';
  let start: number;
  let end: number;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0) return 'invalid';
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  }
  if (start >= size || end < start) return 'invalid';
  return { start, end };
}

export interface PlaybackCache {
  respond(vault: UnlockedVault, pathname: string, rangeHeader: string | null): Promise<Response>;
  clear(): void;
}

export function createPlaybackCache(): PlaybackCache {
  const cache = new Map<string, Buffer>();
  const load = async (vault: UnlockedVault, catalog: Catalog, clipId: string): Promise<Buffer | null> => {
    const row = await catalog.get<{ object_id: string }>('SELECT object_id FROM proxies WHERE clip_id = ?', [clipId]);
    if (!row) return null;
    const hit = cache.get(row.object_id);
    if (hit) return hit;
    const { data } = await vault.readObject(row.object_id);
    cache.set(row.object_id, data);
    while (cache.size > CACHE_ENTRIES) cache.delete(cache.keys().next().value as string);
    return data;
  };
  return {
    async respond(vault, pathname, rangeHeader) {
      const match = PATH.exec(pathname);
      if (!match) return new Response('Not found', { status: 404 });
      let bytes: Buffer | null;
      try {
        bytes = await load(vault, await vault.catalog(), match[1]!);
      } catch {
        // Integrity failures and the like: nothing from a failed object is released.
        return new Response('This proxy could not be read', { status: 500 });
      }
      if (!bytes) return new Response('No proxy for this clip yet', { status: 404 });
      const range = parseRange(rangeHeader, bytes.length);
      const headers = { 'content-type': 'video/mp4', 'accept-ranges': 'bytes', 'cache-control': 'no-store' };
      if (range === 'invalid') return new Response(null, { status: 416, headers: { ...headers, 'content-range': `bytes */${bytes.length}` } });
      if (!range) return new Response(new Uint8Array(bytes), { status: 200, headers: { ...headers, 'content-length': String(bytes.length) } });
      const body = bytes.subarray(range.start, range.end + 1);
      return new Response(new Uint8Array(body), {
        status: 206,
        headers: { ...headers, 'content-length': String(body.length), 'content-range': `bytes ${range.start}-${range.end}/${bytes.length}` },
      });
    },
    clear() {
      for (const buffer of cache.values()) buffer.fill(0);
      cache.clear();
    },
  };
}
