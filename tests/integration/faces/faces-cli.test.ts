import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/main/cli/run';
import { createSafehouse, type Safehouse } from '../../../src/main/core/app';
import { findMediaTools } from '../../../src/main/core/media/media-tools';
import { createVault } from '../../../src/main/core/vault/vault';
import { PASS, tempDir } from '../../unit/vault/helpers';
import { addVerifiedClip } from '../proxies/proxy-fixture';
import { makeFaceClip } from './face-fixture';

/**
 * `safehouse faces …` with the exact names and JSON shapes of the issue, and the review calls (assign,
 * delete, adjust, add, confirm) through the facade, with what each does to the clip's safety and plan.
 */

let root: string;
let dir: string;
let clipId: string;

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io = { stdout: (t: string) => void (out += t), stderr: (t: string) => void (err += t), env: { SH_PASS: PASS } };
  const code = await runCli([...argv, '--vault', dir, '--passphrase-env', 'SH_PASS'], io, { version: 'test' });
  return { code, out, err };
}

beforeAll(async () => {
  root = await tempDir('sh-faces-cli-');
  dir = path.join(root, 'vault');
  const vault = await createVault(dir, PASS);
  const made = await makeFaceClip(await findMediaTools(), { width: 480, height: 270, seconds: 2 });
  ({ id: clipId } = await addVerifiedClip(vault, made.bytes, { durationSeconds: 2 }));
  await (await vault.catalog()).close();
  vault.lock();
}, 300_000);
afterAll(() => fs.rm(root, { recursive: true, force: true }));

interface ListedTrack { id: string; subjectId: string | null; keyframes: { t: number; x: number; y: number; w: number; h: number }[] }

