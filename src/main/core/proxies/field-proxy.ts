import { PassThrough } from 'node:stream';
import type { Catalog } from '../catalog';
import type { MediaTools } from '../media/media-tools';
import { encodeProxy, findProxyFont, type MadeProxy } from '../media/proxy';
import { FIELD_MOSAIC_FPS, fieldMosaicGraph } from '../media/proxy-filters';
import type { UnlockedVault } from '../vault/vault';
import { replaceProxy } from './proxy-store';

/**
 * Field proxies. A field vault seals its masters to HQ and cannot open them, so it could never make a
 * proxy from them; the crew still needs to see what they shot. During the offload the sanitized bytes
 * already flowing to the encryptor are teed, through a pipe, into one more ffmpeg that makes a full-frame
 * mosaic proxy and its thumbnail strip (proxy-filters.ts fieldMosaicGraph: the 16-column area mosaic of a
 * clip nobody has reviewed, no sound, keyframes only),
 * sealed to the proxy class, which the field passphrase opens. Nothing is written in clear: the bytes
 * go memory → pipe → ffmpeg → pipe → encryptor.
 *
 * A field proxy is marked by FIELD_MOSAIC_FINGERPRINT in place of a plan fingerprint: no plan ever hashes to
 * it, so at HQ, where the masters open, the proxy is stale by construction and rebuilt under the real plan
 * (consent, regions, voice). A field mosaic never stops or fails an offload: if its ffmpeg fails, the
 * clip simply has no proxy.
 */

export const FIELD_MOSAIC_FINGERPRINT = 'field-mosaic-v1';

/**
 * Only keyframes are decoded (cameras write one every 0.5–2 s, some every several seconds): decoding every
 * frame of a 1080p master and encoding it again cost the offload 3–4× its CPU (measured on the ingest
 * bench), for a picture that is 16 blocks wide. What is seen: each shot, its cuts, and movement from one
 * keyframe to the next.
 */
const CHEAP_DECODE = ['-skip_frame', 'nokey'];
/** Bytes queued for the proxy's ffmpeg before the offload waits for it. */
const QUEUE_BYTES = 8 * 1024 * 1024;

export interface SanitizedTap {
  /** The next bytes of the sanitized master, in order; waits while the proxy's ffmpeg is behind. Never throws. */
  push(chunk: Buffer): Promise<void>;
  /**
   * The sanitized master ended: ffmpeg finishes the proxy and seals it. Until keep() records it, its objects
   * are unrecorded, and the next offload's cleanup removes them if the clip never gets recorded.
   */
  end(): void;
  /** The master was recorded as the clip `clipId`: wait for the proxy and record it. Never throws. */
  keep(catalog: Catalog, clipId: string): Promise<boolean>;
  /** The master was not kept: stop the proxy, or delete it if it was already made. */
  abort(): void;
}

/**
 * Starts a field mosaic over a sanitized master that is about to stream into the vault, or returns null
 * where none is wanted: a vault that can open its masters makes real proxies from them after the offload.
 */
export function startFieldProxy(
  vault: UnlockedVault,
  tools: MediaTools,
  video: { width?: number; height?: number; durationSeconds: number },
): SanitizedTap | null {
  if (vault.info.canOpen.master || !vault.info.canOpen.proxy) return null;
  let fontFile: string;
  try {
    fontFile = findProxyFont();
  } catch {
    return null; // no burn-in font on this laptop: no field proxy (the offload goes on)
  }
  // The clip code is given only once the clip is recorded, after its master: the burn-in says FIELD.
  const graph = fieldMosaicGraph({ width: video.width ?? 0, height: video.height ?? 0, durationSeconds: video.durationSeconds }, { clipCode: 'FIELD', fontFile });
  const input = new PassThrough({ highWaterMark: QUEUE_BYTES });
  let failed = false;
  const made: Promise<MadeProxy | null> = encodeProxy(vault, tools, input, {
    graph,
    fps: FIELD_MOSAIC_FPS,
    durationSeconds: video.durationSeconds,
    meta: { role: 'proxy', mode: 'field-mosaic' },
    decoderArgs: CHEAP_DECODE,
    threads: 1,
  }).catch(() => {
    failed = true;
    input.destroy();
    return null;
  });
  const stopped = made.then(() => undefined);
  const discard = async (proxy: MadeProxy): Promise<void> => {
    for (const object of [proxy.proxy, proxy.thumbs]) if (object) await vault.deleteObject(object.id).catch(() => undefined);
  };

  return {
    async push(chunk) {
      if (failed || input.destroyed) return;
      if (!input.write(chunk)) await Promise.race([new Promise((resolve) => input.once('drain', resolve)), stopped]);
    },
    end() {
      input.end();
    },
    async keep(catalog, clipId) {
      input.end();
      const proxy = await made;
      if (!proxy) return false;
      try {
        await replaceProxy(vault, catalog, clipId, proxy, { fingerprint: FIELD_MOSAIC_FINGERPRINT, mode: 'full' });
        return true;
      } catch {
        await discard(proxy);
        return false;
      }
    },
    abort() {
      // An error (not an end) reaches ffmpeg's feed, which kills it: a cut-off master never becomes a proxy.
      input.destroy(new Error('the sanitized master was not kept'));
      void made.then((proxy) => proxy && discard(proxy));
    },
  };
}
