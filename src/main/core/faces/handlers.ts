import type { CoreContext, HandlerMap } from '../core-context';
import { addTrack, adjustTrack, assignTrack, confirmTracks, deleteTrack } from './face-review';
import { cancelScans, scanClips } from './face-scan';
import { clipFaces } from './face-store';

/** Contract calls of the faces capability. */
export function faceHandlers(context: CoreContext): HandlerMap {
  const { requireVault } = context;
  return {
    'faces.scan': async ({ clipIds, wait }) => {
      const vault = requireVault();
      const scanning = scanClips(vault, await context.mediaTools(), {
        clipIds,
        onProgress: (progress) => {
          vault.touch();
          context.hub.emit('faces.progress', progress);
        },
      });
      if (wait === false) {
        scanning.catch(() => undefined); // failures reach the UI as faces.progress events
        return [];
      }
      return scanning;
    },
    'faces.cancel': async ({ clipIds }) => ({ cancelled: cancelScans(requireVault(), clipIds) }),
    'faces.list': async ({ clipId }) => clipFaces(await requireVault().catalog(), clipId),
    'faces.assign': async ({ clipId, trackId, subjectId }) => assignTrack(requireVault(), clipId, trackId, subjectId),
    'faces.confirm': async ({ clipId }) => confirmTracks(requireVault(), clipId),
    'faces.deleteTrack': async ({ clipId, trackId }) => deleteTrack(requireVault(), clipId, trackId),
    'faces.adjustTrack': async ({ clipId, trackId, keyframe }) => adjustTrack(requireVault(), clipId, trackId, keyframe),
    'faces.addTrack': async ({ clipId, keyframes }) => addTrack(requireVault(), clipId, keyframes),
  };
}

/** After an offload in the window: analyse the new video clips in the background (HQ vaults only). */
export function queueScansAfterOffload(context: CoreContext, clipIds: readonly string[]): void {
  const vault = context.requireVault();
  if (clipIds.length === 0 || !vault.info.canOpen.master) return;
  void context
    .mediaTools()
    .then((tools) => scanClips(vault, tools, { clipIds, onProgress: (progress) => context.hub.emit('faces.progress', progress) }))
    .catch(() => undefined);
}
