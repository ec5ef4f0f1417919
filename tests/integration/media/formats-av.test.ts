import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OffloadResult } from '../../../src/shared/model';
import { exportMaster } from '../../../src/main/core/ingest/export-master';
import { offloadCard } from '../../../src/main/core/ingest/offload';
import { writeTimecodePolicy } from '../../../src/main/core/ingest/timecode-policy';
import { findMediaTools, type MediaTools } from '../../../src/main/core/media/media-tools';
import { scanMetadata } from '../../../src/main/core/media/metadata-scan';
import { probeStream } from '../../../src/main/core/media/probe';
import { makeProxy } from '../../../src/main/core/media/proxy';
import { getProtectionPlan } from '../../../src/main/core/subjects/protection-plan';
import { createVault, type UnlockedVault } from '../../../src/main/core/vault/vault';
// @ts-expect-error -- plain ESM script without type declarations
import { makeFormats, OWNER, PLACE_TEXT, SERIAL } from '../../../scripts/fixtures/make-formats.mjs';

interface Made {
  rel: string;
  kind: 'audio' | 'video';
  exportOk: string;
  exportBad: string;
  keeps: { timecode?: string; rotation?: number; colour?: string; channelLayout?: string; portrait?: boolean };
}

// What was planted, in the notations a muxer could keep; none may survive in a master or an export.
const PLANTED = [OWNER, SERIAL, PLACE_TEXT, '-33.8688', '151.2093', 'Calle Falsa'].map((s) => Buffer.from(s, 'utf8'));

