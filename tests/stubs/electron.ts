/**
 * A recording stand-in for the `electron` module, which cannot run here (its binary is never downloaded in
 * tests). It implements just enough of the API for the main-process and preload code to run, and records
 * every call so tests can assert the security settings that were applied.
 */
import { EventEmitter } from 'node:events';

type Handler = (...args: never[]) => unknown;

export const recorded = {
  windows: [] as FakeBrowserWindow[],
  ipcHandlers: new Map<string, Handler>(),
  exposed: new Map<string, unknown>(),
  privilegedSchemes: [] as unknown[],
  protocolHandlers: new Map<string, Handler>(),
  openedExternal: [] as string[],
  invoked: [] as { channel: string; input: unknown }[],
  rendererListeners: new Map<string, Set<Handler>>(),
  sandboxEnabled: false,
  reset(): void {
    this.windows.length = 0;
    this.ipcHandlers.clear();
    this.exposed.clear();
    this.privilegedSchemes.length = 0;
    this.protocolHandlers.clear();
    this.openedExternal.length = 0;
    this.invoked.length = 0;
    this.rendererListeners.clear();
    this.sandboxEnabled = false;
  },
};

export class FakeSession {
  permissionRequestHandler: Handler | null = null;
  permissionCheckHandler: Handler | null = null;
  devicePermissionHandler: Handler | null = null;
  displayMediaRequestHandler: Handler | null = null;
  setPermissionRequestHandler(handler: Handler | null): void {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: Handler | null): void {
    this.permissionCheckHandler = handler;
  }
  setDevicePermissionHandler(handler: Handler | null): void {
    this.devicePermissionHandler = handler;
  }
  setDisplayMediaRequestHandler(handler: Handler | null): void {
    this.displayMediaRequestHandler = handler;
  }
}

export class FakeWebContents extends EventEmitter {
  windowOpenHandler: Handler | null = null;
  sent: { channel: string; payload: unknown }[] = [];
  loadedUrls: string[] = [];
  destroyed = false;
  setWindowOpenHandler(handler: Handler): void {
    this.windowOpenHandler = handler;
  }
  send(channel: string, payload: unknown): void {
    this.sent.push({ channel, payload });
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
}

export class FakeBrowserWindow extends EventEmitter {
  readonly webContents = new FakeWebContents();
  constructor(readonly options: Record<string, unknown>) {
    super();
    recorded.windows.push(this);
    appEmitter.emit('web-contents-created', {}, this.webContents);
  }
  async loadURL(url: string): Promise<void> {
    this.webContents.loadedUrls.push(url);
  }
  show(): void {}
}

const appEmitter = new EventEmitter();
let resolveReady: () => void = () => {};
const ready = new Promise<void>((resolve) => {
  resolveReady = resolve;
});

export const app = Object.assign(appEmitter, {
  isPackaged: false,
  whenReady: () => ready,
  /** Test hook: fire `ready`. */
  fireReady: () => resolveReady(),
  enableSandbox: () => {
    recorded.sandboxEnabled = true;
  },
  getVersion: () => '0.0.0-test',
  quit: () => {},
});

export const session = { defaultSession: new FakeSession() };

export const ipcMain = {
  handle(channel: string, handler: Handler): void {
    if (recorded.ipcHandlers.has(channel)) throw new Error(`second handler for ${channel}`);
    recorded.ipcHandlers.set(channel, handler);
  },
};

export const ipcRenderer = {
  invoke: async (channel: string, input: unknown) => {
    recorded.invoked.push({ channel, input });
    return { ok: true, value: null };
  },
  on(channel: string, listener: Handler) {
    const set = recorded.rendererListeners.get(channel) ?? new Set();
    set.add(listener);
    recorded.rendererListeners.set(channel, set);
    return ipcRenderer;
  },
  removeListener(channel: string, listener: Handler) {
    recorded.rendererListeners.get(channel)?.delete(listener);
    return ipcRenderer;
  },
};

/** Electron gives a dropped File's path; the stand-in reads the path a test attached to its object. */
export const webUtils = {
  getPathForFile(file: unknown): string {
    return (file as { testPath?: string } | null)?.testPath ?? '';
  },
};

export const contextBridge = {
  exposeInMainWorld(key: string, value: unknown): void {
    recorded.exposed.set(key, value);
  },
};

export const protocol = {
  registerSchemesAsPrivileged(schemes: unknown[]): void {
    recorded.privilegedSchemes.push(...schemes);
  },
  handle(scheme: string, handler: Handler): void {
    recorded.protocolHandlers.set(scheme, handler);
  },
};

export const shell = {
  openExternal: async (url: string) => {
    recorded.openedExternal.push(url);
  },
};

export const dialog = {
  showOpenDialog: async () => ({ canceled: true, filePaths: [] as string[] }),
};

export const BrowserWindow = FakeBrowserWindow;

export type IpcRendererEvent = unknown;
export type IpcMainInvokeEvent = { senderFrame: { url: string; parent: unknown } | null };
