import { PassThrough } from 'node:stream';
import type { Catalog } from '../catalog';
import type { MediaTools } from '../media/media-tools';
import { encodeProxy, findProxyFont, type MadeProxy } from '../media/proxy';
import { buildProxyGraph } from '../media/proxy-filters';
import type { ProtectionPlan } from '../subjects/protection-plan';
import type { UnlockedVault } from '../vault/vault';
import { replaceProxy } from './proxy-store';

/**
 * Field proxies. A field vault seals its masters to HQ and cannot open them, so it could never make a
 * proxy from them; the crew still needs to see what they shot. During the offload the sanitized bytes
 * already flowing to the encryptor are teed, through a pipe, into one more ffmpeg that makes a full-frame
 * mosaic proxy and its thumbnail strip (the "unknown people" plan: 16-column area mosaic, no sound),
 * sealed to the proxy class, which the field passphrase opens. Nothing is written in clear: the bytes
 * go memory → pipe → ffmpeg → pipe → encryptor.
 *
 * A field proxy is marked by FIELD_MOSAIC_FINGERPRINT in place of a plan fingerprint: no plan ever hashes to
 * it, so at HQ, where the masters open, the proxy is stale by construction and rebuilt under the real plan
 * (consent, regions, voice). A field mosaic never stops or fails an offload: if its ffmpeg fails, the
 * clip simply has no proxy.
 */

export const FIELD_MOSAIC_FINGERPRINT = 'field-mosaic-v1';

/** The plan of a clip nobody has reviewed (safety-rules.ts planProtection), under the field mark. */
const FIELD_MOSAIC_PLAN: ProtectionPlan = { mode: 'full', regions: [], voice: { method: 'mute', ranges: 'all' }, excluded: false, fingerprint: FIELD_MOSAIC_FINGERPRINT };

/**
 * Decoding the 1080p/4K master is the field proxy's whole cost (the mosaic keeps 16 columns of it): the
 * deblocking filter is skipped (its effect is far below one mosaic block), as are frames that no other
 * frame references (the proxy's frame rate drops where a camera uses them; cuts and movement stay).
 */
const CHEAP_DECODE = ['-skip_loop_filter', 'all', '-skip_frame', 'noref'];
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
  video: { width?: number; height?: number; fps?: number; durationSeconds: number; timecode: string | null },
): SanitizedTap | null {
  if (vault.info.canOpen.master || !vault.info.canOpen.proxy) return null;
  let fontFile: string;
  try {
    fontFile = findProxyFont();
  } catch {
    return null; // no burn-in font on this laptop: no field proxy (the offload goes on)
  }
  const source = { width: video.width ?? 0, height: video.height ?? 0, fps: video.fps ?? 25, durationSeconds: video.durationSeconds, hasVideo: true, hasAudio: false };
  // The clip code is given only once the clip is recorded, after its master: the burn-in says FIELD.
  const graph = buildProxyGraph(FIELD_MOSAIC_PLAN, source, { clipCode: 'FIELD', timecode: video.timecode, fontFile }, { rubberband: false });
  const input = new PassThrough({ highWaterMark: QUEUE_BYTES });
  let failed = false;
  const made: Promise<MadeProxy | null> = encodeProxy(vault, tools, input, {
    graph,
    fps: source.fps,
    durationSeconds: source.durationSeconds,
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
