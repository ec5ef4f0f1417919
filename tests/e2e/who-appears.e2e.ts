import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Safehouse } from '../../src/main/core/app';
import { findMediaTools } from '../../src/main/core/media/media-tools';
import type { CallName, CallOutput } from '../../src/shared/api';
// @ts-expect-error -- plain ESM script without type declarations
import { makePeopleClip, peopleSet } from '../../scripts/fixtures/make-people-clip.mjs';
import { axeViolations, closeApp, startApp, type AppPage } from './harness';

/**
 * Who appears where in Chromium against the real core: four short clips of two public-domain faces are
 * offloaded and analysed, one face is named; the Safety screen's fix opens the subject's proposed faces,
 * covered until revealed; a person accepts one and rejects one, names the unnamed group, and forgets the
 * subject's face data. The core's state is checked after each decision.
 */

/** The clips on the card, by file name: few and short, face analysis is slow on two cores. */
const CARD = [
  { file: 'MVI_0001.MP4', set: 'collins-large' },
  { file: 'MVI_0002.MP4', set: 'collins-dim' },
  { file: 'MVI_0003.MP4', set: 'both' },
  { file: 'MVI_0004.MP4', set: 'hopper-large' },
] as const;
const FLIGHT = 'Flight — the woman from the airport café interview, second unit, Lisbon';

