import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSafehouse, type Safehouse } from '../../src/main/core/app';
import { axeViolations, closeApp, startApp, type AppPage } from './harness';

/**
 * A crew member creates a field vault in the window from HQ's recipient card, at 1024×640: the card's
 * fingerprint is shown to compare aloud, and the vault that results cannot open masters or identities.
 */
describe('field vault from the window', () => {
  let base: string;
  let safehouse: Safehouse;
  let app: AppPage;
  let hqCard: string;
  let hqFingerprint: string;

  beforeAll(async () => {
    ({ base, safehouse, app } = await startApp('safehouse-e2e-field-', async (_facade, folder) => {
      // HQ's own vault, in a separate facade: only its public recipient card leaves it.
      const hq = createSafehouse({ version: 'e2e' });
      try {
        const created = await hq.call('vault.create', { dir: path.join(folder, 'hq'), passphrase: 'headquarters keeps the masters safe' });
        expect(created.ok).toBe(true);
        const card = await hq.call('recipients.export', {});
        if (!card.ok) throw new Error(card.error.message);
        hqCard = card.value.card;
        hqFingerprint = card.value.fingerprintWords;
      } finally {
        await hq.close();
      }
    }));
    await app.page.setViewportSize({ width: 1024, height: 640 });
  });
  afterAll(() => closeApp({ base, safehouse, app }));

  it('shows the fingerprint of HQ’s card and creates a write-only vault', async () => {
    const { page } = app;
    await page.getByRole('tab', { name: 'Create a vault' }).click();
    await page.getByLabel('Vault folder').fill(path.join(base, 'field'));
    await page.getByLabel('Field vault (from HQ’s card)').check();
    await page.getByLabel('HQ’s recipient card').fill('{ not a card');
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('does not look like a recipient card');
    await page.getByLabel('HQ’s recipient card').fill(hqCard);
    await expect.poll(() => page.locator('.fingerprint').textContent()).toBe(hqFingerprint);
    await page.getByLabel('Passphrase', { exact: true }).fill('crew laptop night train border');
    await page.getByLabel('Type it again').fill('crew laptop night train border');
    await page.getByLabel('I understand that if this passphrase is lost, the footage is lost.').check();
    await page.getByLabel(/I read this fingerprint with HQ/).check();
    await app.screenshot('vault-field-create-1024');
    const serious = (await axeViolations(page)).filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
    expect(serious).toEqual([]);
    await page.getByRole('button', { name: 'Create field vault' }).click();
    const badge = page.getByRole('region', { name: 'Vault' });
    await expect.poll(() => badge.textContent(), { timeout: 60_000 }).toContain('Field vault (write-only)');
    expect(await badge.textContent()).toContain('Cannot open masters');
    expect(await badge.textContent()).toContain('Cannot open identities');
    expect(await badge.textContent()).toMatch(/Locks itself in about \d+ min/);
    await app.screenshot('vault-field-created-1024');
  });

  it('ran without console errors', () => {
    expect(app.consoleErrors).toEqual([]);
  });
});
