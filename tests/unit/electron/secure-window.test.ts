import { describe, expect, it } from 'vitest';
import { mainWindowOptions, secureWebPreferences } from '../../../src/main/electron/secure-window';

describe('secure window options', () => {
  it('are exactly the hardened settings', () => {
    expect(secureWebPreferences('/p/preload.js', false)).toEqual({
      preload: '/p/preload.js',
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
      devTools: false,
    });
  });

  it('enable dev tools only when asked (development)', () => {
    expect(secureWebPreferences('/p', true).devTools).toBe(true);
    expect(mainWindowOptions('/p', false).webPreferences?.devTools).toBe(false);
  });
});
