import type { z } from 'zod';
import type { CallName, CallOutput, Calls } from '../../shared/api';
import type { EventHub } from './events';
import type { MediaTools } from './media/media-tools';
import type { UnlockedVault } from './vault/vault';

/** What every capability's handlers get from the facade. */
export interface CoreContext {
  /** The unlocked vault, or VAULT_LOCKED. Counts as activity for auto-lock. */
  requireVault(): UnlockedVault;
  /** ffmpeg/ffprobe, or FFMPEG_MISSING with an install hint. */
  mediaTools(): Promise<MediaTools>;
  hub: EventHub;
}

export type Handler<K extends CallName> = (input: z.output<Calls[K]['input']>) => Promise<CallOutput<K>>;

/** A capability contributes the handlers for some contract calls; the facade checks that all are covered. */
export type HandlerMap = { [K in CallName]?: Handler<K> };
