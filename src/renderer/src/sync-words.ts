import { errorMessages, type SafehouseErrorShape } from '../../shared/errors';
import type { DeviceStatus, SyncProgress, SyncPullResult, SyncPushResult } from '../../shared/model';
import { formatBytes, formatTimeLeft, plural } from './format';

/**
 * How the Devices & sync screen words what the core returns: where footage goes, how a transfer is going,
 * why it failed and what to do. Pure functions, so every sentence is unit-tested without a window.
 */

export type RemoteAddress = { ok: true; remote: string; endpoint?: string; kind: 's3' | 'folder' } | { ok: false; problem: string };

/** A folder path as a file:/// address, each segment encoded (a space or # in a folder name stays a name). */
function folderUrl(folder: string): string {
  return `file://${folder.split('/').map(encodeURIComponent).join('/')}`;
}

/**
 * What a person typed as the place footage travels through: an S3 address (s3://bucket/folder, with the
 * storage server's address for a self-hosted store) or a folder on a drive (/media/usb/safehouse).
 */
export function remoteAddress(where: string, server: string): RemoteAddress {
  const remote = where.trim();
  const endpoint = server.trim();
  if (remote === '') return { ok: false, problem: 'Type where the footage travels: an S3 address such as s3://bucket/folder, or a folder on a drive.' };
  if (remote.startsWith('s3://')) {
    if (!/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/.test(remote)) {
      return { ok: false, problem: 'That S3 address names no valid bucket. It reads s3://bucket/folder, with the bucket name in lower case.' };
    }
    if (endpoint !== '' && !/^https?:\/\/[^\s/?#@]+(\/\S*)?$/.test(endpoint)) {
      return { ok: false, problem: 'The storage server address must start with http:// or https:// and hold no password. Leave it empty for Amazon S3.' };
    }
    return { ok: true, remote, kind: 's3', ...(endpoint ? { endpoint } : {}) };
  }
  if (remote.startsWith('file:///')) return { ok: true, remote, kind: 'folder' };
  if (remote.startsWith('/')) return { ok: true, remote: folderUrl(remote), kind: 'folder' };
  return { ok: false, problem: 'Type an S3 address (s3://bucket/folder) or the full path of a folder on a drive, starting with /.' };
}

/** One line under the progress bar: bytes, objects, rate and time left, all from the core's byte counts. */
export function transferDetail(progress: SyncProgress): string {
  const parts = [`${formatBytes(progress.bytesDone)} of ${formatBytes(progress.bytesTotal)}`, `${progress.objectsDone.toLocaleString('en')} of ${plural(progress.objectsTotal, 'object')}`];
  if (progress.mbPerSecond !== null) parts.push(`${progress.mbPerSecond.toFixed(1)} MB/s`);
  if (progress.phase === 'objects') parts.push(formatTimeLeft(progress.etaSeconds));
  return parts.join(' · ');
}

const PHASES: Record<SyncProgress['direction'], Record<SyncProgress['phase'], string>> = {
  push: { preparing: 'Preparing what to send', objects: 'Sending to HQ', verifying: 'Checking what was sent', merging: 'Recording the push', done: 'Sent' },
  pull: { preparing: 'Looking at the remote', objects: 'Receiving footage', verifying: 'Checking every record and object', merging: 'Adding to this vault', done: 'Received' },
};

export function transferLabel(progress: SyncProgress): string {
  return PHASES[progress.direction][progress.phase];
}

export interface Failure {
  what: string;
  todo: string;
}

/** Why a push, pull or device check failed, and what to do next, from the error's code and reason. */
export function syncFailure(error: SafehouseErrorShape, remoteKind: 's3' | 'folder'): Failure {
  const kept = 'What was already sent is kept.';
  switch (error.reason) {
    case 'remote-unreachable':
      return { what: 'The storage server could not be reached.', todo: `Check the network connection and the storage server address, then try again. ${kept}` };
    case 'remote-no-bucket':
      return { what: 'There is no bucket with that name on the storage server.', todo: 'Check the bucket name (the part after s3://) against what HQ gave you, then try again.' };
    case 'remote-credentials':
      return { what: 'The storage server did not accept this computer’s access key.', todo: 'The key is wrong, expired or missing. Ask whoever runs the bucket for a current key, set it up on this computer, then try again.' };
    case 'remote-denied':
      return remoteKind === 'folder'
        ? { what: 'This folder cannot be written to or read.', todo: 'Check that the drive is not locked or read-only and that you may use the folder, then try again.' }
        : { what: 'The storage server refused this computer’s access key for this bucket.', todo: 'The key is wrong, expired, or not allowed to use this bucket. Ask whoever runs the bucket for a key that may use it, then try again.' };
    case 'remote-folder-missing':
      return { what: 'The folder was not found.', todo: 'Check that the drive is plugged in and mounted, and that the folder is the one the crew used, then try again.' };
    case 'device-not-enrolled':
      return {
        what: 'The remote holds footage from a laptop that is not enrolled here. Nothing was imported.',
        todo: 'If it is one of your crew’s laptops, enroll its card on this screen and pull again. If not, someone else wrote to this remote: do not use it, and tell whoever is responsible for security.',
      };
    case 'sealed-to-another-hq':
      return {
        what: 'Footage on the remote does not open with this vault’s keys. Nothing was imported.',
        todo: 'The laptop was probably set up with another HQ’s card. Check with the crew which card they used, and pull into that HQ’s vault.',
      };
    default:
      break;
  }
  switch (error.code) {
    case 'SYNC_REFUSED':
      return {
        what: 'Something on the remote failed its checks: it was altered, reordered or forged. Nothing from this pull was imported.',
        todo: 'Keep the remote as it is for inspection, tell whoever is responsible for security, and ask the crew to push again.',
      };
    case 'REMOTE_FAILED':
      return remoteKind === 'folder'
        ? { what: 'The folder could not be used.', todo: `Check that the drive is mounted, writable and not failing, then try again. ${kept}` }
        : { what: 'The storage server could not be used.', todo: `Check the address, the network and the access key, then try again. ${kept}` };
    case 'DISK_FULL':
      return { what: 'A disk is full.', todo: `Free some space on the drive (or use a larger one), then try again. ${kept}` };
    case 'INVALID_INPUT':
      return { what: 'That address cannot be used as a remote.', todo: 'Type an S3 address such as s3://bucket/folder, or the full path of a folder on a drive.' };
    case 'VAULT_BUSY':
      return { what: 'The vault is busy with an offload.', todo: 'Wait for the offload to finish, then try again.' };
    default:
      return { what: errorMessages[error.code], todo: 'Try again. If it fails again, note the time and ask for help: nothing was half-imported.' };
  }
}

/** "just now", "12 min ago", "3 h ago", "2 days ago"; "never" for no time. */
export function sinceWords(iso: string | null, now: number): string {
  if (!iso) return 'never';
  const minutes = Math.floor((now - Date.parse(iso)) / 60_000);
  if (!Number.isFinite(minutes)) return 'unknown';
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} days ago`;
}

/** What waits for this device: on the remote for HQ to pull, or (in the field) not yet pushed. */
export function pendingWords(device: DeviceStatus): { text: string; tone: 'ok' | 'warn' | 'muted' } {
  const waiting: string[] = [];
  if (device.notInRecord && device.notInRecord.clips > 0) waiting.push(`${plural(device.notInRecord.clips, 'clip')} (${formatBytes(device.notInRecord.bytes)}) not pushed yet`);
  if (device.pending && device.pending.records > 0) {
    waiting.push(
      device.self
        ? `${plural(device.pending.records, 'batch', 'batches')} (${formatBytes(device.pending.bytes)}) not on the remote yet`
        : `${plural(device.pending.records, 'batch', 'batches')} (${formatBytes(device.pending.bytes)}) waiting on the remote`,
    );
  }
  if (waiting.length > 0) return { text: waiting.join('; '), tone: 'warn' };
  if (device.pending === null) return { text: device.self ? 'Every clip is ready to send; not checked against the remote yet' : 'Not checked: pull from the remote to see what waits', tone: 'muted' };
  return { text: device.self ? 'Nothing waiting: HQ can pull everything' : 'Nothing waiting on the remote', tone: 'ok' };
}

/** How a finished transfer is said: a headline ("Sent.") when something moved, and the sentence. */
export interface Summary {
  headline: string | null;
  text: string;
}

export function pushSummary(result: SyncPushResult): Summary {
  if (result.objects.sent === 0 && result.records.sent === 0) return { headline: null, text: 'Nothing new to send: the remote already holds everything from this laptop.' };
  const already = result.objects.alreadyThere > 0 ? `; ${result.objects.alreadyThere.toLocaleString('en')} already on the remote` : '';
  return { headline: 'Sent.', text: `${plural(result.objects.sent, 'object')} (${formatBytes(result.bytesSent)}) in ${Math.max(1, Math.round(result.seconds))} s${already}. HQ can now pull it.` };
}

export function pullSummary(result: SyncPullResult): Summary {
  if (result.records === 0) return { headline: null, text: 'Nothing new on this remote: every push found there is already in this vault.' };
  const from = plural(result.devices.length, 'laptop');
  if (result.clipsAdded === 0 && result.clipsMerged === 0) {
    return { headline: 'Received.', text: `${plural(result.records, 'batch', 'batches')} from ${from}, every one checked: no new clips, only the laptop’s log and status.` };
  }
  const merged = result.clipsMerged > 0 ? `, ${plural(result.clipsMerged, 'clip')} HQ already had (now listed on their new card too)` : '';
  const proxies = result.proxiesQueued > 0 ? ` Proxies for ${plural(result.proxiesQueued, 'clip')} are being made.` : '';
  return { headline: 'Received.', text: `${plural(result.clipsAdded, 'new clip')}${merged} from ${from}: ${plural(result.objects, 'object')} (${formatBytes(result.bytesReceived)}), every one checked.${proxies}` };
}
