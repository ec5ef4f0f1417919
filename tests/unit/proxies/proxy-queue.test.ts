import { describe, expect, it } from 'vitest';
import { ProxyQueue } from '../../../src/main/core/proxies/proxy-queue';

describe('the proxy queue', () => {
  it('is idle only once every queued and running job has settled, failed ones included', async () => {
    const queue = new ProxyQueue(1);
    const order: string[] = [];
    let finishFirst!: () => void;
    const first = queue.run('a', () => new Promise<void>((resolve) => (finishFirst = resolve)).then(() => void order.push('a')));
    const second = queue.run('b', async () => {
      order.push('b');
      throw new Error('the vault was locked');
    });
    await expect(Promise.race([queue.idle().then(() => 'idle'), new Promise((resolve) => setTimeout(() => resolve('busy'), 50))])).resolves.toBe('busy');
    const idle = queue.idle().then(() => order.push('idle'));
    finishFirst();
    await idle;
    expect(order).toEqual(['a', 'b', 'idle']);
    await first;
    await expect(second).rejects.toThrow('the vault was locked');
    await expect(queue.idle()).resolves.toBeUndefined();
  });
});
