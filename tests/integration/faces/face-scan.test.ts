import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confirmTracks } from '../../../src/main/core/faces/face-review';
import { cancelScans, scanClips } from '../../../src/main/core/faces/face-scan';
import { clipFaces } from '../../../src/main/core/faces/face-store';
import { findMediaTools, type MediaTools } from '../../../src/main/core/media/media-tools';
import { ensureProxies } from '../../../src/main/core/proxies/proxy-builder';
import { getProtectionPlan } from '../../../src/main/core/subjects/protection-plan';
import { evaluateClips } from '../../../src/main/core/subjects/safety-report';
import { createVault, type UnlockedVault } from '../../../src/main/core/vault/vault';
import { grayFrames, measureCoverage } from '../../helpers/face-coverage';
import { addVerifiedClip } from '../proxies/proxy-fixture';
import { makeFaceClip, type FaceClip } from './face-fixture';

/**
 * The whole face path on a real vault: a generated clip with known face boxes is sealed as a master,
 * analysed (decrypt → pipe → ffmpeg → worker → tracker), and its proxy is checked pixel by pixel: every
 * labelled face must be black in every frame. Needs `npm run build` (the analysis worker is a build entry).
 */

let tools: MediaTools;
let vault: UnlockedVault;
let base: string;
let made: FaceClip;
let clipId: string;

beforeAll(async () => {
  tools = await findMediaTools();
  base = await fs.mkdtemp(path.join(os.tmpdir(), 'sh-faces-'));
  vault = await createVault(path.join(base, 'vault'), 'correct horse battery staple');
  made = await makeFaceClip(tools, { width: 640, height: 360, seconds: 4 });
  ({ id: clipId } = await addVerifiedClip(vault, made.bytes, { durationSeconds: made.clip.seconds }));
}, 300_000);
afterAll(async () => {
  vault?.lock();
  await fs.rm(base, { recursive: true, force: true });
});

describe('face scan', () => {
  it('before analysis the clip is a full mosaic and unreviewed', async () => {
    expect((await getProtectionPlan(vault, clipId)).mode).toBe('full');
    const [report] = await evaluateClips(vault, undefined, clipId);
    expect(report!.reasons.map((r) => r.code)).toContain('clip-unreviewed');
  });

  it('finds every face, covers each labelled face in every proxy frame, and stays needs-review until confirmed', async () => {
    const progress: string[] = [];
    const [outcome] = await scanClips(vault, tools, { clipIds: [clipId], onProgress: (p) => progress.push(p.state) });
    expect(outcome).toMatchObject({ clipId, result: 'done' });
    expect(progress[0]).toBe('queued');
    expect(progress).toContain('done');
    const faces = await clipFaces(await vault.catalog(), clipId);
    // Four people in two shots; a scene cut ends shot A's tracks, so no track spans the cut at 2 s.
    expect(faces.tracks.length).toBeGreaterThanOrEqual(4);
    expect(faces.tracks.every((t) => t.from >= 2 - 0.35 || t.to <= 2 + 1e-6)).toBe(true);

    const plan = await getProtectionPlan(vault, clipId);
    expect(plan.mode).toBe('regions');
    expect(plan.voice).toEqual({ method: 'mute', ranges: 'all' }); // nobody confirmed who speaks yet
    const [report] = await evaluateClips(vault, undefined, clipId);
    expect(report!.safety).toBe('needs-review');
    expect(report!.reasons.map((r) => r.code)).toEqual(['faces-unconfirmed']);

    const [built] = await ensureProxies(vault, tools, [clipId]);
    expect(built!.result).toBe('built');
    const row = await (await vault.catalog()).get<{ object_id: string; mode: string }>('SELECT object_id, mode FROM proxies WHERE clip_id = ?', [clipId]);
    expect(row!.mode).toBe('regions');
    const proxy = (await vault.readObject(row!.object_id)).data;
    const size = { width: made.clip.width, height: made.clip.height };
    const coverage = measureCoverage(
      await grayFrames(tools, proxy, size.width, size.height),
      await grayFrames(tools, made.bytes, size.width, size.height),
      made.truth,
      size.width,
      size.height,
    );
    expect(coverage.labelled).toBeGreaterThan(100);
    expect(coverage.misses).toEqual([]);
    expect(coverage.covered / coverage.labelled).toBe(1);
    // The mask is boxes, not the frame: most of the picture away from faces stays visible.
    expect(coverage.maskedNonFace).toBeLessThan(0.5);
  }, 600_000);

  it('confirming the tracks clears the clip for export with its faces still covered', async () => {
    const report = await confirmTracks(vault, clipId);
    expect(report.safety).toBe('cleared');
    const plan = await getProtectionPlan(vault, clipId);
    expect(plan.mode).toBe('regions');
    expect(plan.voice).toBeNull();
    expect(plan.faces?.length).toBeGreaterThanOrEqual(4);
  });

  it('a cancelled scan stores nothing and says so', async () => {
    const before = await clipFaces(await vault.catalog(), clipId);
    const scanning = scanClips(vault, tools, { clipIds: [clipId] });
    // Cancel as soon as it is queued or running.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(cancelScans(vault, [clipId])).toBe(1);
    const [outcome] = await scanning;
    expect(outcome!.result).toBe('cancelled');
    const after = await clipFaces(await vault.catalog(), clipId);
    expect(after.tracks.map((t) => t.id)).toEqual(before.tracks.map((t) => t.id));
    expect(after.confirmedAt).toBe(before.confirmedAt);
  }, 120_000);
});