describe('who appears where', () => {
  let base: string;
  let safehouse: Safehouse;
  let app: AppPage;
  const clipOf = new Map<string, { id: string; code: string }>();
  /** "set:who" → the track of that person in that clip. */
  const trackOf = new Map<string, string>();
  let flight: string;
  let compiler: string;

  async function call<K extends CallName>(name: K, input: unknown): Promise<CallOutput<K>> {
    const result = await safehouse.call(name, input);
    if (!result.ok) throw new Error(`${name}: ${result.error.code} ${result.error.message}`);
    return result.value;
  }
  const reasonsOf = async (set: string) => (await call('safety.report', {})).clips.find((c) => c.clipId === clipOf.get(set)!.id)!.reasons.map((r) => r.code);
  const noSeriousAxe = async () =>
    expect((await axeViolations(app.page)).filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
  const nav = (name: string) => app.page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: new RegExp(`^${name}`) }).click();

  beforeAll(async () => {
    ({ base, safehouse, app } = await startApp('safehouse-e2e-who-', async (core, dir) => {
      safehouse = core;
      const tools = await findMediaTools();
      const card = path.join(dir, 'card', 'DCIM', '100CANON');
      await mkdir(card, { recursive: true });
      const sets = new Map((peopleSet() as { name: string; people: { who: string; cx: number }[] }[]).map((s) => [s.name, s.people]));
      for (const { file, set } of CARD) {
        await writeFile(path.join(card, file), (await makePeopleClip({ ffmpeg: tools.ffmpeg, width: 640, height: 360, seconds: 2, people: sets.get(set) })) as Buffer);
      }
      await call('vault.create', { dir: path.join(dir, 'vault'), passphrase: 'correct horse battery staple' });
      const offload = await call('offload.start', { path: path.join(dir, 'card'), label: 'Card B7 — rooftop, night, second camera', proxies: 'none' });
      expect(offload.results.map((r) => r.status)).toEqual(CARD.map(() => 'verified'));
      expect((await call('faces.scan', { wait: true })).map((o) => o.result)).toEqual(CARD.map(() => 'done'));
      for (const clip of await call('clips.list', {})) {
        const set = CARD.find((c) => clip.originalName.endsWith(c.file))!.set;
        clipOf.set(set, { id: clip.id, code: clip.code });
        // Each placed person is the track whose centre is nearest to where they were put (the detector may
        // also keep a doubtful extra track, which nobody names here).
        const tracks = (await call('faces.list', { clipId: clip.id })).tracks;
        const centre = (t: (typeof tracks)[number]) => t.keyframes.reduce((sum, k) => sum + k.x + k.w / 2, 0) / t.keyframes.length;
        for (const person of sets.get(set)!) {
          const nearest = [...tracks].sort((a, b) => Math.abs(centre(a) - person.cx) - Math.abs(centre(b) - person.cx))[0]!;
          trackOf.set(`${set}:${person.who}`, nearest.id);
        }
      }
      flight = (await call('subjects.create', { pseudonym: FLIGHT })).id;
      compiler = (await call('subjects.create', { pseudonym: 'Compiler' })).id;
      // One face named by hand (as the face review does): the same face elsewhere is proposed as them.
      await call('faces.assign', { clipId: clipOf.get('collins-large')!.id, trackId: trackOf.get('collins-large:collins'), subjectId: flight });
    }));
  }, 600_000);
  afterAll(() => closeApp({ base, safehouse, app }));

  it('the Safety fix opens the subject’s proposed faces, covered until a person reveals one', async () => {
    const { page } = app;
    const pending = await call('faces.proposals', { subjectId: flight });
    expect(new Set(pending.map((p) => p.trackId))).toEqual(new Set([trackOf.get('collins-dim:collins'), trackOf.get('both:collins')]));
    expect(await reasonsOf('both')).toContain('appearance-proposed');
    expect(await reasonsOf('collins-dim')).toContain('appearance-proposed');

    await nav('Safety');
    const both = clipOf.get('both')!.code;
    const fix = page.getByRole('button', { name: `Decide who appears in ${both}` });
    await page.getByLabel('Find a clip').fill(both);
    await app.screenshot('who-01-safety-fix');
    await fix.click();

    const section = page.getByRole('region', { name: 'Faces that look like them' });
    await section.waitFor();
    await expect.poll(() => page.getByRole('heading', { level: 2 }).filter({ hasText: FLIGHT }).count()).toBe(1);
    expect(await page.getByRole('status').filter({ hasText: `may be ${FLIGHT}` }).textContent()).toContain(both);
    const rows = section.getByRole('list', { name: /Waiting for you/ }).getByRole('listitem');
    await expect.poll(() => rows.count()).toBe(2);
    // Keyboard users start at the proposals, not at the top of the subject's page.
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('proposals-title');
    // The clip the fix came from is listed first, with its card, time range and the score in words.
    const first = rows.first();
    expect(await first.textContent()).toContain(both);
    expect(await first.textContent()).toContain('Card B7');
    expect(await first.textContent()).toMatch(/(Strong|Possible) match \d+% alike/);
    expect(await first.textContent()).toMatch(/0\.\d–\d\.\d s/);

    // Every face is covered: the image shown is the core's mosaic, pixel for pixel.
    const images = section.locator('.face-thumb img');
    await expect.poll(() => images.count(), { timeout: 60_000 }).toBe(2);
    const firstProposal = pending.find((p) => p.clipId === clipOf.get('both')!.id)!;
    const masked = await call('faces.proposalThumbnail', { proposalId: firstProposal.id, reveal: false });
    expect(await first.locator('img').getAttribute('alt')).toContain('covered by a mosaic');
    expect(await sameImage(page, first.locator('img'), masked.base64)).toBe(true);
    // The same faces, not named yet, also form a group that suggests the subject they are proposed as.
    const collinsGroup = page.getByRole('region', { name: 'People not named yet' }).getByRole('listitem').filter({ hasText: `Looks like ${FLIGHT}` });
    await expect.poll(() => collinsGroup.count()).toBe(1);
    expect(await collinsGroup.getByRole('combobox').evaluate((select: HTMLSelectElement) => select.selectedOptions[0]?.textContent)).toBe(FLIGHT);
    await app.screenshot('who-02-proposals-covered');
    await noSeriousAxe();

    // Revealed one at a time, on request; covered again on "Cover" and after leaving the screen.
    await first.getByRole('button', { name: `Reveal the face in ${both}`, exact: false }).click();
    await expect.poll(() => first.locator('img').getAttribute('alt')).toContain('unmasked');
    await expect.poll(() => first.locator('img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
    expect(await sameImage(page, first.locator('img'), masked.base64)).toBe(false);
    expect(await rows.nth(1).locator('img').getAttribute('alt')).toContain('covered by a mosaic');
    await app.screenshot('who-03-one-revealed');
    await first.getByRole('button', { name: /^Cover the face/ }).click();
    expect(await sameImage(page, first.locator('img'), masked.base64)).toBe(true);
    await first.getByRole('button', { name: /^Reveal the face/ }).click();
    await expect.poll(() => first.locator('img').getAttribute('alt')).toContain('unmasked');
    await nav('Library');
    await nav('Subjects');
    await page.getByRole('button', { name: new RegExp(`^${FLIGHT}`) }).click();
    const allCovered = async () => {
      await expect.poll(() => section.locator('.face-thumb img').count(), { timeout: 60_000 }).toBe(2);
      for (const alt of await section.locator('.face-thumb img').evaluateAll((imgs) => imgs.map((img) => img.getAttribute('alt')))) expect(alt).toContain('covered by a mosaic');
    };
    await allCovered();
    // And after locking the vault.
    await first.getByRole('button', { name: /^Reveal the face/ }).click();
    await expect.poll(() => first.locator('img').getAttribute('alt')).toContain('unmasked');
    await page.getByRole('button', { name: 'Lock vault' }).click();
    await page.getByLabel('Passphrase', { exact: true }).fill('correct horse battery staple');
    await page.getByRole('button', { name: 'Unlock' }).click();
    await nav('Subjects');
    await page.getByRole('button', { name: new RegExp(`^${FLIGHT}`) }).click();
    await allCovered();
    expect(app.consoleErrors).toEqual([]);
  });

  it('accepts one face by keyboard and rejects the other; the core records both and does not propose the rejected again', async () => {
    const { page } = app;
    const section = page.getByRole('region', { name: 'Faces that look like them' });
    const rows = section.getByRole('list', { name: /Waiting for you/ }).getByRole('listitem');
    const dim = clipOf.get('collins-dim')!;
    const both = clipOf.get('both')!;
    const rowOf = (code: string) => rows.filter({ hasText: code });

    await rowOf(dim.code).getByRole('button', { name: /^Accept the face/ }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => rows.count()).toBe(1);
    // Focus moves to the next face waiting, so a person can go on by keyboard.
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toContain(`Accept the face in ${both.code}`);
    await rowOf(both.code).getByRole('button', { name: /^Reject the face/ }).click();
    await expect.poll(() => rows.count()).toBe(0);
    await expect.poll(() => section.textContent()).toContain('No face waits for a decision.');

    // Accepted: an appearance with the track as its face region; the clip is no longer held for the proposal.
    const subject = await call('subjects.get', { id: flight });
    const accepted = subject.appearances.find((a) => a.clipId === dim.id);
    expect(accepted?.regions.length).toBeGreaterThan(0);
    expect(subject.appearances.some((a) => a.clipId === both.id)).toBe(false);
    expect(await reasonsOf('collins-dim')).not.toContain('appearance-proposed');
    // Rejected: listed as rejected, not proposed again (even after a new refresh), the clip still in review.
    expect((await call('faces.proposals', { subjectId: flight, states: ['rejected'] })).map((p) => p.clipId)).toEqual([both.id]);
    expect(await reasonsOf('both')).not.toContain('appearance-proposed');
    expect((await call('safety.report', {})).clips.find((c) => c.clipId === both.id)!.safety).not.toBe('cleared');
    await expect.poll(() => page.getByRole('table', { name: 'Appearances' }).textContent()).toContain(dim.code);

    await section.getByRole('button', { name: /^Accepted \(1\)/ }).click();
    expect(await section.getByRole('list', { name: /Accepted/ }).textContent()).toContain(dim.code);
    await section.getByRole('button', { name: /^Rejected \(1\)/ }).click();
    expect(await section.getByRole('list', { name: /Rejected/ }).textContent()).toContain(both.code);
    await app.screenshot('who-04-decided');
    await noSeriousAxe();
    expect(app.consoleErrors).toEqual([]);
  });

  it('names the unnamed person once, for every face of theirs', async () => {
    const { page } = app;
    const groups = await call('faces.groups', {});
    expect(groups).toHaveLength(1);
    expect(new Set(groups[0]!.tracks.map((t) => t.trackId))).toEqual(new Set([trackOf.get('both:hopper'), trackOf.get('hopper-large:hopper')]));
    const people = page.getByRole('region', { name: 'People not named yet' });
    const group = people.getByRole('listitem').filter({ hasText: 'Unknown person 1' });
    await expect.poll(() => group.locator('.face-thumb img').count(), { timeout: 60_000 }).toBe(2);
    for (const alt of await group.locator('.face-thumb img').evaluateAll((imgs) => imgs.map((img) => img.getAttribute('alt')))) expect(alt).toContain('covered by a mosaic');
    const firstTrack = groups[0]!.tracks[0]!;
    const masked = await call('faces.trackThumbnail', { clipId: firstTrack.clipId, trackId: firstTrack.trackId, reveal: false });
    expect(await sameImage(page, group.locator('.face-thumb img').first(), masked.base64)).toBe(true);
    await app.screenshot('who-05-unknown-person');
    await noSeriousAxe();

    await group.getByLabel('Who is Unknown person 1?').selectOption({ label: 'Compiler' });
    await group.getByRole('button', { name: 'Name them: Unknown person 1' }).click();
    await expect.poll(() => people.getByRole('status').textContent()).toContain('Unknown person 1 is now Compiler: 2 faces became their appearances.');
    expect(await call('faces.groups', {})).toEqual([]);
    const named = await call('subjects.get', { id: compiler });
    expect(new Set(named.appearances.map((a) => a.clipId))).toEqual(new Set([clipOf.get('both')!.id, clipOf.get('hopper-large')!.id]));
    expect(app.consoleErrors).toEqual([]);
  });

  it('forgets a subject’s face data after a plain confirmation (Escape keeps it)', async () => {
    const { page } = app;
    const forget = page.getByRole('button', { name: 'Forget their face data…' });
    await forget.click();
    const dialog = page.getByRole('dialog', { name: `Forget the face data of ${FLIGHT}?` });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('does not delete their appearances');
    // The safe choice has focus; Escape closes and gives focus back.
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Keep face data');
    await app.screenshot('who-06-forget-dialog');
    await noSeriousAxe();
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Forget their face data…');

    await forget.click();
    await dialog.getByRole('button', { name: 'Forget face data' }).click();
    // Two faces are named as them (the one named by hand and the accepted one): both measurements go.
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Deleted' }).textContent()).toContain('Deleted 2 face measurements');
    expect(await page.getByRole('status').filter({ hasText: 'Deleted' }).textContent()).toContain('withdrew 0 proposals');
    // Their appearances and face boxes stay: forgetting the measurements does not uncover them.
    const after = await call('subjects.get', { id: flight });
    expect(after.appearances).toHaveLength(2);
    expect(after.appearances.every((a) => a.regions.length > 0)).toBe(true);
    expect(app.consoleErrors).toEqual([]);
  });

  it('fits and passes axe at 1024×640 with long names', async () => {
    const { page } = app;
    await page.setViewportSize({ width: 1024, height: 640 });
    await page.getByRole('region', { name: 'Faces that look like them' }).getByRole('button', { name: /^Rejected \(1\)/ }).click();
    await app.screenshot('who-07-small-window');
    await noSeriousAxe();
    // Nothing wider than the window: no sideways scrolling of the page or of the screen's content.
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    expect(await page.locator('main.content').evaluate((main) => main.scrollWidth - main.clientWidth)).toBeLessThanOrEqual(0);
    await page.setViewportSize({ width: 1280, height: 820 });
  });
});

/** Whether an <img> on the page shows exactly the JPEG given (both decoded by the page's own decoder). */
async function sameImage(page: Page, img: ReturnType<Page['locator']>, base64: string): Promise<boolean> {
  await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth > 0)).toBe(true);
  const handle = await img.elementHandle();
  return page.evaluate(
    async ([el, data]) => {
      const pixels = (source: CanvasImageSource, w: number, h: number) => {
        const canvas = document.createElement('canvas');
        canvas.width = w;
        canvas.height = h;
        const context = canvas.getContext('2d')!;
        context.drawImage(source, 0, 0);
        return context.getImageData(0, 0, w, h).data;
      };
      const image = el as HTMLImageElement;
      const bytes = Uint8Array.from(atob(data as string), (c) => c.charCodeAt(0));
      const expected = await createImageBitmap(new Blob([bytes], { type: 'image/jpeg' }));
      if (expected.width !== image.naturalWidth || expected.height !== image.naturalHeight) return false;
      const a = pixels(image, expected.width, expected.height);
      const b = pixels(expected, expected.width, expected.height);
      return a.every((value, i) => value === b[i]);
    },
    [handle, base64] as const,
  );
}

