import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Safehouse } from '../../src/main/core/app';
import { createVault } from '../../src/main/core/vault/vault';
import { axeViolations, closeApp, startApp, type AppPage } from './harness';

/**
 * A vault of 10,000 clips (generated catalog rows; no media needed to page, search and group them): the
 * library pages and searches them, the Safety screen groups and pages them instead of a wall of text, and
 * the tagger reaches the last clip by search (no 500 cap). At 1024×640, with screenshots.
 */
const COUNT = 10_000;
const PASS = 'ten thousand clips on one laptop';

describe('a vault of 10,000 clips', () => {
  let base: string;
  let safehouse: Safehouse;
  let app: AppPage;
  const nav = (name: string) => app.page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: new RegExp(`^${name}`) }).click();
  const noSeriousAxe = async () => {
    const serious = (await axeViolations(app.page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious).toEqual([]);
  };

  beforeAll(async () => {
    ({ base, safehouse, app } = await startApp('safehouse-e2e-many-', async (facade, folder) => {
      const dir = path.join(folder, 'vault');
      const vault = await createVault(dir, PASS);
      const catalog = await vault.catalog();
      const cards = ['Night market, card 1', 'Border crossing, card 2', 'Harbour interviews with a very long card label that must wrap, card 3'].map((label) => ({ id: randomBytes(12).toString('hex'), label }));
      const name = Buffer.from(vault.sealValue('proxy', `DCIM/100CANON/INTERVIEW_${'VERY_LONG_NAME_'.repeat(6)}0001.MP4`));
      await catalog.transaction(async (tx) => {
        for (const card of cards) await tx.run('INSERT INTO cards (id, label_sealed, created_at) VALUES (?, ?, ?)', [card.id, Buffer.from(vault.sealValue('proxy', card.label)), '2024-05-01T10:00:00Z']);
        for (let start = 0; start < COUNT; start += 400) {
          const rows: string[] = [];
          const params: (string | number | Buffer | null)[] = [];
          for (let i = start; i < Math.min(COUNT, start + 400); i += 1) {
            const status = i % 50 === 7 ? 'quarantined' : 'verified';
            const created = new Date(Date.UTC(2024, 4, 1, 10) + i * 60_000).toISOString();
            rows.push('(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
            params.push(randomBytes(12).toString('hex'), cards[i % 3]!.id, `C${String(i + 1).padStart(5, '0')}`, 'video', status, status === 'quarantined' ? 'could not be proven clean' : null, name, 50_000_000 + i, 12.5, '[]', created, created);
          }
          await tx.run(`INSERT INTO clips (id, card_id, code, kind, status, reason, original_name_sealed, size, duration, streams_json, created_at, verified_at) VALUES ${rows.join(', ')}`, params);
        }
      });
      vault.lock();
      expect((await facade.call('vault.unlock', { dir, passphrase: PASS })).ok).toBe(true);
      const subject = await facade.call('subjects.create', { pseudonym: 'Witness Kestrel', realName: 'Never Shown By Default', protection: ['face'] });
      if (!subject.ok) throw new Error(subject.error.message);
      const page = await facade.call('clips.query', { offset: 0, limit: 40 });
      if (!page.ok) throw new Error(page.error.message);
      for (const clip of page.value.items) expect((await facade.call('appearances.add', { subjectId: subject.value.id, clipId: clip.id })).ok).toBe(true);
    }));
    await app.page.setViewportSize({ width: 1024, height: 640 });
  });
  afterAll(() => closeApp({ base, safehouse, app }));

  it('the library pages, searches and filters 10,000 clips', async () => {
    const { page } = app;
    await nav('Library');
    await expect.poll(() => page.locator('.virtual-list [role=status]').textContent()).toBe('10,000 clips');
    // Only the rows in view exist.
    expect(await page.locator('.virtual-list .clip-row').count()).toBeLessThan(40);
    await page.getByLabel('Search').fill('border crossing');
    await expect.poll(() => page.locator('.virtual-list [role=status]').textContent()).toBe('3,333 clips');
    await page.getByLabel('Search').fill('C09999');
    await expect.poll(() => page.locator('.virtual-list [role=status]').textContent()).toBe('1 clip');
    await page.getByLabel('Search').fill('');
    await expect.poll(() => page.locator('.virtual-list [role=status]').textContent()).toBe('10,000 clips');
    await page.locator('.virtual-list').evaluate((element) => element.scrollTo({ top: element.scrollHeight }));
    await expect.poll(() => page.locator('.virtual-list').textContent()).toContain('C10000');
    await app.screenshot('many-library-end-1024');
    await noSeriousAxe();
  });

  it('the Safety screen groups 10,000 problems and pages them, with a button per fix', async () => {
    const { page } = app;
    await nav('Safety');
    const groups = page.getByRole('list', { name: 'Problems' });
    await groups.waitFor({ timeout: 60_000 });
    // Grouped and folded: the page stays short instead of 105,000 px.
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    expect(height).toBeLessThan(2500);
    expect(await page.getByRole('button', { name: 'Export checkpoint' }).boundingBox().then((box) => box!.y)).toBeLessThan(2500);
    const unreviewed = page.getByRole('button', { name: /Nobody has recorded who appears/ });
    expect(await unreviewed.textContent()).toContain('9,960 clips');
    await unreviewed.click();
    await expect.poll(() => page.locator('.problem').count()).toBe(25);
    await page.getByRole('button', { name: /^Show 25 more/ }).first().click();
    await expect.poll(() => page.locator('.problem').count()).toBe(50);
    expect(await page.locator('.safety').textContent()).not.toMatch(/safehouse |--clip|--subject|[0-9a-f]{24}/);
    await app.screenshot('many-safety-by-problem-1024');
    await noSeriousAxe();

    await page.getByLabel('By subject').check();
    await page.getByRole('button', { name: /Witness Kestrel/ }).click();
    const kestrel = page.locator('.problem-group', { has: page.getByRole('button', { name: /Witness Kestrel/ }) }).locator('.problem');
    await expect.poll(() => kestrel.count()).toBe(25);
    expect(await kestrel.first().textContent()).toContain('No consent is recorded for “Witness Kestrel”');
    await page.getByLabel('By card').check();
    await expect.poll(() => page.getByRole('button', { name: /Harbour interviews/ }).count()).toBe(1);
    await app.screenshot('many-safety-by-card-1024');
    await noSeriousAxe();
  });

  it('the tagger reaches the last of 10,000 clips by search; the real name stays hidden until asked', async () => {
    const { page } = app;
    await nav('Subjects');
    await page.locator('.subject-item', { hasText: 'Witness Kestrel' }).click();
    await page.getByRole('heading', { name: 'Witness Kestrel' }).waitFor();
    expect(await page.locator('.subject-detail').textContent()).not.toContain('Never Shown By Default');
    await page.getByRole('button', { name: 'Tag an appearance' }).click();
    const tagger = page.getByRole('form', { name: 'Tag an appearance' });
    await tagger.getByLabel('Find the clip').fill('C10000');
    await tagger.getByRole('button', { name: /^C10000 / }).click();
    await expect.poll(() => tagger.locator('.chosen-clip').textContent()).toContain('C10000');
    await app.screenshot('many-tagger-last-clip-1024');
    await noSeriousAxe();
  });

  it('ran without console errors', () => {
    expect(app.consoleErrors).toEqual([]);
  });
});
