import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findMediaTools, type MediaTools } from '../../../src/main/core/media/media-tools';
import { probeStream } from '../../../src/main/core/media/probe';
import { makeProxy, PROXY_COMPRESSOR_NAME } from '../../../src/main/core/media/proxy';
import { runTool } from '../../../src/main/core/media/run-tool';
import type { ProtectionPlan } from '../../../src/main/core/subjects/protection-plan';
import { createVault, type UnlockedVault } from '../../../src/main/core/vault/vault';
import { FACE, FACE_BOX, grayFrame, makeMaster, meanAbsDiff, monoSamples, rms, ssim, toneHz, topLevelBoxes } from './proxy-fixture';

/**
 * What a proxy shows, measured on pixels and samples: full mode is far from the master, a region box is
 * covered while the rest stays, none is close, voice is shifted or muted, and nothing but A/V survives.
 */

let tools: MediaTools;
let vault: UnlockedVault;
let base: string;
let master: Buffer;
let masterId: string;
const W = 960;
const H = 540;
// Burn-in bands (clip code + timecode top left, CONFIDENTIAL bottom centre) are left out of pixel comparisons.
const BANDS = [{ x: 0, y: 0, w: 420, h: 50 }, { x: 0, y: H - 70, w: W, h: 70 }];
const plan = (over: Partial<ProtectionPlan>): ProtectionPlan => ({ mode: 'none', regions: [], voice: null, excluded: false, fingerprint: 'test', ...over });

async function proxyBytes(p: ProtectionPlan, id = masterId): Promise<{ bytes: Buffer; thumbs: Buffer | null }> {
  const made = await makeProxy(vault, tools, { masterObjectId: id, plan: p, clipCode: 'C0042', timecode: '10:00:00:00', durationSeconds: 2 });
  const bytes = (await vault.readObject(made.proxy.id)).data;
  const thumbs = made.thumbs ? (await vault.readObject(made.thumbs.id)).data : null;
  return { bytes, thumbs };
}

beforeAll(async () => {
  tools = await findMediaTools();
  base = await fs.mkdtemp(path.join(os.tmpdir(), 'sh-proxy-'));
  vault = await createVault(path.join(base, 'vault'), 'correct horse battery staple');
  master = await makeMaster(tools);
  masterId = (await vault.writeObject('master', master)).id;
});
afterAll(async () => {
  vault?.lock();
  await fs.rm(base, { recursive: true, force: true });
});

describe('proxy container', () => {
  it('is H.264/AAC about 960 wide, only video and audio, moov first, no metadata (ffprobe and exiftool)', async () => {
    const { bytes, thumbs } = await proxyBytes(plan({}));
    const probe = await probeStream(tools, bytes);
    expect(probe.streams.map((s) => `${s.type}:${s.codec}`)).toEqual(['video:h264', 'audio:aac']);
    expect(probe.streams[0]).toMatchObject({ width: 960, height: 540 });
    expect(Object.keys(probe.tags).filter((k) => !['major_brand', 'minor_version', 'compatible_brands'].includes(k))).toEqual([]);
    for (const stream of probe.streams) {
      expect(Object.keys(stream.tags).filter((k) => !['language', 'handler_name', 'vendor_id', 'encoder'].includes(k))).toEqual([]);
      expect(stream.tags['encoder'] ?? PROXY_COMPRESSOR_NAME).toBe(PROXY_COMPRESSOR_NAME);
    }
    expect(probe.chapters).toEqual([]);
    // fast start without a seekable output: the moov comes before any media fragment
    const boxes = topLevelBoxes(bytes);
    expect(boxes.slice(0, 3)).toEqual(['ftyp', 'moov', 'moof']);
    // the x264 SEI ("x264 - core … options: …") is cut out like every other SEI
    expect(bytes.includes(Buffer.from('x264 - core'))).toBe(false);
    expect(bytes.includes(Buffer.from('Lav'))).toBe(false);
    if (!tools.exiftool) return;
    const exif = JSON.parse((await runTool(tools.exiftool, ['-j', '-G1', '-a', '-'], { input: bytes })).stdout.toString('utf8'))[0] as Record<string, unknown>;
    const leaks = Object.entries(exif).filter(([k, v]) => /GPS|Make|Model|Serial|Software|Encoder|Comment|Author|Title|Location|Artist|Copyright|Description/i.test(k) && !/Handler/.test(k) && v !== '');
    expect(leaks).toEqual([]);
    for (const [k, v] of Object.entries(exif)) if (/Date/.test(k) && !k.startsWith('System:')) expect(String(v)).toMatch(/^0000:00:00 00:00:00/);
    expect(JSON.stringify(exif)).not.toContain('Secret');
    const thumbExif = JSON.parse((await runTool(tools.exiftool, ['-j', '-'], { input: thumbs! })).stdout.toString('utf8'))[0] as Record<string, unknown>;
    expect(thumbExif).toMatchObject({ FileType: 'JPEG', ImageWidth: 1280, ImageHeight: 90 });
    expect(thumbExif['Comment']).toBeUndefined();
  });
});