describe('safehouse faces', () => {
  let tracks: ListedTrack[] = [];

  it('list before a scan: no tracks', async () => {
    const listed = await cli('faces', 'list', '--clip', clipId, '--json');
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.out)).toEqual({ tracks: [] });
  });

  it('scan --json prints JSON-lines progress and a summary, then list gives the documented shape', async () => {
    const scanned = await cli('faces', 'scan', '--json');
    expect(scanned.code).toBe(0);
    const lines = scanned.out.trim().split('\n').map((line) => JSON.parse(line) as { event: string; state?: string; clips?: { result: string; tracks: number }[] });
    expect(lines[0]).toMatchObject({ event: 'progress', clipId, state: 'queued' });
    expect(lines.some((l) => l.event === 'progress' && l.state === 'done')).toBe(true);
    const summary = lines[lines.length - 1]!;
    expect(summary).toMatchObject({ event: 'summary', ok: true });
    expect(summary.clips![0]!.result).toBe('done');

    const listed = JSON.parse((await cli('faces', 'list', '--clip', clipId, '--json')).out) as { tracks: ListedTrack[] };
    expect(Object.keys(listed)).toEqual(['tracks']);
    tracks = listed.tracks;
    expect(tracks.length).toBeGreaterThanOrEqual(2);
    for (const track of tracks) {
      expect(Object.keys(track)).toEqual(['id', 'subjectId', 'keyframes']);
      expect(track.subjectId).toBeNull();
      for (const k of track.keyframes) {
        expect(Object.keys(k)).toEqual(['t', 'x', 'y', 'w', 'h']);
        expect(k.x).toBeGreaterThanOrEqual(0);
        expect(k.x + k.w).toBeLessThanOrEqual(1 + 1e-9);
        expect(k.t).toBeGreaterThanOrEqual(0);
        expect(k.t).toBeLessThanOrEqual(2 + 1e-9);
      }
    }
    // A second scan without --clip finds nothing left to analyse.
    const again = await cli('faces', 'scan', '--json');
    expect(JSON.parse(again.out.trim().split('\n').pop()!)).toMatchObject({ event: 'summary', clips: [] });
  }, 300_000);

  it('assign makes the track a subject appearance; confirm clears the clip', async () => {
    const subject = (await cli('subjects', 'add', '--pseudonym', 'Kestrel')).out.trim();
    expect((await cli('subjects', 'consent', '--subject', subject, '--state', 'given', '--scope', 'all uses')).code).toBe(0);
    const assigned = await cli('faces', 'assign', '--clip', clipId, '--track', tracks[0]!.id, '--subject', subject, '--json');
    expect(assigned.code).toBe(0);
    const listed = JSON.parse((await cli('faces', 'list', '--clip', clipId, '--json')).out) as { tracks: ListedTrack[] };
    expect(listed.tracks.find((t) => t.id === tracks[0]!.id)!.subjectId).toBe(subject);
    const shown = JSON.parse((await cli('subjects', 'show', '--subject', subject, '--json')).out) as { subject: { appearances: { clipId: string; regions: unknown[] }[] } };
    expect(shown.subject.appearances.map((a) => a.clipId)).toEqual([clipId]);
    expect(shown.subject.appearances[0]!.regions).toEqual(tracks[0]!.keyframes);

    const before = JSON.parse((await cli('status', '--json')).out) as unknown;
    expect(JSON.stringify(before)).toContain('faces-unconfirmed');
    const confirmed = await cli('faces', 'confirm', '--clip', clipId, '--json');
    expect(confirmed.code).toBe(0);
    expect(JSON.parse(confirmed.out)).toMatchObject({ ok: true, report: { clipId, safety: 'cleared' } });
  }, 120_000);

  it('review calls: delete, adjust and add a track; unknown ids and empty spans are refused', async () => {
    const app: Safehouse = createSafehouse({ version: 'test' });
    try {
      expect((await app.call('vault.unlock', { dir, passphrase: PASS })).ok).toBe(true);
      const second = tracks[1]!;
      const adjusted = await app.call('faces.adjustTrack', { clipId, trackId: second.id, keyframe: { t: 1, x: 0.5, y: 0.5, w: 0.8, h: 0.8 } });
      expect(adjusted.ok && adjusted.value.keyframes.find((k) => k.t === 1)).toEqual({ t: 1, x: 0.5, y: 0.5, w: 0.5, h: 0.5 }); // clamped to the frame
      const added = await app.call('faces.addTrack', { clipId, keyframes: [{ t: 0.2, x: 0.05, y: 0.05, w: 0.1, h: 0.1 }, { t: 1.2, x: 0.1, y: 0.05, w: 0.1, h: 0.1 }] });
      expect(added.ok && added.value).toMatchObject({ origin: 'drawn', confirmed: true, subjectId: null, from: 0.2, to: 1.2 });
      const removed = await app.call('faces.deleteTrack', { clipId, trackId: second.id });
      expect(removed).toEqual({ ok: true, value: { removed: true } });
      expect(await app.call('faces.deleteTrack', { clipId, trackId: second.id })).toEqual({ ok: true, value: { removed: false } });
      const listed = await app.call('faces.list', { clipId });
      expect(listed.ok && listed.value.tracks.map((t) => t.id)).not.toContain(second.id);
      expect(listed.ok && listed.value.confirmedAt).not.toBeNull();
      const unknown = await app.call('faces.assign', { clipId, trackId: 'nope', subjectId: null });
      expect(unknown.ok ? null : unknown.error.code).toBe('NOT_FOUND');
      const zeroSpan = await app.call('faces.addTrack', { clipId, keyframes: [{ t: 1, x: 0, y: 0, w: 0.1, h: 0.1 }, { t: 1, x: 0, y: 0, w: 0.1, h: 0.1 }] });
      expect(zeroSpan.ok ? null : zeroSpan.error.code).toBe('INVALID_INPUT');
    } finally {
      await app.close();
    }
  }, 120_000);

  it('unassigning removes the appearance: the face is an unknown person again', async () => {
    const app = createSafehouse({ version: 'test' });
    try {
      await app.call('vault.unlock', { dir, passphrase: PASS });
      const track = await app.call('faces.assign', { clipId, trackId: tracks[0]!.id, subjectId: null });
      expect(track.ok && track.value).toMatchObject({ subjectId: null, appearanceId: null });
      const subjects = await app.call('subjects.list', {});
      const subject = await app.call('subjects.get', { id: subjects.ok ? subjects.value[0]!.id : '' });
      expect(subject.ok && subject.value.appearances).toEqual([]);
      const listed = await app.call('faces.list', { clipId });
      expect(listed.ok && listed.value.tracks.every((t) => t.subjectId === null)).toBe(true);
    } finally {
      await app.close();
    }
  });
});
