import { cp, readdir, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Safehouse } from '../../src/main/core/app';
import { getCard } from '../integration/media/card-fixture';
import { axeViolations, closeApp, startApp, type AppPage } from './harness';

/**
 * The offload as a crew at 2 a.m. uses it, at 1024×640: a card dropped on the window, paused, left and
 * re-attached to after navigating and reloading, a second card queued behind it, a long file name that
 * must not push the result column off-screen, and the wipe confirmation taking focus and closing on Escape.
 */
const LONG_NAME = `INTERVIEW_${'SAFEHOUSE_NIGHT_SHOOT_'.repeat(9)}FINAL.MP4`;

describe('offload queue in the window', () => {
  let base: string;
  let safehouse: Safehouse;
  let app: AppPage;
  let cleanCard: string;
  const card = getCard();

  const nav = (name: string) => app.page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: new RegExp(`^${name}`) }).click();
  const noSeriousAxe = async () => {
    const serious = (await axeViolations(app.page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious).toEqual([]);
  };

  beforeAll(async () => {
    ({ base, safehouse, app } = await startApp('safehouse-e2e-queue-', async (facade, folder) => {
      // A card without the deliberately broken files, one clip renamed to a very long name.
      cleanCard = path.join(folder, 'CLEAN_CARD');
      await cp(card.root, cleanCard, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true, filter: (file) => !/MVI[_\n]01|passwd|outside|-rf|ñø|MISC/.test(file) });
      await rename(path.join(cleanCard, 'DCIM/100CANON/MVI_0002.MP4'), path.join(cleanCard, 'DCIM/100CANON', LONG_NAME));
      const created = await facade.call('vault.create', { dir: path.join(folder, 'vault'), passphrase: 'correct horse battery staple' });
      expect(created.ok).toBe(true);
    }));
    await app.page.setViewportSize({ width: 1024, height: 640 });
  });
  afterAll(async () => {
    // Nothing may still be writing when the vault closes.
    for (let wait = 0; wait < 600; wait += 1) {
      const jobs = await safehouse.call('offload.jobs', {});
      if (!jobs.ok || jobs.value.every((job) => ['done', 'cancelled', 'failed'].includes(job.state))) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await closeApp({ base, safehouse, app });
  });

  it('takes a card folder dropped on the window', async () => {
    const { page } = app;
    await page.getByRole('heading', { name: 'Offload' }).waitFor();
    await page.evaluate((cardPath) => {
      (window as unknown as { __dropPaths: Record<string, string> }).__dropPaths = { CLEAN_CARD: cardPath };
      const transfer = new DataTransfer();
      transfer.items.add(new File([], 'CLEAN_CARD'));
      window.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, cancelable: true }));
      window.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, cancelable: true }));
    }, cleanCard);
    await page.getByRole('heading', { name: 'Card preview' }).waitFor();
    expect(await page.locator('.scan-preview').textContent()).toContain('INTERVIEW_SAFEHOUSE');
    await app.screenshot('queue-01-dropped-preview-1024');
    await noSeriousAxe();
  });

  it('pauses, survives leaving the screen and a reload, and queues a second card behind it', async () => {
    const { page } = app;
    await page.getByLabel('Card label (sealed in the vault)').fill('Night shoot, card A');
    await page.getByRole('button', { name: 'Start offload' }).click();
    await page.getByRole('button', { name: 'Pause' }).click();
    await page.getByRole('heading', { name: /^Paused: Night shoot, card A/ }).waitFor();

    await nav('Library');
    await nav('Offload');
    await page.getByRole('heading', { name: /^Paused: Night shoot, card A/ }).waitFor();
    expect(await page.getByText('did not finish').count()).toBe(0);

    // A second card scanned meanwhile waits for the first.
    await page.getByLabel('Camera card folder').fill(card.root);
    await page.getByRole('button', { name: 'Scan card' }).click();
    await page.getByRole('button', { name: 'Queue after the current card' }).click();
    await page.getByRole('heading', { name: 'Waiting: 1 card' }).waitFor();

    await page.reload();
    await page.getByRole('heading', { name: /^Paused: Night shoot, card A/ }).waitFor();
    await page.getByRole('heading', { name: 'Waiting: 1 card' }).waitFor();
    expect(await page.getByText('did not finish').count()).toBe(0);
    await expect.poll(() => page.getByRole('progressbar').count()).toBeGreaterThan(0);
    await app.screenshot('queue-02-paused-after-reload-1024');
    await noSeriousAxe();

    await page.getByRole('button', { name: 'Resume' }).click();
    await page.getByRole('heading', { name: /^Offloading: Night shoot, card A/ }).waitFor();
    await app.screenshot('queue-03-running-1024');
  });

  it('shows the finished card with the long name wrapped and the result column on screen', async () => {
    const { page } = app;
    // The second card runs after the first; when it ends too, set it aside to see the first again.
    await page.getByRole('heading', { name: new RegExp(`^Offload finished: ${card.root.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) }).waitFor({ timeout: 170_000 });
    await page.getByRole('button', { name: 'Done with this card' }).click();
    await page.getByRole('heading', { name: /^Offload finished: Night shoot, card A/ }).waitFor();
    const banner = page.locator('.last-result .wipe-banner');
    expect(await banner.textContent()).toContain('Safe to wipe');

    const row = page.locator('.last-result tbody tr', { hasText: 'INTERVIEW_SAFEHOUSE' });
    const status = row.locator('.status');
    expect(await status.textContent()).toBe('Verified');
    const box = (await status.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(1024);
    const table = page.locator('.last-result table');
    const overflow = await table.evaluate((element) => element.scrollWidth - (element.parentElement?.clientWidth ?? 0));
    expect(overflow).toBeLessThanOrEqual(0);
    await app.screenshot('queue-04-long-name-result-1024');
    await noSeriousAxe();
  });

  it('the wipe confirmation takes focus, Escape closes it, and focus goes back', async () => {
    const { page } = app;
    const wipe = page.getByRole('button', { name: 'Wipe offloaded media from the card…' });
    await wipe.click();
    const dialog = page.getByRole('dialog', { name: 'Delete the offloaded clips from the card?' });
    await dialog.waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Keep everything');
    await app.screenshot('queue-05-wipe-confirm-1024');
    await noSeriousAxe();
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    await expect.poll(() => wipe.evaluate((element) => element === document.activeElement)).toBe(true);
  });

  it('lists both offloads with reports that open in the app', async () => {
    const { page } = app;
    const history = page.getByRole('region', { name: 'Offload reports' }).or(page.locator('.offload-history'));
    await expect.poll(() => page.locator('.offload-history tbody tr').count()).toBe(2);
    await page.getByRole('button', { name: /^Open report: Night shoot, card A/ }).click();
    const report = page.getByRole('region', { name: 'Offload report', exact: true });
    await report.waitFor();
    expect(await report.textContent()).toContain('INTERVIEW_SAFEHOUSE');
    expect(await report.locator('.wipe-banner').textContent()).toContain('Safe to wipe');
    expect(await history.count()).toBeGreaterThan(0);
    await report.scrollIntoViewIfNeeded();
    await app.screenshot('queue-06-report-1024');
    await noSeriousAxe();
  });

  it("saves the card's ASC MHL folder from the report, and refuses to overwrite one", async () => {
    const { page } = app;
    const manifest = page.getByRole('form', { name: 'Card manifest (ASC MHL)' });
    const out = path.join(base, 'manifest-out');
    await manifest.getByLabel(/^Save into folder/).fill(out);
    await manifest.getByRole('button', { name: 'Save manifest' }).click();
    await expect.poll(() => manifest.getByRole('status').textContent(), { timeout: 30_000 }).toMatch(/^Saved .*ascmhl: it lists \d+ files\./);
    const written = (await readdir(path.join(out, 'ascmhl'))).sort();
    expect(written).toEqual([expect.stringMatching(/^0001_Night_shoot_card_A_\d{4}-\d{2}-\d{2}_\d{6}Z\.mhl$/), 'ascmhl_chain.xml']);
    const listed = Number(/lists (\d+) files/.exec((await manifest.getByRole('status').textContent()) ?? '')![1]);
    const generation = await readFile(path.join(out, 'ascmhl', written[0]!), 'utf8');
    expect(generation.match(/<hash>/g)?.length).toBe(listed);
    await manifest.scrollIntoViewIfNeeded();
    await app.screenshot('queue-07-manifest-saved-1024');
    await manifest.getByRole('button', { name: 'Save manifest' }).click();
    await expect.poll(() => manifest.getByRole('alert').textContent()).toMatch(/already exists; choose a folder without an ascmhl folder in it/);
    await noSeriousAxe();
  });

  it('ran without console errors', () => {
    expect(app.consoleErrors).toEqual([]);
  });
});