describe('protection modes, measured', () => {
  it('none: close to the master outside the burn-in', async () => {
    const { bytes } = await proxyBytes(plan({}));
    const [p, m] = await Promise.all([grayFrame(tools, bytes, 1), grayFrame(tools, master, 1, { width: W, height: H })]);
    expect(meanAbsDiff(p, m, W, { x: 0, y: 0, w: W, h: H }, BANDS)).toBeLessThan(8);
  });

  it('full: the frame is far from the master (fine detail, like a face, is gone)', async () => {
    const detailed = await makeMaster(tools, { pattern: 'life', audio: false });
    const id = (await vault.writeObject('master', detailed)).id;
    const { bytes } = await proxyBytes(plan({ mode: 'full' }), id);
    const [p, m] = await Promise.all([grayFrame(tools, bytes, 1), grayFrame(tools, detailed, 1, { width: W, height: H })]);
    const score = ssim(p, m, W, H);
    expect(score).toBeLessThan(0.3);
    // sanity of the measure: the none-mode proxy of the same master is structurally close
    const none = await proxyBytes(plan({}), id);
    expect(ssim(await grayFrame(tools, none.bytes, 1), m, W, H)).toBeGreaterThan(0.6);
  });

  it('regions: inside the box differs strongly from the master, outside stays close', async () => {
    const { bytes } = await proxyBytes(plan({ mode: 'regions', regions: [[{ t: 0, ...FACE_BOX }, { t: 2, ...FACE_BOX }]] }));
    const [p, m] = await Promise.all([grayFrame(tools, bytes, 1), grayFrame(tools, master, 1, { width: W, height: H })]);
    const s = W / 1280;
    const face = { x: Math.round(FACE.x * s), y: Math.round(FACE.y * s), w: Math.round(FACE.w * s), h: Math.round(FACE.h * s) };
    expect(meanAbsDiff(p, m, W, face)).toBeGreaterThan(150); // white face → solid black
    const margin = Math.ceil(0.03 * W) + 2;
    const around = { x: face.x - margin, y: face.y - margin, w: face.w + 2 * margin, h: face.h + 2 * margin };
    expect(meanAbsDiff(p, m, W, { x: 0, y: 0, w: W, h: H }, [...BANDS, around])).toBeLessThan(8);
  });
});

describe('voice protection, measured', () => {
  it('a disguise moves the dominant frequency of a 440 Hz tone by its secret pitch ratio', async () => {
    const made = await makeProxy(vault, tools, { masterObjectId: masterId, plan: plan({ voice: { method: 'disguise', ranges: 'all', subjectIds: ['s'] } }), clipCode: 'C0042', timecode: null, durationSeconds: 2, disguise: { pitch: 0.75, formant: 1.12 } });
    const bytes = (await vault.readObject(made.proxy.id)).data;
    const hz = toneHz(await monoSamples(tools, bytes), 0.3, 1.7);
    expect(hz).toBeGreaterThan(300);
    expect(hz).toBeLessThan(360); // 440 × 0.75 = 330, whatever the formant ratio
    const clean = toneHz(await monoSamples(tools, (await proxyBytes(plan({}))).bytes), 0.3, 1.7);
    expect(Math.abs(clean - 440)).toBeLessThan(10);
  });

  it('mute silences the range (padded) and leaves the rest', async () => {
    const samples = await monoSamples(tools, (await proxyBytes(plan({ voice: { method: 'mute', ranges: [{ from: 0.8, to: 1.2 }] } }))).bytes);
    expect(rms(samples, 0.6, 1.4)).toBeLessThan(0.001);
    expect(rms(samples, 0.1, 0.4)).toBeGreaterThan(0.05);
    expect(rms(samples, 1.6, 1.9)).toBeGreaterThan(0.05);
  });
});
