import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Safehouse } from '../../src/main/core/app';
import { findMediaTools } from '../../src/main/core/media/media-tools';
import { makeFaceClip } from '../integration/faces/face-fixture';
import { closeApp, startApp, type AppPage } from './harness';

/**
 * The face review screen in Chromium against the real core: a generated clip with faces is offloaded and
 * analysed; a person opens it, sees every track drawn on the real frame, scrubs with the keyboard, deletes
 * a track and accepts the rest. Screenshots at each step.
 */
describe('face review', () => {
  let base: string;
  let safehouse: Safehouse;
  let app: AppPage;

  beforeAll(async () => {
    ({ base, safehouse, app } = await startApp('safehouse-e2e-faces-', async (core, dir) => {
      const made = await makeFaceClip(await findMediaTools(), { width: 640, height: 360, seconds: 4 });
      const card = path.join(dir, 'card', 'DCIM', '100CANON');
      await mkdir(card, { recursive: true });
      await writeFile(path.join(card, 'MVI_0001.MP4'), made.bytes);
      expect((await core.call('vault.create', { dir: path.join(dir, 'vault'), passphrase: 'correct horse battery staple' })).ok).toBe(true);
      const offload = await core.call('offload.start', { path: path.join(dir, 'card'), proxies: 'none' });
      expect(offload.ok && offload.value.results.map((r) => r.status)).toEqual(['verified']);
      const scanned = await core.call('faces.scan', { wait: true });
      expect(scanned.ok && scanned.value[0]!.tracks).toBeGreaterThanOrEqual(4);
    }));
  }, 600_000);
  afterAll(() => closeApp({ base, safehouse, app }));

  it('shows every track on the real frame, scrubs by keyboard, deletes one and accepts the rest', async () => {
    const { page } = app;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /^Library/ }).click();
    await expect.poll(async () => page.locator('.virtual-list .clip-row:not(.loading)').count()).toBe(1);
    await page.locator('.virtual-list .clip-row').first().click();
    await page.getByRole('button', { name: 'Review faces' }).click();
    const panel = page.getByRole('region', { name: 'Face tracks' });
    const list = panel.getByRole('list', { name: 'Face track list' });
    await expect.poll(() => list.locator('li').count()).toBeGreaterThanOrEqual(4);
    const before = await list.locator('li').count();
    await expect.poll(() => panel.locator('img.review-frame').evaluate((img: HTMLImageElement) => img.naturalWidth).catch(() => 0), { timeout: 60_000 }).toBeGreaterThan(100);
    await expect.poll(() => panel.getByTestId('face-box').count()).toBeGreaterThanOrEqual(1);
    await panel.getByTestId('face-box').first().scrollIntoViewIfNeeded();
    await app.screenshot('faces-01-review-start');

    // Keyboard scrubbing: 5 × Shift+→ from 0 s reaches the second shot (the end of the 4 s clip).
    await panel.getByLabel(/^Frame at/).focus();
    for (let i = 0; i < 3; i += 1) await page.keyboard.press('Shift+ArrowRight');
    await expect.poll(() => panel.getByText(/^Position 3\.00 s/).count()).toBe(1);
    await expect.poll(() => panel.locator('img.review-frame').getAttribute('alt'), { timeout: 60_000 }).toContain('3.00 s');
    await app.screenshot('faces-02-scrubbed-second-shot');

    await list.getByRole('button', { name: 'Delete face 1' }).click();
    await expect.poll(() => list.locator('li').count()).toBe(before - 1);
    await panel.getByRole('button', { name: 'Accept all tracks' }).click();
    await expect.poll(() => panel.getByRole('status').first().textContent()).toMatch(/Confirmed/);
    await app.screenshot('faces-03-accepted');
    // Confirmed by a person, nobody recorded as a subject: cleared for export, the faces still covered.
    const clips = await safehouse.call('clips.list', {});
    expect(clips.ok && clips.value.map((c) => c.safety)).toEqual(['cleared']);
    const faces = await safehouse.call('faces.list', { clipId: clips.ok ? clips.value[0]!.id : '' });
    expect(faces.ok && faces.value.tracks.length).toBe(before - 1);
    expect(faces.ok && faces.value.tracks.every((t) => t.confirmed && t.subjectId === null)).toBe(true);
    expect(app.consoleErrors).toEqual([]);
  });
});
