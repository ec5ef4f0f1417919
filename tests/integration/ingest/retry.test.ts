import { execFileSync, spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findMediaTools, type MediaTools } from '../../../src/main/core/media/media-tools';
import { offloadCard } from '../../../src/main/core/ingest/offload';
import { retryClip } from '../../../src/main/core/ingest/retry-clip';
import { exportMaster } from '../../../src/main/core/ingest/export-master';
import { createVault, type UnlockedVault } from '../../../src/main/core/vault/vault';
import { cli } from '../cli/cli-harness';
import { expectConsistentVault, writeStubTool } from './fault-helpers';

/**
 * A quarantined clip retried from its sealed original, with no card: the same pipeline, fed from memory over
 * the loopback; on success the clip keeps its id and code and its original goes; otherwise nothing changes.
 */
describe('retry of a quarantined clip', () => {
  const PASS = 'correct horse battery staple';
  let base: string;
  let card: string;
  let tools: MediaTools;
  let vault: UnlockedVault;
  const video = 'DCIM/100CANON/MVI_0001.MP4';
  const notJpeg = 'DCIM/100CANON/IMG_0002.JPG';

  beforeAll(async () => {
    base = await fs.mkdtemp(path.join(os.tmpdir(), 'sh-retry-'));
    tools = await findMediaTools();
    card = path.join(base, 'CARD');
    await fs.mkdir(path.join(card, 'DCIM/100CANON'), { recursive: true });
    // The index (moov) at the end, as cameras write it: the tools must seek in the served original.
    execFileSync(tools.ffmpeg, ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=25:duration=2', '-f', 'lavfi', '-i', 'sine=duration=2',
      '-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', '-metadata', 'location=+48.8584+002.2945/', path.join(card, video)]);
    await fs.writeFile(path.join(card, notJpeg), 'these are notes, saved with the wrong name');
    vault = await createVault(path.join(base, 'vault'), PASS);
  }, 60_000);
  afterAll(async () => {
    vault?.lock();
    await fs.rm(base, { recursive: true, force: true });
  });

  it('quarantines with an ffmpeg that cannot handle the clip, then a retry with a working one verifies it in place', async () => {
    const refusing = await writeStubTool(base, 'ffmpeg-refuse', tools.ffmpeg, 'refuse');
    const first = await offloadCard(vault, { ...tools, ffmpeg: refusing.path }, card);
    const quarantined = first.results.find((entry) => entry.file === video)!;
    expect(quarantined).toMatchObject({ status: 'quarantined', quarantineReason: 'cannot-sanitize' });
    expect(first.results.find((entry) => entry.file === notJpeg)).toMatchObject({ status: 'quarantined', quarantineReason: 'still-extension-mismatch' });
    const catalog = await vault.catalog();
    const before = await catalog.get<{ master_object_id: string; report_object_id: string }>('SELECT master_object_id, report_object_id FROM clips WHERE id = ?', [quarantined.clipId]);

    const retried = await retryClip(vault, tools, quarantined.clipId!);
    expect(retried).toMatchObject({ clipId: quarantined.clipId, code: quarantined.code, status: 'verified' });
    const after = await catalog.get<{ status: string; code: string; quarantine_reason: string | null; master_object_id: string }>(
      'SELECT status, code, quarantine_reason, master_object_id FROM clips WHERE id = ?', [quarantined.clipId]);
    expect(after).toMatchObject({ status: 'verified', code: quarantined.code, quarantine_reason: null });
    // The sealed original (which carries the location) is gone, as for any verified clip; the master is clean.
    const objects = new Set(await vault.listObjectIds());
    expect(objects.has(before!.master_object_id)).toBe(false);
    expect(objects.has(before!.report_object_id)).toBe(false);
    expect(objects.has(after!.master_object_id)).toBe(true);
    expect((await catalog.all('SELECT id FROM clips')).length).toBe(2);
    const out = path.join(base, 'master.mp4');
    await exportMaster(vault, tools, quarantined.clipId!, out);
    const probe = JSON.parse(spawnSync(tools.ffprobe, ['-v', 'error', '-count_packets', '-show_entries', 'stream=codec_type,nb_read_packets:format_tags', '-of', 'json', out], { encoding: 'utf8' }).stdout) as {
      streams: { codec_type: string; nb_read_packets: string }[]; format: { tags?: Record<string, string> };
    };
    expect(probe.streams.map((stream) => stream.codec_type)).toEqual(['video', 'audio']);
    expect(Number(probe.streams[0]!.nb_read_packets)).toBe(50);
    expect(probe.format.tags?.['location']).toBeUndefined();
    expect((await fs.readFile(out)).includes(Buffer.from('48.8584'))).toBe(false);
    const audit = await catalog.all<{ action: string }>("SELECT action FROM audit_log WHERE action = 'clip.retry'");
    expect(audit.length).toBe(1);
    await expectConsistentVault(vault);
  }, 120_000);

  it('a retry that cannot succeed leaves the clip quarantined, its original kept, and the CLI says why in words', async () => {
    const catalog = await vault.catalog();
    const row = await catalog.get<{ id: string; code: string; master_object_id: string }>("SELECT id, code, master_object_id FROM clips WHERE status = 'quarantined'");
    const env = { SH_PASS: PASS };
    const result = await cli(['retry', '--vault', path.join(base, 'vault'), '--passphrase-env', 'SH_PASS', '--clip', row!.id], env);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(`${row!.code} is still quarantined: this file is named .jpg but is not a JPEG image; the original is kept, sealed, for review.\n`);
    const now = await catalog.get<{ id: string; code: string; status: string; master_object_id: string }>('SELECT id, code, status, master_object_id FROM clips WHERE id = ?', [row!.id]);
    expect(now).toMatchObject({ code: row!.code, status: 'quarantined' });
    // The original is still there and still reads back to the card file's bytes.
    const { data } = await vault.readObject(now!.master_object_id);
    expect(data.toString('utf8')).toBe('these are notes, saved with the wrong name');
    await expectConsistentVault(vault);
  }, 60_000);

  it('refuses to retry a clip that is not quarantined', async () => {
    const catalog = await vault.catalog();
    const verified = await catalog.get<{ id: string }>("SELECT id FROM clips WHERE status = 'verified'");
    await expect(retryClip(vault, tools, verified!.id)).rejects.toMatchObject({ code: 'NOT_SAFE' });
    await expect(retryClip(vault, tools, 'nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
