import { describe, expect, it } from 'vitest';
import { errorMessages, type ErrorCode, type ErrorReason } from '../../../src/shared/errors';
import type { DeviceStatus, SyncProgress, SyncPullResult, SyncPushResult } from '../../../src/shared/model';
import { claimedFingerprint } from '../../../src/renderer/src/recipient-card';
import { pendingWords, pullSummary, pushSummary, remoteAddress, sinceWords, syncFailure, transferDetail, transferLabel } from '../../../src/renderer/src/sync-words';

const progress = (overrides: Partial<SyncProgress>): SyncProgress => ({
  direction: 'push',
  phase: 'objects',
  bytesDone: 12_300_000,
  bytesTotal: 40_000_000,
  objectsDone: 3,
  objectsTotal: 7,
  mbPerSecond: 8.14,
  etaSeconds: 34,
  ...overrides,
});

const device = (overrides: Partial<DeviceStatus>): DeviceStatus => ({
  id: 'd',
  name: null,
  self: false,
  fingerprintWords: 'AAAA BBBB',
  enrolledAt: '2026-01-01T00:00:00Z',
  lastPushAt: null,
  lastPullAt: null,
  records: 0,
  audit: null,
  pending: null,
  notInRecord: null,
  ...overrides,
});

describe('remoteAddress', () => {
  it('keeps an S3 address and its self-hosted server', () => {
    expect(remoteAddress(' s3://crew-bucket/field-a ', 'http://127.0.0.1:9000')).toEqual({ ok: true, remote: 's3://crew-bucket/field-a', endpoint: 'http://127.0.0.1:9000', kind: 's3' });
    expect(remoteAddress('s3://crew-bucket', '')).toEqual({ ok: true, remote: 's3://crew-bucket', kind: 's3' });
  });

  it('turns a folder path into a file address, encoding what a URL would misread, and ignores a server for it', () => {
    expect(remoteAddress('/media/usb/Safe house #2', 'http://ignored')).toEqual({ ok: true, remote: 'file:///media/usb/Safe%20house%20%232', kind: 'folder' });
    expect(remoteAddress('file:///media/usb', '')).toEqual({ ok: true, remote: 'file:///media/usb', kind: 'folder' });
  });

  it('says what is wrong with an address it cannot use, without accepting it', () => {
    for (const [where, server, problem] of [
      ['', '', /Type where the footage travels/],
      ['s3://Bad_Bucket/x', '', /names no valid bucket/],
      ['s3://crew-bucket', 'ftp://host', /must start with http/],
      ['s3://crew-bucket', 'http://user:pw@host', /must start with http/],
      ['media/usb', '', /full path of a folder/],
      ['https://bucket.example.org', '', /S3 address/],
    ] as const) {
      const result = remoteAddress(where, server);
      expect(result.ok, where).toBe(false);
      if (!result.ok) expect(result.problem).toMatch(problem);
    }
  });
});

describe('transfer progress words', () => {
  it('shows bytes, objects, MB/s and time left while objects move', () => {
    expect(transferDetail(progress({}))).toBe('12.3 MB of 40.0 MB · 3 of 7 objects · 8.1 MB/s · about 35 s left');
    expect(transferLabel(progress({}))).toBe('Sending to HQ');
    expect(transferLabel(progress({ direction: 'pull', phase: 'merging' }))).toBe('Adding to this vault');
  });

  it('has no rate before bytes moved, estimates until it can, and no time left once done', () => {
    expect(transferDetail(progress({ bytesDone: 0, objectsDone: 0, mbPerSecond: null, etaSeconds: null }))).toBe('0 B of 40.0 MB · 0 of 7 objects · estimating time left…');
    expect(transferDetail(progress({ phase: 'done', bytesDone: 40_000_000, objectsDone: 7, etaSeconds: 0 }))).toBe('40.0 MB of 40.0 MB · 7 of 7 objects · 8.1 MB/s');
    expect(transferDetail(progress({ objectsTotal: 1, objectsDone: 1 }))).toContain('1 of 1 object ·');
  });

  it('reads a long transfer in hours and minutes, not thousands of minutes', () => {
    expect(transferDetail(progress({ etaSeconds: 54_000 }))).toContain('about 15 h 00 min left');
  });
});

describe('syncFailure', () => {
  const cases: [ErrorCode, ErrorReason | undefined, 's3' | 'folder', RegExp, RegExp][] = [
    ['REMOTE_FAILED', 'remote-unreachable', 's3', /could not be reached/, /network connection and the storage server address.*already sent is kept/],
    ['REMOTE_FAILED', 'remote-no-bucket', 's3', /no bucket with that name/, /bucket name/],
    ['REMOTE_FAILED', 'remote-credentials', 's3', /did not accept this computer’s access key/, /current key/],
    ['REMOTE_FAILED', 'remote-denied', 's3', /refused this computer’s access key for this bucket/, /not allowed to use this bucket/],
    ['REMOTE_FAILED', 'remote-denied', 'folder', /folder cannot be written/, /read-only/],
    ['REMOTE_FAILED', 'remote-folder-missing', 'folder', /folder was not found/, /plugged in/],
    ['REMOTE_FAILED', undefined, 'folder', /folder could not be used/, /drive is mounted/],
    ['REMOTE_FAILED', undefined, 's3', /storage server could not be used/, /access key/],
    ['SYNC_REFUSED', 'device-not-enrolled', 's3', /not enrolled here\. Nothing was imported/, /enroll its card on this screen/],
    ['SYNC_REFUSED', 'sealed-to-another-hq', 's3', /does not open with this vault’s keys/, /another HQ’s card/],
    ['SYNC_REFUSED', undefined, 's3', /failed its checks.*Nothing from this pull was imported/, /security/],
    ['DISK_FULL', undefined, 'folder', /disk is full/, /Free some space/],
    ['INVALID_INPUT', undefined, 's3', /cannot be used as a remote/, /s3:\/\/bucket\/folder/],
  ];
  for (const [code, reason, kind, what, todo] of cases) {
    it(`words ${code}${reason ? `/${reason}` : ''} (${kind}) as what happened and what to do`, () => {
      // The core's message carries the tool's error name and a command line: never shown.
      const failure = syncFailure({ code, message: 'The sync remote s3://x/ failed (ECONNREFUSED). run the same command again', ...(reason ? { reason } : {}) }, kind);
      expect(failure.what).toMatch(what);
      expect(failure.todo).toMatch(todo);
      expect(`${failure.what} ${failure.todo}`).not.toMatch(/ECONNREFUSED|command|safehouse /);
    });
  }

  it('falls back to the code’s own sentence, never the raw message', () => {
    const failure = syncFailure({ code: 'INTEGRITY', message: 'object 3f2a… raw detail' }, 's3');
    expect(failure.what).toBe(errorMessages.INTEGRITY);
    expect(failure.todo).toMatch(/Try again/);
  });
});

