import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Safehouse } from '../../src/main/core/app';
import { axeViolations, closeApp, startApp, type AppPage } from './harness';

/** The app frame in a real browser against the real core: create a vault, then visit every screen. */
describe('app shell in Chromium', () => {
  let base: string;
  let safehouse: Safehouse;
  let app: AppPage;

  beforeAll(async () => {
    ({ base, safehouse, app } = await startApp('safehouse-e2e-shell-'));
  });
  afterAll(() => closeApp({ base, safehouse, app }));

  it('starts at the vault screen, warns what a lost passphrase means, and refuses a guessable one', async () => {
    const { page } = app;
    await page.getByRole('tab', { name: 'Create a vault' }).click();
    await expect.poll(() => page.getByRole('region', { name: 'Before you create a vault' }).textContent()).toContain('Nobody can recover a lost passphrase');
    await page.getByLabel('Vault folder').fill(path.join(base, 'vault'));
    for (const weak of ['Password1234!', 'aaaaaaaaaaaa']) {
      await page.getByLabel('Passphrase', { exact: true }).fill(weak);
      await expect.poll(() => page.locator('.strength').textContent()).toContain('very weak');
      await page.getByLabel('Type it again').fill(weak);
      await page.getByLabel('I understand that if this passphrase is lost, the footage is lost.').check();
      await page.getByRole('button', { name: 'Create vault' }).click();
      await expect.poll(() => page.getByRole('alert').textContent()).toContain('too easy to guess');
      await expect.poll(() => page.getByLabel('Passphrase', { exact: true }).evaluate((element) => element === document.activeElement)).toBe(true);
    }
    await app.screenshot('vault-create-weak');
    const serious = (await axeViolations(page)).filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
    expect(serious).toEqual([]);
  });

  it('explains a wrong confirmation', async () => {
    const { page } = app;
    await page.getByLabel('Vault folder').fill(path.join(base, 'vault'));
    await page.getByLabel('Passphrase', { exact: true }).fill('correct horse battery staple');
    await page.getByLabel('Type it again').fill('correct horse battery stapler');
    await page.getByLabel('I understand that if this passphrase is lost, the footage is lost.').check();
    await page.getByRole('button', { name: 'Create vault' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('differ');
    await app.screenshot('vault-create');
  });

  it('creates a vault and shows what it can open', async () => {
    const { page } = app;
    await page.getByLabel('Passphrase', { exact: true }).fill('correct horse battery staple');
    await page.getByLabel('Type it again').fill('correct horse battery staple');
    await page.getByRole('button', { name: 'Create vault' }).click();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    const badge = page.getByRole('region', { name: 'Vault' });
    await expect.poll(() => badge.textContent()).toContain('Opens masters');
  });

  const screens = [
    { name: 'Offload', empty: 'No card yet' },
    { name: 'Library', empty: 'The library is empty' },
    { name: 'Subjects', empty: 'No subjects recorded' },
    { name: 'Safety', empty: 'Nothing to check yet' },
    { name: 'Export', empty: 'No cleared clips to export' },
    { name: 'Devices & sync', empty: 'No field laptop enrolled yet' },
  ];

  for (const screen of screens) {
    it(`shows the ${screen.name} screen with an honest empty state`, async () => {
      const { page } = app;
      await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: new RegExp(`^${screen.name}`) }).click();
      await expect.poll(() => page.locator('#screen-title').textContent()).toBe(screen.name);
      await expect.poll(() => page.getByRole('status').first().textContent()).toContain(screen.empty);
      await app.screenshot(`screen-${screen.name.toLowerCase().replace(/\W+/g, '-')}`);
      const serious = (await axeViolations(page)).filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
      expect(serious).toEqual([]);
    });
  }

  it('lists the keyboard shortcuts in a help panel, and they work', async () => {
    const { page } = app;
    await page.locator('body').click();
    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await help.waitFor();
    expect(await help.textContent()).toContain('Alt+1 … Alt+6');
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Close');
    await app.screenshot('help-shortcuts');
    const serious = (await axeViolations(page)).filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
    expect(serious).toEqual([]);
    await page.keyboard.press('Escape');
    await expect.poll(() => help.count()).toBe(0);
    await page.keyboard.press('Alt+2');
    await expect.poll(() => page.locator('#screen-title').textContent()).toBe('Library');
    await page.keyboard.press('Alt+1');
    await expect.poll(() => page.locator('#screen-title').textContent()).toBe('Offload');
  });

  it('every screen has no serious accessibility problem at 1024×640 either', async () => {
    const { page } = app;
    await page.setViewportSize({ width: 1024, height: 640 });
    for (const [index, screen] of screens.entries()) {
      await page.keyboard.press(`Alt+${index + 1}`);
      await expect.poll(() => page.locator('#screen-title').textContent()).toBe(screen.name);
      await app.screenshot(`screen-${screen.name.toLowerCase().replace(/\W+/g, '-')}-1024`);
      const serious = (await axeViolations(page)).filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
      expect(serious, screen.name).toEqual([]);
    }
    await page.setViewportSize({ width: 1280, height: 820 });
  });

  it('locks the vault and returns to the unlock screen', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Lock vault' }).click();
    await page.getByRole('button', { name: 'Unlock' }).waitFor();
    await page.getByLabel('Passphrase', { exact: true }).fill('not the passphrase at all');
    await page.getByRole('button', { name: 'Unlock' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('does not open this vault');
    // Focus stays in the passphrase field, ready for another try; no command-line hint anywhere.
    await expect.poll(() => page.getByLabel('Passphrase', { exact: true }).evaluate((element) => element === document.activeElement)).toBe(true);
    expect(await page.locator('body').textContent()).not.toMatch(/safehouse init|safehouse /);
    await app.screenshot('vault-wrong-passphrase');
    const serious = (await axeViolations(page)).filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
    expect(serious).toEqual([]);
  });

  it('ran without console errors (CSP allowed the pinned bundle)', () => {
    expect(app.consoleErrors).toEqual([]);
  });
});
