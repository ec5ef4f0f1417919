import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { callNames, eventNames } from '../shared/api';
import { buildBridge } from './bridge';

/**
 * The renderer gets `window.safehouse`: one function per contract call and one subscribe function per
 * contract event. Never ipcRenderer itself, process, or a generic send/on that could reach other channels.
 */
contextBridge.exposeInMainWorld(
  'safehouse',
  buildBridge(callNames, eventNames, {
    invoke: (channel, input) => ipcRenderer.invoke(channel, input),
    subscribe: (channel, listener) => {
      const wrapped = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
      ipcRenderer.on(channel, wrapped);
      return () => ipcRenderer.removeListener(channel, wrapped);
    },
  }),
);

/**
 * A card folder dropped on the window: Electron no longer puts a path on File objects, so the page asks for
 * it here. Only a real File (one the user dropped or picked) has a path; anything else gets an empty string.
 */
contextBridge.exposeInMainWorld(
  'safehouseFiles',
  Object.freeze({
    pathOf: (file: unknown): string => (typeof File !== 'undefined' && file instanceof File ? webUtils.getPathForFile(file) : ''),
  }),
);
