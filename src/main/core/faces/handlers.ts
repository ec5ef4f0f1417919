import type { CoreContext, HandlerMap } from '../core-context';
import { addTrack, adjustTrack, assignTrack, confirmTracks, deleteTrack } from './face-review';
import { cancelScans, scanClips } from './face-scan';
import { clipFaces } from './face-store';
import { decideProposals, forgetSubjectFaces, listProposals, nameTracks, proposalThumbnail, refreshProposals, trackThumbnail, unknownGroups } from './proposals';

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
    'faces.assign': async ({ clipId, trackId, subjectId }) => {
      const vault = requireVault();
      const track = await assignTrack(vault, clipId, trackId, subjectId);
      // A newly named face is compared with every other track in the vault.
      await (await vault.catalog()).transaction((tx) => refreshProposals(vault, tx));
      return track;
    },
    'faces.confirm': async ({ clipId }) => confirmTracks(requireVault(), clipId),
    'faces.deleteTrack': async ({ clipId, trackId }) => deleteTrack(requireVault(), clipId, trackId),
    'faces.adjustTrack': async ({ clipId, trackId, keyframe }) => adjustTrack(requireVault(), clipId, trackId, keyframe),
    'faces.addTrack': async ({ clipId, keyframes }) => addTrack(requireVault(), clipId, keyframes),
    'faces.proposals': async ({ subjectId, clipId, states }) =>
      listProposals(await requireVault().catalog(), { ...(subjectId ? { subjectId } : {}), ...(clipId ? { clipId } : {}), ...(states ? { states } : {}) }),
    'faces.decide': async ({ proposalIds, decision }) => decideProposals(requireVault(), proposalIds, decision),
    'faces.groups': async () => unknownGroups(requireVault()),
    'faces.proposalThumbnail': async ({ proposalId, reveal }) => proposalThumbnail(requireVault(), await context.mediaTools(), proposalId, reveal),
    'faces.trackThumbnail': async ({ clipId, trackId, reveal }) => trackThumbnail(requireVault(), await context.mediaTools(), clipId, trackId, reveal),
    'faces.nameTracks': async ({ subjectId, tracks }) => ({ named: await nameTracks(requireVault(), tracks, subjectId) }),
    'faces.forgetSubject': async ({ subjectId }) => forgetSubjectFaces(requireVault(), subjectId),
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
