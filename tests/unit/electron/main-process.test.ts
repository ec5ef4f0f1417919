import { beforeAll, describe, expect, it } from 'vitest';
import { callNames } from '../../../src/shared/api';
import { app, recorded, session, type FakeWebContents } from '../../stubs/electron';

/**
 * Boots the real main-process entry against the recording Electron stub and checks what it configured:
 * this is the window the user actually gets, not a copy of its options.
 */
describe('main process wiring', () => {
  beforeAll(async () => {
    recorded.reset();
    await import('../../../src/main/electron/main');
    app.fireReady();
    await new Promise((resolve) => setTimeout(resolve, 50));
  });

  it('creates exactly one window with the secure web preferences', () => {
    expect(recorded.windows).toHaveLength(1);
    const preferences = recorded.windows[0]!.options['webPreferences'] as Record<string, unknown>;
    expect(preferences).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
    });
    expect(String(preferences['preload'])).toMatch(/preload[\\/]index\.js$/);
    expect(recorded.sandboxEnabled).toBe(true);
  });

  it('loads the UI from the app protocol, never file://', () => {
    const contents = recorded.windows[0]!.webContents;
    expect(contents.loadedUrls).toEqual(['safehouse://app/index.html']);
  });

  it('registers the app scheme as standard and secure, and serves it', () => {
    expect(recorded.privilegedSchemes).toEqual([
      expect.objectContaining({ scheme: 'safehouse', privileges: expect.objectContaining({ standard: true, secure: true }) }),
    ]);
    expect(recorded.protocolHandlers.has('safehouse')).toBe(true);
  });

  it('registers one IPC handler per contract call and nothing else', () => {
    expect([...recorded.ipcHandlers.keys()].sort()).toEqual(callNames.map((name) => `safehouse:call:${name}`).sort());
  });

  it('denies every permission request and check on the default session', () => {
    const defaultSession = session.defaultSession;
    for (const permission of ['geolocation', 'media', 'notifications', 'clipboard-read', 'midi', 'openExternal']) {
      let answer: boolean | undefined;
      (defaultSession.permissionRequestHandler as (wc: unknown, p: string, cb: (v: boolean) => void) => void)({}, permission, (value) => {
        answer = value;
      });
      expect(answer, permission).toBe(false);
      expect((defaultSession.permissionCheckHandler as (...args: unknown[]) => boolean)({}, permission, 'safehouse://app')).toBe(false);
    }
    expect((defaultSession.devicePermissionHandler as () => boolean)()).toBe(false);
  });

  it('locks down the window contents: navigation, redirects, new windows, webviews', () => {
    const contents = recorded.windows[0]!.webContents as FakeWebContents;
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'https://evil.example/']) {
      for (const eventName of ['will-navigate', 'will-redirect']) {
        let prevented = false;
        contents.emit(eventName, { preventDefault: () => (prevented = true) }, url);
        expect(prevented, `${eventName} ${url}`).toBe(true);
      }
      let framePrevented = false;
      contents.emit('will-frame-navigate', { url, preventDefault: () => (framePrevented = true) });
      expect(framePrevented).toBe(true);
      expect((contents.windowOpenHandler as (details: { url: string }) => unknown)({ url })).toEqual({ action: 'deny' });
    }
    let webviewPrevented = false;
    contents.emit('will-attach-webview', { preventDefault: () => (webviewPrevented = true) });
    expect(webviewPrevented).toBe(true);
  });
});
