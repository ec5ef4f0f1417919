import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Safehouse } from '../../src/main/core/app';
import { offloadCard } from '../../src/main/core/ingest/offload';
import { findMediaTools } from '../../src/main/core/media/media-tools';
import { createVault } from '../../src/main/core/vault/vault';
import { writeStubTool } from '../integration/ingest/fault-helpers';
import { axeViolations, closeApp, startApp, type AppPage } from './harness';

/**
 * A clip quarantined because the ffmpeg of the day refused it is cleaned again from its sealed original with one
 * button in the clip's detail: no card, no command line. A clip that still cannot be cleaned says so in words
 * and stays quarantined with its original kept.
 */
const PASS = 'retry from the sealed original';
const video = 'DCIM/100CANON/MVI_0001_A_RATHER_LONG_NAME_FROM_A_CAMERA_THAT_NAMES_CLIPS_BY_SCENE_AND_TAKE.MP4';
const notJpeg = 'DCIM/100CANON/IMG_0002.JPG';

describe('retrying a quarantined clip in the app', () => {
  let base: string;
  let safehouse: Safehouse;
  let app: AppPage;
  const rows = () => app.page.locator('.virtual-list .clip-row:not(.loading)');

  beforeAll(async () => {
    ({ base, safehouse, app } = await startApp('safehouse-e2e-retry-', async (facade, folder) => {
      const tools = await findMediaTools();
      const card = path.join(folder, 'CARD');
      await fs.mkdir(path.join(card, 'DCIM/100CANON'), { recursive: true });
      execFileSync(tools.ffmpeg, ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=25:duration=2', '-f', 'lavfi', '-i', 'sine=duration=2',
        '-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', path.join(card, video)]);
      await fs.writeFile(path.join(card, notJpeg), 'these are notes, saved with the wrong name');
      const dir = path.join(folder, 'vault');
      const vault = await createVault(dir, PASS);
      const refusing = await writeStubTool(folder, 'ffmpeg-refuse', tools.ffmpeg, 'refuse');
      const offload = await offloadCard(vault, { ...tools, ffmpeg: refusing.path }, card);
      expect(offload.results.map((result) => result.status)).toEqual(['quarantined', 'quarantined']);
      vault.lock();
      expect((await facade.call('vault.unlock', { dir, passphrase: PASS })).ok).toBe(true);
    }));
  }, 120_000);
  afterAll(() => closeApp({ base, safehouse, app }));

  it('cleans a refused clip again from its original: the detail and the list row turn verified', async () => {
    const { page } = app;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /^Library/ }).click();
    await expect.poll(() => rows().count(), { timeout: 30_000 }).toBe(2);
    await rows().filter({ hasText: 'MVI_0001' }).click();
    const detail = page.getByRole('complementary', { name: /^Clip C/ });
    await expect.poll(() => detail.locator('.status').textContent()).toBe('quarantined');
    // A quarantined clip has no cleaned master, so no proxy is offered for it.
    expect(await detail.getByRole('button', { name: /proxy/i }).count()).toBe(0);
    await app.screenshot('retry-quarantined-detail');
    const retry = detail.getByRole('button', { name: 'Try cleaning it again' });
    await retry.click();
    await expect.poll(() => detail.locator('.retry-clean [role=status]').textContent(), { timeout: 90_000 }).toMatch(/is now clean, proven and verified/);
    await expect.poll(() => detail.locator('.status').textContent()).toBe('verified');
    // The retry button is for quarantined clips only, and the list row shows the new status without a reload.
    expect(await detail.getByRole('button', { name: 'Try cleaning it again' }).count()).toBe(0);
    await expect.poll(() => rows().filter({ hasText: 'MVI_0001' }).locator('.status').textContent()).toBe('verified');
    await app.screenshot('retry-verified-detail');
    const clips = await safehouse.call('clips.list', {});
    expect(clips.ok && clips.value.map((clip) => [clip.originalName.slice(-6), clip.status]).sort()).toEqual([['02.JPG', 'quarantined'], ['KE.MP4', 'verified']]);
    const serious = (await axeViolations(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious).toEqual([]);
  }, 150_000);

  it('a clip that still cannot be cleaned says why in words and stays quarantined, at 1024×640', async () => {
    const { page } = app;
    await page.setViewportSize({ width: 1024, height: 640 });
    await rows().filter({ hasText: 'IMG_0002' }).click();
    const detail = page.getByRole('complementary', { name: /^Clip C/ });
    await detail.getByRole('button', { name: 'Try cleaning it again' }).click();
    const status = detail.locator('.retry-clean [role=status]');
    await expect.poll(() => status.textContent(), { timeout: 60_000 }).toMatch(/still could not be cleaned, so it stays quarantined with its original kept/);
    expect(await status.textContent()).not.toMatch(/ffmpeg|Error:|at \w+ \(/);
    expect(await detail.locator('.status').textContent()).toBe('quarantined');
    // With the detail open at 1024 px, every row's status and safety stay inside the list, not cut off.
    const list = (await page.locator('.virtual-list').boundingBox())!;
    for (const cell of await rows().locator('.status, .safety').all()) {
      const box = (await cell.boundingBox())!;
      expect(box.x + box.width).toBeLessThanOrEqual(list.x + list.width + 0.5);
      expect(await cell.evaluate((element) => element.scrollWidth <= element.clientWidth)).toBe(true);
    }
    await app.screenshot('retry-still-quarantined-1024');
    const serious = (await axeViolations(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious).toEqual([]);
  }, 120_000);
});
