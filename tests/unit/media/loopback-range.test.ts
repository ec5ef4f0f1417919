import { describe, expect, it } from 'vitest';
import { parseRange, serveFromMemory } from '../../../src/main/core/media/loopback-source';

describe('byte ranges of a sealed original served for a retry', () => {
  it.each([
    [undefined, { start: 0, end: 99 }],
    ['bytes=0-', { start: 0, end: 99 }],
    ['bytes=10-19', { start: 10, end: 19 }],
    ['bytes=90-500', { start: 90, end: 99 }],
    ['bytes=-10', { start: 90, end: 99 }],
    ['bytes=100-', null],
    ['bytes=20-10', null],
    ['bytes=-', null],
    ['items=0-1', null],
    ['bytes=0-1,5-6', null],
  ])('%s', (header, expected) => expect(parseRange(header, 100)).toEqual(expected));
});

describe('the loopback server', () => {
  it('answers only its own random path, only on 127.0.0.1, with ranges', async () => {
    const bytes = Buffer.from('0123456789');
    const source = await serveFromMemory(bytes, 'C0001.MP4');
    try {
      expect(source.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/[0-9a-f]{48}\/C0001\.MP4$/);
      const part = await fetch(source.url, { headers: { Range: 'bytes=3-5' } });
      expect(part.status).toBe(206);
      expect(part.headers.get('content-range')).toBe('bytes 3-5/10');
      expect(await part.text()).toBe('345');
      expect(await (await fetch(source.url)).text()).toBe('0123456789');
      const other = new URL(source.url);
      other.pathname = '/guess/C0001.MP4';
      expect((await fetch(other)).status).toBe(404);
    } finally {
      await source.close();
    }
  });
});
