import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Safehouse } from '../../src/main/core/app';
import { getCard } from '../integration/media/card-fixture';
import { axeViolations, closeApp, startApp, type AppPage } from './harness';

/** The crew's offload in a real browser against the real core, done with the keyboard alone. */
describe('offload screen', () => {
  let base: string;
  let safehouse: Safehouse;
  let app: AppPage;
  const card = getCard();

  beforeAll(async () => {
    ({ base, safehouse, app } = await startApp('safehouse-e2e-offload-', async (facade, folder) => {
      const created = await facade.call('vault.create', { dir: path.join(folder, 'vault'), passphrase: 'correct horse battery staple' });
      expect(created.ok).toBe(true);
    }));
  });
  afterAll(() => closeApp({ base, safehouse, app }));

  it('scans a hostile card, offloads it with progress, and says it is NOT safe to wipe (a clip with a newline in its name was not copied): keyboard only', async () => {
    const { page } = app;
    await page.getByRole('heading', { name: 'Offload' }).waitFor();
    // Tab from the top of the page to the card field: the first focusable control after the navigation.
    const cardField = page.getByLabel('Camera card folder');
    for (let presses = 0; presses < 20 && !(await cardField.evaluate((element) => element === document.activeElement)); presses += 1) {
      await page.keyboard.press('Tab');
    }
    await expect.poll(() => cardField.evaluate((element) => element === document.activeElement)).toBe(true);
    await page.keyboard.type(card.root);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Card preview' }).waitFor();
    await expect.poll(() => page.locator('.warnings').textContent()).toContain('location data');
    await app.screenshot('offload-preview');

    // The start button takes focus after the scan; Enter starts the offload.
    await expect.poll(() => page.getByRole('button', { name: 'Start offload' }).evaluate((element) => element === document.activeElement)).toBe(true);
    await page.keyboard.press('Enter');
    const bar = page.getByRole('progressbar').first();
    await bar.waitFor({ timeout: 30_000 });
    await app.screenshot('offload-progress');

    const banner = page.locator('.wipe-banner');
    await banner.waitFor({ timeout: 120_000 });
    // The fixture card holds files that cannot be copied: a link out of the card, a name with a newline.
    // Formatting it would lose them, so the light stays red and names them (the reported bug: it was green).
    expect(await banner.textContent()).toContain('Not safe to wipe');
    expect(await banner.textContent()).toContain('outside');
    expect(await banner.textContent()).toContain('control characters');
    expect(await page.getByRole('button', { name: /Wipe offloaded media/ }).count()).toBe(0);
    const rows = await page.locator('.offload-results tbody tr').allTextContents();
    const unexpected = rows.filter((row) => /Quarantined|Failed/.test(row) && !/MVI_010[12]/.test(row));
    expect(unexpected).toEqual([]);
    expect(rows.filter((row) => row.includes('Verified')).length).toBeGreaterThanOrEqual(8);
    expect(rows.some((row) => row.includes('Quarantined') && row.includes('not readable'))).toBe(true);
    expect(rows.some((row) => row.includes('Not copied') && row.includes('outside'))).toBe(true);
    await app.screenshot('offload-done');
    const serious = (await axeViolations(page)).filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
    expect(serious).toEqual([]);
  });

  it('shows the offloaded clips in the library with their status', async () => {
    const { page } = app;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /^Library/ }).click();
    await expect.poll(async () => page.locator('.virtual-list .clip-row:not(.loading)').count()).toBeGreaterThanOrEqual(12);
    const text = (await page.locator('.virtual-list').textContent()) ?? '';
    expect(text).toContain('verified');
    expect(text).toContain('quarantined');
    // Filtering by status narrows the list to the quarantined clips only.
    await page.getByLabel('Status').selectOption('quarantined');
    await expect.poll(async () => page.locator('.virtual-list .clip-row:not(.loading)').count()).toBe(2);
    await page.locator('.virtual-list .clip-row').first().click();
    const detail = page.getByRole('complementary', { name: /^Clip C\d{4}/ });
    await expect.poll(() => detail.textContent()).toContain('Proof of cleanliness: not run');
    await page.getByLabel('Status').selectOption('verified');
    await page.locator('.virtual-list .clip-row').first().click();
    await expect.poll(() => detail.textContent()).toContain('Proof of cleanliness: passed');
    await app.screenshot('library-after-offload');
    const serious = (await axeViolations(page)).filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
    expect(serious).toEqual([]);
  });

  it('searches, sorts by a column header, moves with the arrow keys and opens with Enter; Escape closes', async () => {
    const { page } = app;
    await page.getByLabel('Status').selectOption('');
    await page.setViewportSize({ width: 1024, height: 640 });
    const rows = page.locator('.virtual-list .clip-row:not(.loading)');
    await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(8);
    // Column headers: clip code ascending by default; a second press sorts descending.
    const codeHeader = page.getByRole('group', { name: 'Sort by' }).getByRole('button', { name: /^Clip/ });
    expect(await codeHeader.getAttribute('aria-pressed')).toBe('true');
    const firstAscending = await rows.first().locator('.code').textContent();
    await codeHeader.click();
    await expect.poll(() => rows.first().locator('.code').textContent()).not.toBe(firstAscending);
    await codeHeader.click();
    await expect.poll(() => rows.first().locator('.code').textContent()).toBe(firstAscending);
    // The original name is shown (only to an unlocked vault), thumbnails at a readable size.
    expect(await page.locator('.virtual-list').textContent()).toMatch(/IMG_000\d\.(PNG|JPG|MOV)/);
    const thumb = (await rows.first().locator('.thumb').boundingBox())!;
    expect(thumb.width).toBeGreaterThanOrEqual(80);

    // Search by clip code.
    await page.getByLabel('Search').fill(firstAscending!);
    await expect.poll(() => rows.count()).toBe(1);
    await page.getByLabel('Search').fill('');
    await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(8);

    // Keyboard: focus the first clip, ArrowDown twice, Enter opens the third, Escape closes it.
    await rows.first().focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    const third = await rows.nth(2).locator('.code').textContent();
    await expect.poll(() => page.evaluate(() => document.activeElement?.querySelector('.code')?.textContent)).toBe(third);
    await page.keyboard.press('Enter');
    const detail = page.getByRole('complementary', { name: `Clip ${third}` });
    await detail.waitFor();
    await app.screenshot('library-list-detail-1024');
    const serious = (await axeViolations(page)).filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
    expect(serious).toEqual([]);
    await page.keyboard.press('Escape');
    await expect.poll(() => detail.count()).toBe(0);

    await page.getByLabel('Grid').check();
    await expect.poll(() => page.locator('.virtual-list .clip-tile').count()).toBeGreaterThanOrEqual(8);
    await app.screenshot('library-grid-1024');
    expect((await axeViolations(page)).filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')).toEqual([]);
  });

  it('ran without console errors', () => {
    expect(app.consoleErrors).toEqual([]);
  });
});
