import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlaybackCache, parseRange } from '../../../src/main/core/media/playback';
import { createVault, type UnlockedVault } from '../../../src/main/core/vault/vault';

describe('range parsing', () => {
  it.each([
    [null, 100, null],
    ['bytes=0-9', 100, { start: 0, end: 9 }],
    ['bytes=90-', 100, { start: 90, end: 99 }],
    ['bytes=-10', 100, { start: 90, end: 99 }],
    ['bytes=50-500', 100, { start: 50, end: 99 }],
    ['bytes=100-', 100, 'invalid'],
    ['bytes=9-3', 100, 'invalid'],
    ['bytes=-0', 100, 'invalid'],
    ['bytes=0-1,5-6', 100, 'invalid'],
    ['items=0-1', 100, 'invalid'],
  ] as const)('%s of %i bytes', (header, size, expected) => {
    expect(parseRange(header, size)).toEqual(expected);
  });
});

describe('proxy playback from memory', () => {
  let base: string;
  let vault: UnlockedVault;
  const bytes = Buffer.from(Array.from({ length: 200_000 }, (_, index) => index % 251));
  let clipId: string;

  beforeAll(async () => {
    base = await fs.mkdtemp(path.join(os.tmpdir(), 'sh-playback-'));
    vault = await createVault(path.join(base, 'vault'), 'correct horse battery staple');
    const catalog = await vault.catalog();
    const object = await vault.writeObject('proxy', bytes);
    const now = new Date().toISOString();
    clipId = 'clip1';
    await catalog.run('INSERT INTO cards (id, created_at) VALUES (?, ?)', ['card1', now]);
    await catalog.run("INSERT INTO clips (id, card_id, code, kind, status, created_at) VALUES (?, 'card1', 'C0001', 'video', 'verified', ?)", [clipId, now]);
    await catalog.run("INSERT INTO objects (id, class, plain_size, created_at) VALUES (?, 'proxy', ?, ?)", [object.id, bytes.length, now]);
    await catalog.run("INSERT INTO proxies (clip_id, object_id, plan_fingerprint, mode, created_at) VALUES (?, ?, 'f', 'full', ?)", [clipId, object.id, now]);
  });
  afterAll(async () => {
    vault.lock();
    await fs.rm(base, { recursive: true, force: true });
  });

  it('serves the whole proxy and any byte range of it', async () => {
    const cache = createPlaybackCache();
    const whole = await cache.respond(vault, `/media/proxy/${clipId}`, null);
    expect(whole.status).toBe(200);
    expect(Buffer.from(await whole.arrayBuffer()).equals(bytes)).toBe(true);
    const part = await cache.respond(vault, `/media/proxy/${clipId}`, 'bytes=1000-1999');
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 1000-1999/${bytes.length}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(bytes.subarray(1000, 2000))).toBe(true);
    expect((await cache.respond(vault, `/media/proxy/${clipId}`, 'bytes=999999-')).status).toBe(416);
  });

  it('answers 404 for unknown clips and paths outside /media/proxy/', async () => {
    const cache = createPlaybackCache();
    expect((await cache.respond(vault, '/media/proxy/nope', null)).status).toBe(404);
    expect((await cache.respond(vault, '/media/proxy/../vault.json', null)).status).toBe(404);
    expect((await cache.respond(vault, '/media/master/clip1', null)).status).toBe(404);
  });

  it('releases nothing of a tampered proxy', async () => {
    const catalog = await vault.catalog();
    const row = await catalog.get<{ object_id: string }>('SELECT object_id FROM proxies WHERE clip_id = ?', [clipId]);
    const file = path.join(vault.info.dir, 'objects', row!.object_id.slice(0, 2), row!.object_id);
    const stored = await fs.readFile(file);
    stored[stored.length - 100]! ^= 0xff;
    await fs.writeFile(file, stored);
    const response = await createPlaybackCache().respond(vault, `/media/proxy/${clipId}`, null);
    expect(response.status).toBe(500);
    expect(Buffer.from(await response.arrayBuffer()).includes(bytes.subarray(0, 64))).toBe(false);
  });
});
