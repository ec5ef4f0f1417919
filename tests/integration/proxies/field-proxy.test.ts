import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findMediaTools, type MediaTools } from '../../../src/main/core/media/media-tools';
import { offloadCard } from '../../../src/main/core/ingest/offload';
import { readThumbnail } from '../../../src/main/core/media/thumbnail';
import { FIELD_MOSAIC_FINGERPRINT } from '../../../src/main/core/proxies/field-proxy';
import { ensureProxies, proxyStatuses } from '../../../src/main/core/proxies/proxy-builder';
import { replaceProxy } from '../../../src/main/core/proxies/proxy-store';
import { getProtectionPlan } from '../../../src/main/core/subjects/protection-plan';
import { runTool } from '../../../src/main/core/media/run-tool';
import { createVault, unlockVault, type UnlockedVault } from '../../../src/main/core/vault/vault';
import { fileContains, walkFiles } from '../../helpers/marker-scan';
import { addVerifiedClip, grayFrame, makeMaster } from './proxy-fixture';

/**
 * A field vault cannot open its masters, so the offload makes a full-frame mosaic proxy and thumbnails from
 * the sanitized stream (field-proxy.ts). Real ffmpeg, real SQLite, real libsodium; the card holds one
 * generated clip of fine, moving detail (Conway's life: every pixel edge is high frequency, like skin and hair).
 */
const FIELD_PASS = 'field crew passphrase, long enough';
const HQ_PASS = 'headquarters passphrase, long enough';
const SIZE = { width: 1280, height: 720 };

describe('field proxies', () => {
  let base: string;
  let tools: MediaTools;
  let field: UnlockedVault;
  let clipFile: string;
  let clipId: string;

  beforeAll(async () => {
    tools = await findMediaTools();
    base = await fs.mkdtemp(path.join(os.tmpdir(), 'sh-field-proxy-'));
    const hq = await createVault(path.join(base, 'hq'), HQ_PASS);
    const hqCard = hq.exportRecipientCard();
    hq.lock();
    const created = await createVault(path.join(base, 'field'), FIELD_PASS, { kind: 'field', hqRecipientCard: hqCard });
    created.lock();
    // The card (camera media, outside the vault): 4 s of 1280x720 life, 25 fps, with sound.
    clipFile = path.join(base, 'card', 'DCIM', '100CAM', 'CLIP0001.MP4');
    await fs.mkdir(path.dirname(clipFile), { recursive: true });
    const made = await runTool(tools.ffmpeg, [
      '-hide_banner', '-loglevel', 'error',
      '-f', 'lavfi', '-i', `life=s=${SIZE.width}x${SIZE.height}:mold=10:r=25:ratio=0.5:death_color=#203040:life_color=#f0e0c0,format=yuv420p`,
      '-f', 'lavfi', '-i', 'sine=f=440:r=48000',
      '-t', '4', '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '25', '-c:a', 'aac', '-movflags', '+faststart', clipFile,
    ], { timeoutMs: 60_000 });
    expect(made.code).toBe(0);
    field = await unlockVault(path.join(base, 'field'), FIELD_PASS);
    const result = await offloadCard(field, tools, path.join(base, 'card'), { label: 'field card' });
    expect(result.results).toHaveLength(1);
    clipId = result.results[0]!.clipId!;
    expect(result.results[0]!.status).toBe('verified');
    field.lock();
    field = await unlockVault(path.join(base, 'field'), FIELD_PASS);
  }, 240_000);

  afterAll(async () => {
    field?.lock();
    await fs.rm(base, { recursive: true, force: true });
  });

  const proxyRow = async () =>
    (await field.catalog()).get<{ object_id: string; thumbs_object_id: string | null; plan_fingerprint: string; mode: string }>('SELECT * FROM proxies WHERE clip_id = ?', [clipId]);

  it('the field passphrase cannot open the master, but opens a playable proxy marked as a field mosaic', async () => {
    expect(field.info.canOpen.master).toBe(false);
    const row = await proxyRow();
    expect(row?.plan_fingerprint).toBe(FIELD_MOSAIC_FINGERPRINT);
    expect(row?.mode).toBe('full');
    const { data, meta } = await field.readObject(row!.object_id);
    expect(meta).toMatchObject({ role: 'proxy', mode: 'field-mosaic' });
    // Playable: every frame decodes, about 4 s of them, at the proxy size.
    const decoded = await runTool(tools.ffmpeg, ['-hide_banner', '-loglevel', 'error', '-i', 'pipe:0', '-f', 'null', '-', '-progress', 'pipe:1'], { input: data });
    expect(decoded.code).toBe(0);
    const frames = Number([...decoded.stdout.toString('utf8').matchAll(/frame=(\d+)/g)].at(-1)?.[1]);
    expect(frames).toBeGreaterThanOrEqual(15); // keyframes only, shown at 5 fps over the 4 s
    expect(frames).toBeLessThanOrEqual(21);
    const probe = await runTool(tools.ffprobe, ['-v', 'error', '-show_entries', 'stream=codec_type,codec_name,width,height', '-of', 'json', 'pipe:0'], { input: data });
    const info = JSON.parse(probe.stdout.toString('utf8')) as { streams: Array<{ codec_type: string; codec_name: string; width: number }> };
    expect(info.streams.map((s) => s.codec_type)).toEqual(['video']); // no sound: voices identify people too
    expect(info.streams[0]).toMatchObject({ codec_name: 'h264', width: 960 });
    await expect(field.readObject(row!.object_id.replace(/./, '0'))).rejects.toThrow();
  });

  it('thumbnails open with the field passphrase (a JPEG strip)', async () => {
    const thumb = await readThumbnail(field, clipId);
    expect(thumb?.mime).toBe('image/jpeg');
    const jpeg = Buffer.from(thumb!.base64, 'base64');
    expect(jpeg.subarray(0, 2).equals(Buffer.from([0xff, 0xd8]))).toBe(true);
    const statuses = await proxyStatuses(field, [clipId]);
    expect(statuses[0]).toMatchObject({ state: 'ready', mode: 'full', hasThumbnails: true });
  });

  it('frames are a mosaic: the fine detail of the master is gone (high-frequency energy)', async () => {
    const { data } = await field.readObject((await proxyRow())!.object_id);
    const source = await fs.readFile(clipFile);
    const frame = { width: 960, height: 540 };
    // Mean absolute difference between horizontal and vertical neighbours, inside the picture (the
    // burn-in bands at the top and bottom are left out).
    const energy = (gray: Buffer) => {
      let sum = 0;
      let n = 0;
      for (let y = 80; y < frame.height - 100; y += 1) {
        for (let x = 0; x < frame.width - 1; x += 1) {
          const at = y * frame.width + x;
          sum += Math.abs(gray[at]! - gray[at + 1]!) + Math.abs(gray[at]! - gray[at + frame.width]!);
          n += 2;
        }
      }
      return sum / n;
    };
    const mean = (gray: Buffer) => gray.subarray(80 * frame.width, (frame.height - 100) * frame.width).reduce((sum, v) => sum + v, 0) / ((frame.height - 180) * frame.width);
    // The card clip has a keyframe every second (-g 25) and the mosaic shows each keyframe until the next.
    for (const at of [1, 2]) {
      const masterFrame = await grayFrame(tools, source, at, frame);
      const proxyFrame = await grayFrame(tools, data, at + 0.1);
      // The same picture, averaged: the brightness is kept, the detail is not.
      expect(Math.abs(mean(proxyFrame) - mean(masterFrame))).toBeLessThan(12);
      const master = energy(masterFrame);
      const proxy = energy(proxyFrame);
      console.log(`field mosaic at ${at} s: high-frequency energy ${proxy.toFixed(2)} vs master ${master.toFixed(2)} (${((100 * proxy) / master).toFixed(1)} %)`);
      expect(master).toBeGreaterThan(20);
      expect(proxy / master, `at ${at} s: proxy ${proxy.toFixed(2)} vs master ${master.toFixed(2)}`).toBeLessThan(0.1);
    }
    // Movement stays visible: the mosaic changes from one keyframe to the next.
    const a = await grayFrame(tools, data, 1.1);
    const b = await grayFrame(tools, data, 2.1);
    expect(a.equals(b)).toBe(false);
  });

  it('nothing of the proxy, its thumbnails or the sanitized master is in clear in the vault or the temp folder', async () => {
    const row = (await proxyRow())!;
    const proxy = (await field.readObject(row.object_id)).data;
    const thumbs = (await field.readObject(row.thumbs_object_id!)).data;
    const needles = [proxy.subarray(0, 64), proxy.subarray(proxy.length >> 1, (proxy.length >> 1) + 64), thumbs.subarray(0, 64), thumbs.subarray(thumbs.length - 64)];
    needles.push(Buffer.from('ftypiso'), Buffer.from('JFIF\0'));
    const hits: string[] = [];
    for (const root of [path.join(base, 'field'), process.env['TMPDIR']!]) {
      for await (const file of walkFiles(root)) if (await fileContains(file, needles)) hits.push(file);
    }
    expect(hits.filter((file) => !file.startsWith(path.join(base, 'card')))).toEqual([]);
  });
});

