import { describe, expect, it } from 'vitest';
import { clipFileState, decideWipe, type CardFileState, type ClipRowState } from '../../../src/main/core/ingest/wipe-verdict';
import { noteState } from '../../../src/main/core/ingest/card-files';
import type { CardNoteCode } from '../../../src/shared/model';

/** The one rule for "safe to wipe", one row per state a card file can be in. */
const kept: CardFileState = { state: 'verified' };

describe('safe to wipe: one file in each state next to a verified one', () => {
  const rows: [string, CardFileState, boolean][] = [
    ['verified', { state: 'verified' }, true],
    ['quarantined, original kept and read back', { state: 'quarantined-kept' }, true],
    ['not needed (location sidecar, empty, not media)', { state: 'not-needed' }, true],
    ['pending: never copied (ingest killed first)', { state: 'pending', reason: 'not-yet-copied' }, false],
    ['pending: copied, not read back', { state: 'pending', reason: 'not-yet-verified' }, false],
    ['failed: disk full', { state: 'failed', reason: 'disk-full' }, false],
    ['failed: tool crashed', { state: 'failed', reason: 'tool-crashed' }, false],
    ['failed: tool timed out', { state: 'failed', reason: 'tool-timed-out' }, false],
    ['failed: read error', { state: 'failed', reason: 'read-error' }, false],
    ['refused: symbolic link', { state: 'refused', reason: 'symbolic-link' }, false],
    ['unreadable: card read error', { state: 'unreadable', reason: 'card-read-error' }, false],
    ['not copied: newline in the name', { state: 'not-copied', reason: 'name-has-control-characters' }, false],
    ['not copied: trailing space in the name', { state: 'not-copied', reason: 'unrecognised-media-name' }, false],
    ['damaged in the vault', { state: 'damaged', reason: 'object-damaged' }, false],
  ];
  it.each(rows)('%s', (_, status, safe) => {
    const verdict = decideWipe([{ file: 'A.MP4', status: kept }, { file: 'B.MP4', status }]);
    expect(verdict.safeToWipe).toBe(safe);
    if (safe) expect(verdict.wipeBlockers).toEqual([]);
    else expect(verdict.wipeBlockers).toEqual([{ file: 'B.MP4', state: (status as { state: string }).state, reason: (status as { reason: string }).reason }]);
  });

  it('lists every blocker, per file, in card order', () => {
    const verdict = decideWipe([
      { file: 'a', status: { state: 'failed', reason: 'disk-full' } },
      { file: 'b', status: kept },
      { file: 'c', status: { state: 'refused', reason: 'symbolic-link' } },
    ]);
    expect(verdict).toEqual({ safeToWipe: false, wipeBlockers: [
      { file: 'a', state: 'failed', reason: 'disk-full' },
      { file: 'c', state: 'refused', reason: 'symbolic-link' },
    ] });
  });

  it('is not safe for a card with nothing in the vault, even with no blocker', () => {
    expect(decideWipe([])).toEqual({ safeToWipe: false, wipeBlockers: [] });
    expect(decideWipe([{ file: 'x.SRT', status: { state: 'not-needed' } }])).toEqual({ safeToWipe: false, wipeBlockers: [] });
  });
});

describe("a clip's catalog record as a card-file state", () => {
  const row = (over: Partial<ClipRowState>): ClipRowState => ({ status: 'verified', verifiedAt: 'now', masterObjectId: 'o1', failureKind: null, ...over });
  const rows: [string, ClipRowState | undefined, CardFileState][] = [
    ['no record: never copied', undefined, { state: 'pending', reason: 'not-yet-copied' }],
    ['verified and read back', row({}), { state: 'verified' }],
    ['quarantined, original read back', row({ status: 'quarantined' }), { state: 'quarantined-kept' }],
    ['quarantined, original not read back yet', row({ status: 'quarantined', verifiedAt: null }), { state: 'pending', reason: 'not-yet-verified' }],
    ['pending (committed before a crash)', row({ status: 'pending', verifiedAt: null }), { state: 'pending', reason: 'not-yet-verified' }],
    ['failed, kind recorded', row({ status: 'failed', verifiedAt: null, masterObjectId: null, failureKind: 'tool-timed-out' }), { state: 'failed', reason: 'tool-timed-out' }],
    ['failed before kinds were recorded', row({ status: 'failed', verifiedAt: null, failureKind: null }), { state: 'failed', reason: 'other' }],
    ['verified but its object is no more', row({ masterObjectId: null }), { state: 'pending', reason: 'not-yet-verified' }],
  ];
  it.each(rows)('%s', (_, input, expected) => expect(clipFileState(input)).toEqual(expected));

  it('a damaged stored object blocks whatever the status says', () => {
    expect(clipFileState(row({}), new Set(['o1']))).toEqual({ state: 'damaged', reason: 'object-damaged' });
    expect(clipFileState(row({ status: 'quarantined' }), new Set(['o1']))).toEqual({ state: 'damaged', reason: 'object-damaged' });
    expect(clipFileState(row({}), new Set(['other']))).toEqual({ state: 'verified' });
  });
});

describe('what a scan note means for the card', () => {
  const rows: [CardNoteCode, CardFileState | null][] = [
    ['os-litter', null],
    ['symbolic-link', { state: 'refused', reason: 'symbolic-link' }],
    ['not-a-regular-file', { state: 'refused', reason: 'not-a-regular-file' }],
    ['other-volume', { state: 'refused', reason: 'other-volume' }],
    ['nested-too-deep', { state: 'refused', reason: 'nested-too-deep' }],
    ['permission-denied', { state: 'unreadable', reason: 'permission-denied' }],
    ['card-read-error', { state: 'unreadable', reason: 'card-read-error' }],
    ['vanished', { state: 'unreadable', reason: 'vanished' }],
    ['unreadable', { state: 'unreadable', reason: 'unreadable' }],
    ['name-has-control-characters', { state: 'not-copied', reason: 'name-has-control-characters' }],
    ['empty', { state: 'not-needed' }],
    ['sidecar-of-unreadable', { state: 'not-needed' }],
  ];
  it.each(rows)('%s', (code, expected) => expect(noteState(code)).toEqual(expected));
});
