import { existsSync, readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Safehouse } from '../../src/main/core/app';
import type { Clip } from '../../src/shared/model';
import { getCard } from '../integration/media/card-fixture';
import { axeViolations, closeApp, startApp, type AppPage } from './harness';

/**
 * The whole story in Chromium against the real core: a vault, a card offloaded, a person recorded with face
 * protection and tagged with a region track, their clip cleared by consent and exported as a proxy, then
 * consent withdrawn: the clip is blocked and the export is in the recall list. A screenshot at every step.
 */
describe('story: from card to recall', () => {
  let base: string;
  let safehouse: Safehouse;
  let app: AppPage;
  let clip: Clip;
  const card = getCard();
  const pseudonym = 'Witness Amber';
  const recipient = 'Edit suite Lisbon';

  const nav = (name: string) => app.page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: new RegExp(`^${name}`) }).click();
  const noSeriousAxe = async () => {
    const serious = (await axeViolations(app.page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious).toEqual([]);
  };

  beforeAll(async () => {
    ({ base, safehouse, app } = await startApp('safehouse-e2e-story-'));
  });
  afterAll(() => closeApp({ base, safehouse, app }));

  it('creates a vault through the UI', async () => {
    const { page } = app;
    await page.getByRole('tab', { name: 'Create a vault' }).click();
    await page.getByLabel('Vault folder').fill(path.join(base, 'vault'));
    await page.getByLabel('Passphrase', { exact: true }).fill('correct horse battery staple');
    await page.getByLabel('Type it again').fill('correct horse battery staple');
    await page.getByLabel('I understand that if this passphrase is lost, the footage is lost.').check();
    await app.screenshot('story-01-vault-create');
    await page.getByRole('button', { name: 'Create vault' }).click();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
  });

  it('offloads the card with progress until every clip is verified, and names what stays on the card', async () => {
    const { page } = app;
    await page.getByLabel('Camera card folder').fill(card.root);
    await page.getByRole('button', { name: 'Scan card' }).click();
    await page.getByRole('heading', { name: 'Card preview' }).waitFor();
    await app.screenshot('story-02-offload-preview');
    await page.getByRole('button', { name: 'Start offload' }).click();
    await page.getByRole('progressbar').first().waitFor({ timeout: 30_000 });
    await app.screenshot('story-03-offload-progress');
    const banner = page.locator('.wipe-banner');
    await banner.waitFor({ timeout: 120_000 });
    // The fixture card holds files that cannot be copied (a link out of the card, odd names): formatting it
    // would lose them, so it is not safe to wipe, and the banner names them.
    expect(await banner.textContent()).toContain('Not safe to wipe');
    expect(await banner.textContent()).toContain('outside');
    await app.screenshot('story-04-offload-verified');
    await noSeriousAxe();

    const clips = await safehouse.call('clips.list', {});
    if (!clips.ok) throw new Error(clips.error.message);
    // A verified video whose card name differs from its code, so the manifest check below means something.
    clip = clips.value.find((c) => c.status === 'verified' && c.kind === 'video' && c.originalName.endsWith('MVI_0002.MP4'))!;
    expect(clip, JSON.stringify(clips.value.map((c) => [c.code, c.kind, c.status, c.originalName]))).toBeTruthy();
    expect(clip.safety).toBe('needs-review');
  });

  it('shows the safety screen before anyone is reviewed', async () => {
    await nav('Safety');
    const { page } = app;
    await page.getByRole('img', { name: /Clips by safety status/ }).waitFor();
    await page.getByLabel('Find a clip').fill(clip.code);
    await expect.poll(() => page.getByRole('list', { name: 'Problems' }).textContent()).toContain(`Nobody has recorded who appears in ${clip.code}`);
    await expect.poll(() => page.locator('.audit-result').textContent()).toContain('Intact');
    await app.screenshot('story-05-safety-unreviewed');
    await noSeriousAxe();
  });

  it('adds a subject with face protection (the dialog closes with Escape too)', async () => {
    await nav('Subjects');
    const { page } = app;
    await page.getByRole('status').filter({ hasText: 'No subjects recorded' }).waitFor();
    await app.screenshot('story-06-subjects-empty');
    await noSeriousAxe();

    await page.getByRole('button', { name: 'Add subject' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a subject' });
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);

    await page.getByRole('button', { name: 'Add subject' }).click();
    await dialog.getByLabel('Pseudonym').fill(pseudonym);
    await dialog.getByLabel('Real name (optional)').fill('Sealed Realname');
    expect(await dialog.getByLabel('Hide face').isChecked()).toBe(true);
    await app.screenshot('story-07-subject-create-dialog');
    await noSeriousAxe();
    await dialog.getByRole('button', { name: 'Add subject' }).click();
    await page.getByRole('heading', { name: pseudonym }).waitFor();
    // The real name stays hidden until asked for, and is hidden again after leaving the screen.
    expect(await page.locator('.subject-detail').textContent()).not.toContain('Sealed Realname');
    await page.getByRole('button', { name: `Reveal the real name of ${pseudonym}` }).click();
    await expect.poll(() => page.locator('.subject-detail').textContent()).toContain('Sealed Realname');
    await app.screenshot('story-08-subject-created');
    await nav('Library');
    await nav('Subjects');
    await page.locator('.subject-item', { hasText: pseudonym }).click();
    await page.getByRole('heading', { name: pseudonym }).waitFor();
    expect(await page.locator('.subject-detail').textContent()).not.toContain('Sealed Realname');
  });

  it('tags an appearance with a region track drawn on the paused proxy', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Tag an appearance' }).click();
    const tagger = page.getByRole('form', { name: 'Tag an appearance' });
    // Found by search (no cap on how many clips can be reached), then chosen.
    await tagger.getByLabel('Find the clip').fill(clip.code);
    await tagger.getByRole('list', { name: 'Matching clips' }).getByRole('button', { name: new RegExp(`^${clip.code} `) }).click();

    // No proxy yet: the tagger offers to make one, then plays it.
    const make = tagger.getByRole('button', { name: 'Make the proxy now' });
    await expect.poll(async () => (await make.count()) + (await tagger.locator('video').count()), { timeout: 10_000 }).toBeGreaterThan(0);
    if ((await make.count()) > 0) {
      await app.screenshot('story-09a-no-proxy-yet');
      await make.click();
    }
    await expect.poll(() => tagger.locator('video').evaluate((v: HTMLVideoElement) => v.readyState).catch(() => 0), { timeout: 120_000 }).toBeGreaterThanOrEqual(2);
    await expect.poll(() => tagger.locator('.stage-placeholder').count()).toBe(0);

    await app.screenshot('story-09b-proxy-playing');
    const overlay = tagger.getByTestId('region-overlay');
    const drawBox = async (fx: number, fy: number, fw: number, fh: number) => {
      await overlay.scrollIntoViewIfNeeded();
      const box = (await overlay.boundingBox())!;
      await page.mouse.move(box.x + box.width * fx, box.y + box.height * fy);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * (fx + fw / 2), box.y + box.height * (fy + fh / 2), { steps: 4 });
      await page.mouse.move(box.x + box.width * (fx + fw), box.y + box.height * (fy + fh), { steps: 4 });
      await page.mouse.up();
    };
    // The proxy hides the whole frame until review: HQ draws on one real frame, decoded in memory.
    await tagger.getByRole('button', { name: 'Show real frame (HQ)' }).click();
    await expect.poll(() => tagger.locator('img.review-frame').evaluate((img: HTMLImageElement) => img.naturalWidth), { timeout: 30_000 }).toBeGreaterThan(100);
    await app.screenshot('story-09c-real-frame');
    await drawBox(0.3, 0.2, 0.25, 0.4);
    await expect.poll(() => tagger.getByLabel('Width').inputValue()).toMatch(/^2[45]/);
    await app.screenshot('story-09-region-drawn');
    await tagger.getByRole('button', { name: /Add keyframe at 0\.00 s/ }).click();

    await tagger.getByRole('button', { name: 'Back to the proxy' }).click();
    await tagger.getByLabel('Time (s)').fill('1');
    await expect.poll(() => tagger.locator('video').evaluate((v: HTMLVideoElement) => v.currentTime)).toBeGreaterThan(0.9);
    await drawBox(0.45, 0.25, 0.25, 0.4);
    await tagger.getByRole('button', { name: /Add keyframe at 1\.00 s/ }).click();
    await expect.poll(() => tagger.getByRole('list', { name: 'Region keyframes' }).locator('li').count()).toBe(2);
    await app.screenshot('story-10-region-track');
    await noSeriousAxe();
    await tagger.getByRole('button', { name: 'Save appearance with 2 keyframes' }).click();

    const appearances = page.getByRole('table', { name: 'Appearances' });
    await expect.poll(() => appearances.textContent()).toContain('2 keyframes');
    await expect.poll(async () => (await safehouse.call('clip.get', { id: clip.id })).ok).toBe(true);
    const after = await safehouse.call('clip.get', { id: clip.id });
    expect(after.ok && after.value.safety).toBe('needs-review');
    await app.screenshot('story-11-appearance-tagged');
  });

  it('shows why the clip still needs review, and links to the fix', async () => {
    await nav('Safety');
    const { page } = app;
    await page.getByLabel('Find a clip').fill(clip.code);
    const problem = page.locator('.problem', { hasText: clip.code }).filter({ hasText: 'No consent is recorded' });
    await expect.poll(() => problem.textContent()).toContain(`No consent is recorded for “${pseudonym}”`);
    expect(await page.locator('.safety').textContent()).not.toMatch(/safehouse |--subject|--clip/);
    await app.screenshot('story-12-safety-needs-consent');
    await problem.getByRole('button', { name: 'Record their consent' }).click();
    await page.getByRole('heading', { name: pseudonym }).waitFor();
  });

  it('records consent and the clip becomes cleared', async () => {
    const { page } = app;
    const form = page.getByRole('form', { name: 'Record consent' });
    await form.getByLabel('New consent state').selectOption('given');
    await form.getByLabel('Scope').fill('may appear with face hidden; voice unaltered');
    await form.getByRole('button', { name: 'Record consent' }).click();
    await expect.poll(() => page.getByRole('table', { name: 'Consent history' }).textContent()).toContain('Consent given');
    await expect.poll(async () => {
      const answer = await safehouse.call('clip.get', { id: clip.id });
      return answer.ok ? answer.value.safety : null;
    }).toBe('cleared');
    await expect.poll(() => page.locator('.subject-item', { hasText: pseudonym }).textContent()).toContain('none unprotected');
    await app.screenshot('story-13-consent-given');
    await noSeriousAxe();

    await nav('Safety');
    await page.getByLabel('Find a clip').fill(clip.code);
    await expect.poll(() => page.locator('.problem', { hasText: clip.code }).count()).toBe(0);
    await app.screenshot('story-14-safety-cleared');
  });

  it('exports the cleared clip as an anonymised proxy with a manifest', async () => {
    await nav('Export');
    const { page } = app;
    const out = path.join(base, 'export-out');
    const tick = page.getByRole('checkbox', { name: `Export ${clip.code}` });
    await tick.waitFor();
    expect(await tick.isEnabled()).toBe(true);
    // Clips that are not cleared cannot be ticked, and say why.
    const refused = page.locator('tr.refused').first();
    expect(await refused.getByRole('checkbox').isDisabled()).toBe(true);
    expect((await refused.locator('td.reason').textContent())?.length).toBeGreaterThan(5);
    await tick.check();
    await page.getByLabel('Destination folder (outside the vault)').fill(out);
    await page.getByLabel('Recipient').fill(recipient);
    await app.screenshot('story-15-export-chosen');
    await noSeriousAxe();
    await page.getByRole('button', { name: 'Export 1 proxy' }).click();
    const result = page.getByRole('status', { name: 'Export result' });
    await result.waitFor({ timeout: 170_000 });
    expect(await result.textContent()).toContain('Exported 1 proxy');
    await app.screenshot('story-16-export-done');

    const files = await readdir(out);
    expect(files.sort()).toEqual([`${clip.code}.mp4`, 'manifest.csv'].sort());
    const manifest = readFileSync(path.join(out, 'manifest.csv'), 'utf8');
    expect(manifest).toContain(`${clip.code}.mp4`);
    for (const name of Object.keys(card.files)) {
      expect(manifest).not.toContain(path.basename(name));
      const stem = path.basename(name, path.extname(name));
      if (stem !== clip.code) expect(manifest).not.toContain(stem);
    }
    expect(manifest).not.toContain(pseudonym);
    expect(manifest).not.toContain('Sealed Realname');
    expect(manifest).not.toContain(card.root);
    expect(existsSync(path.join(out, `${clip.code}.mp4`))).toBe(true);
  });

  it('withdraws consent after a confirmation: the clip is blocked and the export is in the recall list', async () => {
    await nav('Subjects');
    const { page } = app;
    await page.locator('.subject-item', { hasText: pseudonym }).click();
    const form = page.getByRole('form', { name: 'Record consent' });
    await form.getByLabel('New consent state').selectOption('withdrawn');
    await form.getByRole('button', { name: 'Withdraw consent…' }).click();
    const dialog = page.getByRole('dialog', { name: `Withdraw consent for ${pseudonym}?` });
    await dialog.waitFor();
    // The safe answer has focus: Enter here keeps consent.
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Keep consent');
    await app.screenshot('story-17-withdraw-confirm');
    await noSeriousAxe();
    await dialog.getByRole('button', { name: 'Withdraw and block clips' }).click();

    const recall = page.getByRole('region', { name: 'Exports to recall' });
    await recall.waitFor();
    const text = (await recall.textContent()) ?? '';
    expect(text).toContain(clip.code);
    expect(text).toContain(recipient);
    const history = (await page.getByRole('table', { name: 'Consent history' }).textContent()) ?? '';
    expect(history).toContain('Consent withdrawn');
    expect(history).toContain('Consent given');
    // Just after a withdrawal the form has no default: one click cannot re-consent.
    expect(await form.getByLabel('New consent state').inputValue()).toBe('');
    expect(await form.getByRole('button', { name: 'Record consent' }).isDisabled()).toBe(true);
    // Newest first: the withdrawal is the current record, the earlier consent is kept below it.
    expect(history.indexOf('Consent withdrawn')).toBeLessThan(history.indexOf('Consent given'));
    await app.screenshot('story-18-withdrawn-recall');
    await noSeriousAxe();

    await nav('Safety');
    await page.getByLabel('Find a clip').fill(clip.code);
    const problem = page.locator('.problem', { hasText: clip.code }).first();
    await expect.poll(() => problem.textContent()).toContain('Blocked');
    expect(await problem.textContent()).toContain('withdrew consent');
    await app.screenshot('story-19-safety-blocked');
    await noSeriousAxe();

    await nav('Export');
    const row = page.locator('tr', { has: page.getByRole('checkbox', { name: `Export ${clip.code}` }) });
    await expect.poll(() => row.textContent()).toContain('withdrew consent');
    expect(await row.getByRole('checkbox').isDisabled()).toBe(true);
    await app.screenshot('story-20-export-blocked');
    await noSeriousAxe();
  });

  it('ran without console errors', () => {
    expect(app.consoleErrors).toEqual([]);
  });
});