describe('a field mosaic where the masters open (HQ)', () => {
  it('is stale, and ensureProxies replaces it with a proxy made under the real plan', async () => {
    const tools = await findMediaTools();
    const base = await fs.mkdtemp(path.join(os.tmpdir(), 'sh-field-hq-'));
    const hq = await createVault(path.join(base, 'hq'), HQ_PASS);
    try {
      const clip = await addVerifiedClip(hq, await makeMaster(tools, { audio: false }));
      const catalog = await hq.catalog();
      const stand = await hq.writeObject('proxy', Buffer.from('a field mosaic stands here'), { role: 'proxy', mode: 'field-mosaic' });
      await replaceProxy(hq, catalog, clip.id, { proxy: stand, thumbs: null }, { fingerprint: FIELD_MOSAIC_FINGERPRINT, mode: 'full' });
      expect((await proxyStatuses(hq, [clip.id]))[0]?.state).toBe('stale');
      const [outcome] = await ensureProxies(hq, tools, [clip.id]);
      expect(outcome?.result).toBe('built');
      const row = await catalog.get<{ plan_fingerprint: string; object_id: string }>('SELECT * FROM proxies WHERE clip_id = ?', [clip.id]);
      expect(row?.plan_fingerprint).toBe((await getProtectionPlan(hq, clip.id)).fingerprint);
      expect(row?.object_id).not.toBe(stand.id);
      await expect(hq.readObject(stand.id)).rejects.toThrow(); // the field mosaic is deleted
      expect((await proxyStatuses(hq, [clip.id]))[0]?.state).toBe('ready');
    } finally {
      hq.lock();
      await fs.rm(base, { recursive: true, force: true });
    }
  }, 120_000);
});
