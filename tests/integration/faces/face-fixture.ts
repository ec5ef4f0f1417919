import type { MediaTools } from '../../../src/main/core/media/media-tools';
import type { TruthFrame } from '../../helpers/face-coverage';
// @ts-expect-error -- plain ESM script without type declarations
import { makeFaceClip as makeFaceClipScript } from '../../../scripts/fixtures/make-face-clip.mjs';

/** Typed access to the generated face clip (scripts/fixtures/make-face-clip.mjs). */
export interface FaceClip {
  bytes: Buffer;
  clip: { width: number; height: number; seconds: number; fps: number };
  truth: TruthFrame[];
}

export function makeFaceClip(tools: MediaTools, options: { width: number; height: number; seconds: number; fps?: number }): Promise<FaceClip> {
  return (makeFaceClipScript as (o: object) => Promise<FaceClip>)({ ffmpeg: tools.ffmpeg, fps: 25, ...options });
}
