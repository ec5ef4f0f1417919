import { promises as fs } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { createSafehouse } from '../../src/main/core/app';
import { createVault } from '../../src/main/core/vault/vault';

/**
 * Library list with generated catalogs of 10,000 and 100,000 clips vs the same measurements on 100 clips, in the
 * built renderer in Chromium against the real facade (so every page is a real filtered SQL query).
 * Measured in the page with performance.now(): from the click to the first painted clip row, and from a
 * filter change to the first painted row of the filtered list. Budget: 200 ms each. Needs `npx electron-vite build`.
 */
const BUDGET_MS = 200;
const PASSPHRASE = 'library benchmark passphrase, not secret';
const ROUNDS = 5;

async function makeVault(dir: string, count: number): Promise<number> {
  const vault = await createVault(dir, PASSPHRASE);
  const catalog = await vault.catalog();
  const now = new Date('2024-05-01T10:00:00Z').getTime();
  const cardId = randomBytes(12).toString('hex');
  // One sealed value reused for every row: generation stays fast and the page still opens a real sealed name.
  const name = Buffer.from(vault.sealValue('proxy', 'DCIM/100CANON/MVI_0001.MP4'));
  const streams = JSON.stringify([{ type: 'video', codec: 'h264', width: 1920, height: 1080 }, { type: 'audio', codec: 'aac', sampleRate: 48000, channels: 2 }]);
  let quarantined = 0;
  await catalog.transaction(async (tx) => {
    await tx.run('INSERT INTO cards (id, label_sealed, created_at) VALUES (?, ?, ?)', [cardId, null, new Date(now).toISOString()]);
    const batch = 400;
    for (let start = 0; start < count; start += batch) {
      const rows: string[] = [];
      const params: (string | number | Buffer | null)[] = [];
      for (let i = start; i < Math.min(count, start + batch); i += 1) {
        const status = i % 10 === 7 ? 'quarantined' : 'verified';
        if (status === 'quarantined') quarantined += 1;
        const created = new Date(now + i * 60_000).toISOString();
        rows.push('(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
        params.push(randomBytes(12).toString('hex'), cardId, `C${String(i + 1).padStart(6, '0')}`, 'video', status,
          status === 'quarantined' ? 'could not be proven clean' : null, name, 50_000_000 + i, 12.5, streams, created, status === 'verified' ? created : null);
      }
      await tx.run(
        `INSERT INTO clips (id, card_id, code, kind, status, reason, original_name_sealed, size, duration, streams_json, created_at, verified_at) VALUES ${rows.join(', ')}`,
        params,
      );
    }
  });
  vault.lock();
  return quarantined;
}

/** Runs `act` in the page and resolves with the ms until a clip row is painted and `ready` holds. */
async function timeInPage(page: Page, act: 'open-library' | 'filter-quarantined', expectTotal: number): Promise<number> {
  return page.evaluate(
    ({ act, expectTotal }) =>
      new Promise<number>((resolve, reject) => {
        const t0 = performance.now();
        if (act === 'open-library') {
          const button = [...document.querySelectorAll<HTMLButtonElement>('nav .nav-item')].find((b) => b.textContent?.startsWith('Library'));
          button!.click();
        } else {
          const select = [...document.querySelectorAll('label')].find((l) => l.textContent?.startsWith('Status'))!.querySelector('select')!;
          select.value = 'quarantined';
          select.dispatchEvent(new Event('change', { bubbles: true }));
        }
        const deadline = t0 + 30_000;
        const check = () => {
          const status = document.querySelector('.virtual-list [role=status]')?.textContent;
          const row = document.querySelector('.virtual-list .clip-row:not(.loading)');
          if (row && status === `${expectTotal.toLocaleString('en')} clip${expectTotal === 1 ? '' : 's'}`) {
            // The frame after this one is when the row is on screen.
            requestAnimationFrame(() => resolve(performance.now() - t0));
          } else if (performance.now() > deadline) reject(new Error(`timed out (${status})`));
          else requestAnimationFrame(check);
        };
        check();
      }),
    { act, expectTotal },
  );
}

async function leaveLibrary(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: /^Offload/ }).click();
  await page.getByRole('heading', { name: 'Offload', exact: true }).waitFor();
}

/**
 * The e2e harness is written for vitest's CommonJS-style globals (__dirname); under the bench runner's ESM
 * loader that global is missing, so it is provided (the harness's own folder) before the harness loads.
 */
async function loadHarness(): Promise<typeof import('../e2e/harness')> {
  const scope = globalThis as { __dirname?: string };
  scope.__dirname ??= path.join(path.dirname(fileURLToPath(import.meta.url)), '../e2e');
  return import('../e2e/harness');
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function measure(root: string, count: number, report: (line: string) => void): Promise<{ open: number; filter: number; firstOpen: number }> {
  const dir = path.join(root, `vault-${count}`);
  const t0 = performance.now();
  const quarantined = await makeVault(dir, count);
  report(`  generated ${count} clips in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const safehouse = createSafehouse({ version: 'bench' });
  const unlocked = await safehouse.call('vault.unlock', { dir, passphrase: PASSPHRASE });
  if (!unlocked.ok) throw new Error(unlocked.error.message);
  const app = await (await loadHarness()).openApp(safehouse);
  try {
    await app.page.getByRole('navigation', { name: 'Main' }).waitFor();
    const opens: number[] = [];
    const filters: number[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      opens.push(await timeInPage(app.page, 'open-library', count));
      filters.push(await timeInPage(app.page, 'filter-quarantined', quarantined));
      await leaveLibrary(app.page);
    }
    report(`  ${String(count).padStart(6)} clips: first render ${opens.map((v) => v.toFixed(0)).join('/')} ms; filter ${filters.map((v) => v.toFixed(0)).join('/')} ms`);
    if (app.consoleErrors.length > 0) report(`  console errors: ${app.consoleErrors.join(' | ')}`);
    return { open: median(opens), filter: median(filters), firstOpen: opens[0]! };
  } finally {
    await app.close();
    await safehouse.close();
  }
}

export async function run(report: (line: string) => void): Promise<void> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'sh-bench-library-'));
  try {
    report(`library bench: built renderer in Chromium, node ${process.version}, ${os.cpus().length} cores, ${ROUNDS} rounds (median)`);
    const base = await measure(root, 100, report);
    for (const count of [10_000, 100_000]) {
      const big = await measure(root, count, report);
      const line = (label: string, b: number, n: number) =>
        `  ${label.padEnd(22)} 100 clips ${b.toFixed(1)} ms | ${count.toLocaleString('en')} clips ${n.toFixed(1)} ms | ratio ${(n / b).toFixed(2)} | budget ${BUDGET_MS} ms: ${n <= BUDGET_MS ? 'PASS' : 'FAIL'}`;
      report(line('first render (cold)', base.firstOpen, big.firstOpen));
      report(line('first render (median)', base.open, big.open));
      report(line('filter change (median)', base.filter, big.filter));
    }
  } finally {
    await fs.rm(root, { recursive: true, force: true });
  }
}
