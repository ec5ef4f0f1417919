import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron';

/**
 * The renderer's settings. The renderer shows footage and identities, so treat it as hostile: it runs
 * sandboxed, isolated from the preload, without Node (also in subframes and workers), with web security
 * on and no <webview>. Dev tools exist only in development.
 */
export function secureWebPreferences(preloadPath: string, allowDevTools: boolean): WebPreferences {
  return {
    preload: preloadPath,
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
    devTools: allowDevTools,
  };
}

export function mainWindowOptions(preloadPath: string, allowDevTools: boolean): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Safehouse',
    backgroundColor: '#15171c',
    webPreferences: secureWebPreferences(preloadPath, allowDevTools),
  };
}
