import { app, BrowserWindow, dialog, ipcMain, protocol, session } from 'electron';
import path from 'node:path';
import { createSafehouse } from '../core/app';
import { appEntryUrl, appScheme, trustedOrigins } from './app-origin';
import { appProtocolResponse } from './app-protocol';
import { denyAllPermissions, lockDownWebContents } from './guards';
import { forwardEvents, registerContract } from './ipc';
import { mainWindowOptions } from './secure-window';

/**
 * Electron lifecycle: the only place that wires the core to a window. Everything here is configuration;
 * behaviour lives in the core so the CLI and the tests exercise the same code.
 */
const devServerUrl = app.isPackaged ? undefined : process.env['ELECTRON_RENDERER_URL'];
const trusted = trustedOrigins(devServerUrl, app.isPackaged);
const rendererRoot = path.join(__dirname, '../renderer');

// Must happen before `ready`: a standard, secure scheme gets a real origin, so CSP 'self' means the app.
protocol.registerSchemesAsPrivileged([
  { scheme: appScheme, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
]);
app.enableSandbox();

app.on('web-contents-created', (_event, contents) => lockDownWebContents(contents, trusted));

async function openMainWindow(): Promise<void> {
  const safehouse = createSafehouse({
    version: app.getVersion(),
    chooseFolder: async (purpose) => {
      const result = await dialog.showOpenDialog({
        title: { card: 'Choose the camera card', vault: 'Choose the vault folder', export: 'Choose where to export', sync: 'Choose the sync folder on the drive' }[purpose],
        properties: ['openDirectory', 'createDirectory'],
      });
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
  });
  registerContract(ipcMain, safehouse, trusted);
  protocol.handle(appScheme, (request) => appProtocolResponse(rendererRoot, request.url, safehouse.media, request.headers.get('range')));

  const window = new BrowserWindow(mainWindowOptions(path.join(__dirname, '../preload/index.js'), !app.isPackaged));
  const stopForwarding = forwardEvents(safehouse, window.webContents);
  window.once('ready-to-show', () => window.show());
  window.on('closed', () => {
    stopForwarding();
    void safehouse.close();
  });
  await window.loadURL(devServerUrl ?? appEntryUrl);
}

app.whenReady().then(async () => {
  denyAllPermissions(session.defaultSession);
  await openMainWindow();
});

app.on('window-all-closed', () => app.quit());