describe('device status words', () => {
  const now = Date.parse('2026-03-01T12:00:00Z');
  it('says how long ago, in units a person reads', () => {
    expect(sinceWords(null, now)).toBe('never');
    expect(sinceWords('2026-03-01T11:59:40Z', now)).toBe('just now');
    expect(sinceWords('2026-03-01T11:48:00Z', now)).toBe('12 min ago');
    expect(sinceWords('2026-03-01T09:00:00Z', now)).toBe('3 h ago');
    expect(sinceWords('2026-02-25T12:00:00Z', now)).toBe('4 days ago');
  });

  it('says what waits at HQ: on the remote, nothing, or not checked', () => {
    expect(pendingWords(device({ pending: { records: 2, bytes: 5_000_000 } }))).toEqual({ text: '2 batches (5.0 MB) waiting on the remote', tone: 'warn' });
    expect(pendingWords(device({ pending: { records: 0, bytes: 0 } }))).toEqual({ text: 'Nothing waiting on the remote', tone: 'ok' });
    expect(pendingWords(device({})).tone).toBe('muted');
    expect(pendingWords(device({})).text).toMatch(/Not checked/);
  });

  it('says what waits in the field: clips not pushed, batches not on the remote', () => {
    expect(pendingWords(device({ self: true, notInRecord: { clips: 1, bytes: 2_500_000 }, pending: { records: 1, bytes: 900 } }))).toEqual({
      text: '1 clip (2.5 MB) not pushed yet; 1 batch (900 B) not on the remote yet',
      tone: 'warn',
    });
    expect(pendingWords(device({ self: true, notInRecord: { clips: 0, bytes: 0 }, pending: { records: 0, bytes: 0 } }))).toEqual({ text: 'Nothing waiting: HQ can pull everything', tone: 'ok' });
  });
});

describe('claimedFingerprint', () => {
  it('groups a card’s fingerprint for reading aloud, and refuses what is not a card', () => {
    expect(claimedFingerprint(JSON.stringify({ fingerprint: '0123456789abcdef0123456789abcdef' }))).toBe('0123 4567 89AB CDEF 0123 4567 89AB CDEF');
    expect(claimedFingerprint('{ not json')).toBeNull();
    expect(claimedFingerprint(JSON.stringify({ fingerprint: 'XYZ' }))).toBeNull();
  });
});

describe('transfer summaries', () => {
  const push = (overrides: Partial<SyncPushResult>): SyncPushResult => ({
    device: 'd', remote: 's3://b/', newRecord: 2, records: { total: 2, sent: 1 }, objects: { total: 5, sent: 3, alreadyThere: 2 }, bytesSent: 84_000_000, seconds: 3.6, ...overrides,
  });
  const pull = (overrides: Partial<SyncPullResult>): SyncPullResult => ({
    remote: 's3://b/', records: 1, devices: [{ device: 'd', records: 1 }], clipsAdded: 2, clipsMerged: 0, objects: 5, auditEntries: 7, bytesReceived: 84_000_000, seconds: 2, proxiesQueued: 2, ...overrides,
  });

  it('says what a push sent, and when nothing was new', () => {
    expect(pushSummary(push({}))).toEqual({ headline: 'Sent.', text: '3 objects (84.0 MB) in 4 s; 2 already on the remote. HQ can now pull it.' });
    expect(pushSummary(push({ objects: { total: 1, sent: 1, alreadyThere: 0 }, seconds: 0.2 })).text).toBe('1 object (84.0 MB) in 1 s. HQ can now pull it.');
    expect(pushSummary(push({ objects: { total: 5, sent: 0, alreadyThere: 5 }, records: { total: 2, sent: 0 } }))).toEqual({ headline: null, text: 'Nothing new to send: the remote already holds everything from this laptop.' });
  });

  it('says what a pull added, merged, or that it brought no clips', () => {
    expect(pullSummary(pull({}))).toEqual({ headline: 'Received.', text: '2 new clips from 1 laptop: 5 objects (84.0 MB), every one checked. Proxies for 2 clips are being made.' });
    expect(pullSummary(pull({ clipsAdded: 1, clipsMerged: 1, proxiesQueued: 0 })).text).toBe('1 new clip, 1 clip HQ already had (now listed on their new card too) from 1 laptop: 5 objects (84.0 MB), every one checked.');
    expect(pullSummary(pull({ clipsAdded: 0, records: 2 })).text).toBe('2 batches from 1 laptop, every one checked: no new clips, only the laptop’s log and status.');
    expect(pullSummary(pull({ records: 0 })).headline).toBeNull();
  });
});
