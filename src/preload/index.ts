import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
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
