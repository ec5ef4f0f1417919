import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findMediaTools, type MediaTools } from '../../../src/main/core/media/media-tools';
import { makeProxy } from '../../../src/main/core/media/proxy';
import { ensureProxies } from '../../../src/main/core/proxies/proxy-builder';
import { ProxyQueue } from '../../../src/main/core/proxies/proxy-queue';
import { createVault, type UnlockedVault } from '../../../src/main/core/vault/vault';
import { SafehouseError } from '../../../src/shared/errors';
import { addVerifiedClip, makeMaster } from './proxy-fixture';

/** The proxy lifecycle on a real vault: built, current, rebuilt when the plan changes, never in clear on disk. */

let tools: MediaTools;
let vault: UnlockedVault;
let base: string;
let master: Buffer;

beforeAll(async () => {
  tools = await findMediaTools();
  base = await fs.mkdtemp(path.join(os.tmpdir(), 'sh-proxy-pipe-'));
  vault = await createVault(path.join(base, 'vault'), 'correct horse battery staple');
  master = await makeMaster(tools);
});
afterAll(async () => {
  vault?.lock();
  await fs.rm(base, { recursive: true, force: true });
});

const objectRows = async () => (await (await vault.catalog()).all<{ id: string }>('SELECT id FROM objects')).map((r) => r.id).sort();

describe('ensureProxies', () => {
  it('builds a full-mode proxy for an unreviewed clip without a plaintext temp file, then keeps it while the plan holds', async () => {
    const clip = await addVerifiedClip(vault, master);
    const emptyTmp = path.join(base, 'tmp');
    await fs.mkdir(emptyTmp);
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = emptyTmp; // inherited by ffmpeg/ffprobe: any temp file would land here
    const progress: number[] = [];
    try {
      const [outcome] = await ensureProxies(vault, tools, [clip.id], (p) => p.fraction !== null && progress.push(p.fraction));
      expect(outcome).toMatchObject({ clipId: clip.id, result: 'built' });
    } finally {
      process.env.TMPDIR = saved;
    }
    expect(await fs.readdir(emptyTmp)).toEqual([]);
    expect(await fs.readdir(path.join(base, 'vault', 'staging'))).toEqual([]);
    expect(progress[progress.length - 1]).toBe(1);
    const row = await (await vault.catalog()).get<{ mode: string; object_id: string }>('SELECT * FROM proxies WHERE clip_id = ?', [clip.id]);
    expect(row?.mode).toBe('full');
    const again = await ensureProxies(vault, tools, [clip.id]);
    expect(again[0]!.result).toBe('current');

    // A person records that nobody identifiable appears: the plan changes (none), the proxy is rebuilt, the old one is gone.
    await (await vault.catalog()).run('INSERT INTO clip_reviews (clip_id, no_people, reviewed_at) VALUES (?, 1, ?)', [clip.id, new Date().toISOString()]);
    const rebuilt = await ensureProxies(vault, tools, [clip.id]);
    expect(rebuilt[0]!.result).toBe('built');
    const after = await (await vault.catalog()).get<{ mode: string; object_id: string }>('SELECT * FROM proxies WHERE clip_id = ?', [clip.id]);
    expect(after?.mode).toBe('none');
    expect(after?.object_id).not.toBe(row?.object_id);
    expect(await vault.listObjectIds()).not.toContain(row!.object_id);
    expect(await objectRows()).not.toContain(row!.object_id);
  });

  it('a master that fails its integrity check commits nothing', async () => {
    const clip = await addVerifiedClip(vault, master);
    const file = path.join(base, 'vault', 'objects', clip.masterId.slice(0, 2), clip.masterId);
    const bytes = await fs.readFile(file);
    bytes[bytes.length - 200] = bytes[bytes.length - 200]! ^ 0x01; // in the last chunk: ffmpeg has already seen almost everything
    await fs.writeFile(file, bytes);
    const before = (await vault.listObjectIds()).sort();
    const error = await makeProxy(vault, tools, { masterObjectId: clip.masterId, plan: { mode: 'none', regions: [], voice: null, excluded: false, fingerprint: 'x' }, clipCode: clip.code, timecode: null, durationSeconds: 2 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SafehouseError);
    expect((error as SafehouseError).code).toBe('INTEGRITY');
    expect((await vault.listObjectIds()).sort()).toEqual(before);
    expect(await fs.readdir(path.join(base, 'vault', 'staging'))).toEqual([]);
    const [outcome] = await ensureProxies(vault, tools, [clip.id]);
    expect(outcome!.result).toBe('failed');
  });
});

describe('ProxyQueue', () => {
  it('runs at most `limit` jobs at once, joins a queued job, re-runs a running one once', async () => {
    const queue = new ProxyQueue(2);
    let active = 0;
    let peak = 0;
    const runs: string[] = [];
    const job = (name: string) => async () => {
      active += 1;
      peak = Math.max(peak, active);
      runs.push(name);
      await new Promise((r) => setTimeout(r, 20));
      active -= 1;
      return name;
    };
    const all = ['a', 'b', 'c', 'd'].map((k) => queue.run(k, job(k)));
    const joined = queue.run('d', job('d-again')); // d has not started: joins it
    await new Promise((r) => setTimeout(r, 5));
    const follow = queue.run('a', job('a-again')); // a is running: one follow-up
    expect(await Promise.all([...all, joined, follow])).toEqual(['a', 'b', 'c', 'd', 'd', 'a-again']);
    expect(peak).toBe(2);
    expect(runs.filter((r) => r === 'd-again')).toEqual([]);
  });
});
