import { describe, expect, it } from 'vitest';
import type { ClipOutcome, OffloadResult } from '../../../src/shared/model';
import { wipeVerdict } from '../../../src/renderer/src/offload-verdict';

const clip = (file: string, status: ClipOutcome['status'], reason: string | null = null): ClipOutcome => ({
  file,
  clipId: 'c',
  code: 'C0001',
  status,
  reason,
  findings: { location: 0, identity: 0, device: 0 },
  sidecarsLeftOut: [],
});

const result = (overrides: Partial<OffloadResult>): OffloadResult => ({
  ingestId: 'i',
  cardId: 'k',
  results: [clip('A001.MP4', 'verified')],
  notIngested: [],
  counts: { verified: 1, quarantined: 0, failed: 0, skipped: 0 },
  safeToWipe: true,
  recovered: { stagingDiscarded: 0, unrecordedObjectsRemoved: 0 },
  reportObjectId: 'r',
  wipeBlockers: [],
  ...overrides,
});

describe('the card traffic light', () => {
  it('words the core\'s blockers for the window and lists each file once', () => {
    const verdict = wipeVerdict(
      result({
        safeToWipe: false,
        wipeBlockers: [{ file: 'A\nB.MP4', state: 'not-copied', reason: 'name-has-control-characters' }],
        notIngested: [{ file: 'A\\nB.MP4', reason: 'name contains control characters', kind: 'problem' }],
      }),
    );
    expect(verdict.blockers).toEqual([{ file: 'A\nB.MP4', reason: expect.stringContaining('Rename it on a computer') }]);
    expect(verdict.blockers[0]!.reason).not.toMatch(/command|safehouse/);
  });

  it.each([
    ['every clip verified', result({}), true, []],
    ['a quarantined original is kept in the vault', result({ results: [clip('A', 'verified'), clip('B', 'quarantined', 'odd')] }), true, []],
    ['already in the vault', result({ results: [clip('A', 'skipped')] }), true, []],
    ['OS litter left behind', result({ notIngested: [{ file: '.DS_Store', reason: 'macOS folder settings', kind: 'skipped' }] }), true, []],
    ['an empty file left behind', result({ notIngested: [{ file: 'B.MP4', reason: 'empty (0 bytes): the camera may not have finished writing it', kind: 'problem' }] }), true, []],
    ['the core says no', result({ safeToWipe: false }), false, []],
    ['no clips at all', result({ results: [] }), false, []],
    ['a failed clip', result({ results: [clip('A', 'verified'), clip('B', 'failed', 'disk full')] }), false, ['B']],
    ['a newline in a name, not copied (the reported bug)', result({ notIngested: [{ file: 'A\\nB.MP4', reason: 'name contains control characters', kind: 'problem' }] }), false, ['A\\nB.MP4']],
    ['an unknown file type', result({ notIngested: [{ file: 'notes.xyz', reason: 'not a recognised media file', kind: 'unknown' }] }), false, ['notes.xyz']],
    ['a link out of the card', result({ notIngested: [{ file: 'outside', reason: 'symbolic link', kind: 'unsafe' }] }), false, ['outside']],
    ['a blocker the core named', result({ wipeBlockers: [{ file: 'X', state: 'damaged', reason: 'object-damaged' }] }), false, ['X']],
  ])('%s', (_name, input, safe, files) => {
    const verdict = wipeVerdict(input);
    expect(verdict.safe).toBe(safe);
    expect(verdict.blockers.map((blocker) => blocker.file)).toEqual(files);
  });
});

describe('file names shown safely', () => {
  it.each([
    ['MVI\n0103.MP4', 'MVI\\n0103.MP4'],
    ['a\tb', 'a\\tb'],
    ['photo\u202egpj.exe', 'photo\\u{202e}gpj.exe'],
    ['bell\u0007', 'bell\\u{7}'],
    ['Clip_ñø_日本.MP4', 'Clip_ñø_日本.MP4'],
  ])('%j reads as %j', async (name, shown) => {
    const { visibleName } = await import('../../../src/renderer/src/format');
    expect(visibleName(name)).toBe(shown);
  });
});

describe('raw tool messages are kept out of the sentence', () => {
  it.each([
    [
      'not readable as video: Invalid data found when processing input. The original is kept, encrypted, for review; it will never be exported.',
      'not readable as video. The original is kept, encrypted, for review; it will never be exported.',
      'Invalid data found when processing input',
    ],
    ['metadata could not be removed: ffmpeg exited with code 1: moov atom not found', 'metadata could not be removed.', 'ffmpeg exited with code 1: moov atom not found'],
    ['the same file is already in the vault as C0003', 'the same file is already in the vault as C0003', null],
  ])('%j', async (reason, text, detail) => {
    const { humanReason } = await import('../../../src/renderer/src/format');
    expect(humanReason(reason)).toEqual({ text, detail });
  });
});
