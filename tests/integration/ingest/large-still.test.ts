import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportMaster } from '../../../src/main/core/ingest/export-master';
import { offloadCard } from '../../../src/main/core/ingest/offload';
import { HASH_READ_BYTES } from '../../../src/main/core/ingest/hashing';
import { findMediaTools, type MediaTools } from '../../../src/main/core/media/media-tools';
import { createVault, type UnlockedVault } from '../../../src/main/core/vault/vault';

// A photo is read in HASH_READ_BYTES pieces into one reused buffer and cleaned whole in memory: a photo
// larger than one read must come out whole, not as copies of its last piece.
describe('a photo larger than one read', () => {
  let base: string;
  let vault: UnlockedVault;
  let tools: MediaTools;
  let photo: string;

  beforeAll(async () => {
    base = await fs.mkdtemp(path.join(os.tmpdir(), 'sh-large-still-'));
    tools = await findMediaTools();
    vault = await createVault(path.join(base, 'vault'), 'correct horse battery staple');
    photo = path.join(base, 'CARD', 'DCIM', '100APPLE', 'IMG_0001.JPG');
    await fs.mkdir(path.dirname(photo), { recursive: true });
    // Noise compresses badly: a 2000x2000 JPEG at top quality is several MB.
    const made = spawnSync(tools.ffmpeg, ['-v', 'error', '-f', 'lavfi', '-i', 'nullsrc=s=2000x2000,geq=lum=random(1)*255:cb=128:cr=128', '-frames:v', '1', '-q:v', '1', '-y', photo]);
    expect(made.status, made.stderr?.toString()).toBe(0);
  }, 60_000);

  afterAll(async () => {
    vault?.lock();
    await fs.rm(base, { recursive: true, force: true });
  });

  it('is ingested, verified and exported whole', async () => {
    const original = await fs.readFile(photo);
    expect(original.length).toBeGreaterThan(2 * HASH_READ_BYTES);
    const result = await offloadCard(vault, tools, path.join(base, 'CARD'));
    expect(result.results.map((entry) => [entry.file, entry.status, entry.reason])).toEqual([['DCIM/100APPLE/IMG_0001.JPG', 'verified', null]]);
    const out = path.join(base, 'exported.jpg');
    await exportMaster(vault, tools, result.results[0]!.clipId!, out);
    // Cleaning drops segments (ffmpeg's comment) but never image data: both decode to the same pixels.
    const pixels = (file: string) => spawnSync(tools.ffmpeg, ['-v', 'error', '-i', file, '-f', 'md5', '-'], { encoding: 'utf8' }).stdout.trim();
    expect(pixels(out)).toMatch(/^MD5=[0-9a-f]{32}$/);
    expect(pixels(out)).toBe(pixels(photo));
    expect((await fs.stat(out)).size).toBeGreaterThan(original.length - 1024);
  });
});
