import { beforeAll, describe, expect, it } from 'vitest';
import { callNames, eventNames } from '../../../src/shared/api';
import { recorded } from '../../stubs/electron';

describe('preload bridge', () => {
  let bridge: Record<string, unknown>;

  beforeAll(async () => {
    recorded.reset();
    await import('../../../src/preload/index');
    expect([...recorded.exposed.keys()]).toEqual(['safehouse', 'safehouseFiles']);
    bridge = recorded.exposed.get('safehouse') as Record<string, unknown>;
  });

  it('exposes exactly the contract names, every one a function', () => {
    expect(Object.keys(bridge).sort()).toEqual([...callNames, ...eventNames].sort());
    for (const value of Object.values(bridge)) expect(typeof value).toBe('function');
  });

  it('exposes no generic IPC, process or require', () => {
    for (const forbidden of ['ipcRenderer', 'send', 'on', 'invoke', 'process', 'require', 'env']) {
      expect(bridge).not.toHaveProperty(forbidden);
    }
    expect(Object.isFrozen(bridge)).toBe(true);
  });

  it('sends each call on its own contract channel with the given input', async () => {
    await (bridge['vault.unlock'] as (input: unknown) => Promise<unknown>)({ dir: '/v', passphrase: 'p' });
    expect(recorded.invoked.at(-1)).toEqual({ channel: 'safehouse:call:vault.unlock', input: { dir: '/v', passphrase: 'p' } });
  });

  it('subscribes to events on their channel and unsubscribes', () => {
    const received: unknown[] = [];
    const unsubscribe = (bridge['offload.progress'] as (listener: (payload: unknown) => void) => () => void)((payload) => received.push(payload));
    const listeners = recorded.rendererListeners.get('safehouse:event:offload.progress')!;
    expect(listeners.size).toBe(1);
    for (const listener of listeners) (listener as (event: unknown, payload: unknown) => void)({}, { step: 'hash' });
    expect(received).toEqual([{ step: 'hash' }]);
    unsubscribe();
    expect(listeners.size).toBe(0);
  });

  it('refuses a non-function event listener', () => {
    expect(() => (bridge['offload.progress'] as (listener: unknown) => void)('alert(1)')).toThrow(TypeError);
  });

  it('gives a dropped file its path and nothing for anything that is not a File', () => {
    const files = recorded.exposed.get('safehouseFiles') as { pathOf(file: unknown): string };
    expect(Object.isFrozen(files)).toBe(true);
    expect(Object.keys(files)).toEqual(['pathOf']);
    const dropped = Object.assign(new File([], 'CARD'), { testPath: '/media/crew/CARD' });
    expect(files.pathOf(dropped)).toBe('/media/crew/CARD');
    expect(files.pathOf({ testPath: '/etc/passwd' })).toBe('');
    expect(files.pathOf('/etc/passwd')).toBe('');
  });
});