function ffprobeJson(tools: MediaTools, file: string): { streams: Array<Record<string, unknown>>; format: { tags?: Record<string, string> } } {
  const run = spawnSync(tools.ffprobe, ['-v', 'error', '-print_format', 'json', '-show_streams', '-show_format', file], { encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout);
}

/**
 * Every audio/video format of make-formats.mjs through the real pipeline: offload (scan, sanitize, prove,
 * seal, verify), then `export master` to the container that suits it and to one that cannot hold it.
 */
describe('audio and video formats', () => {
  let base: string;
  let tools: MediaTools;
  let vault: UnlockedVault;
  let made: Made[];
  let result: OffloadResult;

  beforeAll(async () => {
    base = await fs.mkdtemp(path.join(os.tmpdir(), 'sh-formats-av-'));
    tools = await findMediaTools();
    made = makeFormats(path.join(base, 'CARD')) as Made[];
    vault = await createVault(path.join(base, 'vault'), 'correct horse battery staple');
    result = await offloadCard(vault, tools, path.join(base, 'CARD'));
  }, 240_000);

  afterAll(async () => {
    vault?.lock();
    await fs.rm(base, { recursive: true, force: true });
  });

  const outcome = (rel: string) => result.results.find((r) => r.file === rel);

  it('ingests every file: none is left on the card or quarantined', () => {
    expect(result.notIngested).toEqual([]);
    expect(made.map((m) => [m.rel, outcome(m.rel)?.status, outcome(m.rel)?.reason ?? null])).toEqual(made.map((m) => [m.rel, 'verified', null]));
  });

  it('found what was planted in each file before cleaning it', () => {
    for (const m of made) {
      const f = outcome(m.rel)!.findings;
      expect(f.location + f.identity + f.device, m.rel).toBeGreaterThan(0);
    }
  });

  it('reads the recorder chunks ffprobe does not show (iXML, bext), so the proof searches for their values', async () => {
    const wav = made.find((m) => m.rel.endsWith('.WAV'))!;
    const findings = await scanMetadata(tools, { file: path.join(base, 'CARD', wav.rel), kind: 'audio', sidecars: [] });
    const fields = findings.map((f) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['iXML.PROJECT', 'iXML.TAPE', 'iXML.NOTE', 'bext.bext']));
    expect(findings.find((f) => f.field === 'iXML.NOTE')).toMatchObject({ category: 'identity', value: expect.stringContaining(OWNER) });
  });

  it('the sealed masters hold none of the planted values', async () => {
    const catalog = await vault.catalog();
    for (const m of made) {
      const row = await catalog.get<{ master_object_id: string }>('SELECT master_object_id FROM clips WHERE id = ?', [outcome(m.rel)!.clipId]);
      const chunks: Buffer[] = [];
      for await (const c of vault.streamObject(row!.master_object_id)) chunks.push(Buffer.from(c));
      const bytes = Buffer.concat(chunks);
      expect(bytes.length, m.rel).toBeGreaterThan(1000);
      for (const needle of PLANTED) expect(bytes.indexOf(needle), `${m.rel}: ${needle.toString()}`).toBe(-1);
    }
  });

  it('exports each master to the container that suits it, clean and playable', async () => {
    for (const m of made) {
      const out = path.join(base, `export-${path.basename(m.rel)}${m.exportOk}`);
      const written = await exportMaster(vault, tools, outcome(m.rel)!.clipId!, out);
      expect(written.bytes, m.rel).toBeGreaterThan(1000);
      const bytes = await fs.readFile(out);
      for (const needle of PLANTED) expect(bytes.indexOf(needle), `${m.rel} export: ${needle.toString()}`).toBe(-1);
      const probe = ffprobeJson(tools, out);
      expect(probe.streams.some((s) => s.codec_type === m.kind), m.rel).toBe(true);
      // Decodes from end to end.
      const decode = spawnSync(tools.ffmpeg, ['-v', 'error', '-i', out, '-f', 'null', '-'], { encoding: 'utf8' });
      expect(decode.status, `${m.rel}: ${decode.stderr}`).toBe(0);
      expect(decode.stderr, m.rel).toBe('');
    }
  });

  it('refuses an extension whose container cannot hold the streams, and leaves no file behind', async () => {
    for (const m of made) {
      const out = path.join(base, `refused-${path.basename(m.rel)}${m.exportBad}`);
      await expect(exportMaster(vault, tools, outcome(m.rel)!.clipId!, out), m.rel).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining(m.exportOk) });
      await expect(fs.stat(out), m.rel).rejects.toMatchObject({ code: 'ENOENT' });
    }
  });

  it('keeps what editors need: start timecode, rotation, colour and channel layout', async () => {
    for (const m of made.filter((x) => Object.keys(x.keeps).length > 0)) {
      const out = path.join(base, `keeps-${path.basename(m.rel)}${m.exportOk}`);
      await exportMaster(vault, tools, outcome(m.rel)!.clipId!, out);
      const probe = ffprobeJson(tools, out);
      const v = probe.streams.find((s) => s.codec_type === 'video');
      const a = probe.streams.find((s) => s.codec_type === 'audio');
      const timecodes = [probe.format.tags?.['timecode'], ...probe.streams.map((s) => (s.tags as Record<string, string> | undefined)?.['timecode'])];
      if (m.keeps.timecode) expect(timecodes, m.rel).toContain(m.keeps.timecode);
      if (m.keeps.rotation !== undefined) {
        const side = (v?.side_data_list as Array<{ rotation?: number }> | undefined) ?? [];
        expect(side.map((d) => d.rotation), m.rel).toContain(m.keeps.rotation);
      }
      if (m.keeps.colour) expect([v?.color_primaries, v?.color_transfer, v?.color_space, v?.color_range], m.rel).toEqual([m.keeps.colour, m.keeps.colour, m.keeps.colour, 'tv']);
      if (m.keeps.channelLayout) expect(a?.channel_layout, m.rel).toBe(m.keeps.channelLayout);
      if (v) expect(v.r_frame_rate, m.rel).toBe('25/1');
    }
  });

  it('drops the start timecode from exports when HQ sets the vault to drop it', async () => {
    const m = made.find((x) => x.keeps.timecode)!;
    const kept = await getProtectionPlan(vault, outcome(m.rel)!.clipId!);
    await writeTimecodePolicy(vault, 'drop');
    try {
      // Proxies made with the timecode burned in become stale.
      expect((await getProtectionPlan(vault, outcome(m.rel)!.clipId!)).fingerprint).not.toBe(kept.fingerprint);
      const out = path.join(base, `no-timecode${m.exportOk}`);
      await exportMaster(vault, tools, outcome(m.rel)!.clipId!, out);
      const probe = ffprobeJson(tools, out);
      expect(JSON.stringify(probe)).not.toContain(m.keeps.timecode!);
    } finally {
      await writeTimecodePolicy(vault, 'keep');
    }
    expect((await getProtectionPlan(vault, outcome(m.rel)!.clipId!)).fingerprint).toBe(kept.fingerprint);
  });

  it('a portrait clip (rotated display matrix) gets a portrait proxy, not a squeezed landscape one', async () => {
    const m = made.find((x) => x.keeps.portrait)!;
    const catalog = await vault.catalog();
    const row = await catalog.get<{ master_object_id: string }>('SELECT master_object_id FROM clips WHERE id = ?', [outcome(m.rel)!.clipId]);
    const plan = { mode: 'none' as const, regions: [], voice: null, excluded: false, fingerprint: 'portrait' };
    const made2 = await makeProxy(vault, tools, { masterObjectId: row!.master_object_id, plan, clipCode: 'C0005', timecode: m.keeps.timecode!, durationSeconds: 2 });
    expect([made2.width, made2.height]).toEqual([180, 320]);
    const probe = await probeStream(tools, (await vault.readObject(made2.proxy.id)).data);
    const v = probe.streams.find((s) => s.type === 'video')!;
    // Shown upright: either stored portrait, or stored landscape with a matrix that turns it.
    expect(Math.abs((v.rotation ?? 0) % 180) === 90 ? [v.height, v.width] : [v.width, v.height]).toEqual([180, 320]);
  }, 60_000);
});
