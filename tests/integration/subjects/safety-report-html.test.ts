import { promises as fs } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { expect, it } from 'vitest';
import type { SafetyReport } from '../../../src/shared/model';
import { renderSafetyReportHtml } from '../../../src/main/core/subjects/safety-report-html';
import { evaluateClip, type RuleSubject } from '../../../src/main/core/subjects/safety-rules';

const screenshots = path.resolve(__dirname, '../../.artifacts/screenshots');

/** A realistic report built by the real rules from plain data (no vault needed to check the page). */
function sampleReport(): SafetyReport {
  const subjects: RuleSubject[] = [
    { id: 's1', pseudonym: 'Heron', consent: 'withdrawn', protection: ['face', 'voice'] },
    { id: 's2', pseudonym: 'Kestrel', consent: 'given', protection: ['face'] },
    { id: 's3', pseudonym: 'Osprey <script>', consent: 'pending', protection: [] },
    { id: 's4', pseudonym: 'Wren', consent: 'given', protection: [] },
  ];
  const map = new Map(subjects.map((s) => [s.id, s]));
  const box = [{ t: 0, x: 0.1, y: 0.1, w: 0.2, h: 0.2 }];
  const clips = [
    { id: 'c1', code: 'C0001', status: 'verified' as const, reviewedNoPeople: false, appear: [{ subjectId: 's1', ranges: [], regions: box }] },
    { id: 'c2', code: 'C0002', status: 'verified' as const, reviewedNoPeople: false, appear: [{ subjectId: 's2', ranges: [], regions: [] }, { subjectId: 's3', ranges: [], regions: [] }] },
    { id: 'c3', code: 'C0003', status: 'quarantined' as const, reviewedNoPeople: false, appear: [] },
    { id: 'c4', code: 'C0004', status: 'verified' as const, reviewedNoPeople: true, appear: [] },
    { id: 'c5', code: 'C0005', status: 'verified' as const, reviewedNoPeople: false, appear: [{ subjectId: 's4', ranges: [], regions: [] }] },
    { id: 'c6', code: 'C0006', status: 'verified' as const, reviewedNoPeople: false, appear: [{ subjectId: 's2', ranges: [], regions: box }] },
  ];
  const evaluated = clips.map((c) => {
    const verdict = evaluateClip(c, c.appear, map);
    return { clipId: c.id, code: c.code, cardId: 'k1', status: c.status, safety: verdict.safety, subjectIds: c.appear.map((a) => a.subjectId), reasons: verdict.reasons };
  });
  const count = (s: string) => evaluated.filter((c) => c.safety === s).length;
  return {
    generatedAt: '2025-05-01T10:00:00.000Z',
    counts: { cleared: count('cleared'), needsReview: count('needs-review'), blocked: count('blocked') },
    clips: evaluated,
    subjects: subjects.map((s) => {
      const theirs = evaluated.filter((c) => c.subjectIds.includes(s.id));
      return {
        subjectId: s.id,
        pseudonym: s.pseudonym,
        consent: s.consent ?? 'unrecorded',
        protection: [...s.protection],
        clips: theirs.map((c) => ({ clipId: c.clipId, code: c.code, safety: c.safety })),
        unprotectedClipCount: theirs.filter((c) => c.reasons.some((r) => r.subjectId === s.id)).length,
        exports: s.id === 's1' ? [{ exportId: 'e1', createdAt: '2025-04-20T09:00:00.000Z', recipient: 'Editor K', clips: [{ clipId: 'c1', code: 'C0001' }] }] : [],
      };
    }),
  };
}

it('the safety report renders in Chromium: chart, problems with fixes, no scripts or requests', async () => {
  const report = sampleReport();
  expect(report.counts).toEqual({ cleared: 3, needsReview: 2, blocked: 1 });
  const html = renderSafetyReportHtml(report);
  expect(html).not.toMatch(/<script/i);
  expect(html).not.toContain('unsafe-inline');
  expect(html).toMatch(/style-src 'sha256-[A-Za-z0-9+/=]+'/);
  expect(html).toContain('Osprey &#60;script&#62;');
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.setContent(html, { waitUntil: 'load' });
    expect(requests.filter((u) => !u.startsWith('data:') && u !== 'about:blank')).toEqual([]);
    await expect.poll(() => page.locator('svg[role="img"]').count()).toBe(1);
    expect(await page.locator('svg title').textContent()).toBe('Clips: 3 cleared, 2 needs review, 1 blocked');
    expect(await page.locator('section.clip').count()).toBe(3);
    expect(await page.locator('section.clip.blocked h3').textContent()).toContain('C0001');
    expect(await page.locator('.fix').count()).toBeGreaterThanOrEqual(4);
    // The printed report words each fix for a person: no command lines.
    expect(await page.locator('body').textContent()).not.toMatch(/safehouse |--subject|--clip/);
    expect(await page.locator('.fix').first().textContent()).toMatch(/^Fix: \w/);
    // The style sheet allowed by its hash really applies (a wrong hash would leave the page unstyled).
    expect(await page.locator('section.clip.blocked').evaluate((element) => getComputedStyle(element).borderLeftWidth)).toBe('6px');
    // Legible: the chart and every problem are within the page width (nothing clipped sideways).
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    expect(overflow).toBe(false);
    await fs.mkdir(screenshots, { recursive: true });
    await page.screenshot({ path: path.join(screenshots, 'safety-report.png'), fullPage: true });
  } finally {
    await browser.close();
  }
});
