import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { callNames, eventNames } from '../../src/shared/api';
import { createSafehouse, type Safehouse } from '../../src/main/core/app';
import { contentSecurityPolicy } from '../../src/main/electron/content-security-policy';
import { resolveAppFile } from '../../src/main/electron/app-protocol';

/**
 * Runs the built renderer (out/renderer) in Debian's Chromium with `window.safehouse` bound to a real
 * facade in this test process: the page is the shipped UI, the calls reach real ffmpeg, SQLite and
 * libsodium. Only Electron itself is absent; the bridge is built from the same contract names.
 */
const repoRoot = path.resolve(__dirname, '../..');
const rendererRoot = path.join(repoRoot, 'out/renderer');
export const screenshotDir = path.join(repoRoot, 'tests/.artifacts/screenshots');
const origin = 'http://safehouse.test';

export const chromiumFlags = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
];

export function chromiumPath(): string {
  return process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
}

export interface AppPage {
  browser: Browser;
  page: Page;
  consoleErrors: string[];
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

export async function openApp(safehouse: Safehouse): Promise<AppPage> {
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: chromiumFlags, headless: true });
  const context = await browser.newContext({ viewport: { width: 1280, height: 820 } });
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));

  // The page's only network: the renderer files, served like the app protocol does (same resolver and CSP).
  await context.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if (url.origin !== origin) return route.abort('blockedbyclient');
    if (url.pathname.startsWith('/media/')) {
      // Proxy playback, answered from memory by the same facade method the app protocol uses.
      const response = await safehouse.media(url.pathname, route.request().headers()['range'] ?? null);
      return route.fulfill({ status: response.status, headers: Object.fromEntries(response.headers), body: Buffer.from(await response.arrayBuffer()) });
    }
    const file = await resolveAppFile(rendererRoot, `safehouse://app${url.pathname}`);
    if (!file) return route.fulfill({ status: 404, body: 'Not found' });
    const type = file.endsWith('.js') ? 'text/javascript' : file.endsWith('.css') ? 'text/css' : 'text/html';
    return route.fulfill({ status: 200, body: await readFile(file), headers: { 'content-type': type, 'content-security-policy': contentSecurityPolicy } });
  });

  await page.exposeBinding('__safehouseInvoke', async (_source, name: string, input: unknown) => safehouse.call(name as never, input));
  await page.addInitScript(
    ({ calls, events }) => {
      const listeners = new Map<string, Set<(payload: unknown) => void>>();
      const invoke = (window as unknown as { __safehouseInvoke: (name: string, input: unknown) => Promise<unknown> }).__safehouseInvoke;
      const bridge: Record<string, unknown> = {};
      for (const name of calls) bridge[name] = (input: unknown = {}) => invoke(name, input);
      for (const name of events) {
        bridge[name] = (listener: (payload: unknown) => void) => {
          const set = listeners.get(name) ?? new Set();
          set.add(listener);
          listeners.set(name, set);
          return () => set.delete(listener);
        };
      }
      Object.defineProperty(window, 'safehouse', { value: Object.freeze(bridge) });
      // Stands in for the preload's webUtils.getPathForFile: Chromium alone never tells a dropped file's
      // path, so a test names the path a dropped File (by its name) stands for in window.__dropPaths.
      Object.defineProperty(window, 'safehouseFiles', {
        value: Object.freeze({
          pathOf: (file: unknown) => (file instanceof File ? ((window as unknown as { __dropPaths?: Record<string, string> }).__dropPaths?.[file.name] ?? '') : ''),
        }),
      });
      Object.defineProperty(window, '__safehouseEmit', {
        value: (name: string, payload: unknown) => listeners.get(name)?.forEach((listener) => listener(payload)),
      });
    },
    { calls: callNames as string[], events: eventNames as string[] },
  );
  const unsubscribers = eventNames.map((name) =>
    safehouse.on(name, (payload) => {
      void page.evaluate(([event, data]) => (window as unknown as { __safehouseEmit: (n: unknown, p: unknown) => void }).__safehouseEmit(event, data), [name, payload] as const).catch(() => {});
    }),
  );

  await page.goto(`${origin}/index.html`);
  mkdirSync(screenshotDir, { recursive: true });
  return {
    browser,
    page,
    consoleErrors,
    async screenshot(name) {
      const file = path.join(screenshotDir, `${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      return file;
    },
    async close() {
      unsubscribers.forEach((unsubscribe) => unsubscribe());
      await browser.close();
    },
  };
}

/** Runs axe-core in the page (via the debugger protocol, which the page's CSP does not restrict). */
export async function axeViolations(page: Page): Promise<{ id: string; impact: string | null; nodes: number }[]> {
  const source = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(`${source}\n;0`);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: () => Promise<{ violations: { id: string; impact: string | null; nodes: unknown[] }[] }> } }).axe;
    const result = await axe.run();
    return result.violations.map((violation) => ({ id: violation.id, impact: violation.impact, nodes: violation.nodes.length }));
  });
}

export interface AppSession {
  /** A temp folder of the test file's own (vaults, cards, exports). */
  base: string;
  safehouse: Safehouse;
  app: AppPage;
}

/**
 * What each e2e file opens before its tests: a temp folder, the real facade, and the page in Chromium.
 * `prepare` runs on the facade before the page opens (for example to create a vault first).
 */
export async function startApp(prefix: string, prepare?: (safehouse: Safehouse, base: string) => Promise<void>): Promise<AppSession> {
  const base = await mkdtemp(path.join(os.tmpdir(), prefix));
  const safehouse = createSafehouse({ version: 'e2e' });
  try {
    await prepare?.(safehouse, base);
    return { base, safehouse, app: await openApp(safehouse) };
  } catch (error) {
    await closeApp({ base, safehouse });
    throw error;
  }
}

/** Closes what startApp opened, as far as it got. */
export async function closeApp(session: Partial<AppSession>): Promise<void> {
  await session.app?.close();
  await session.safehouse?.close();
  if (session.base) await rm(session.base, { recursive: true, force: true });
}
