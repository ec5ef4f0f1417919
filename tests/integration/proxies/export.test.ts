import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/main/cli/run';
import { createSafehouse, type Safehouse } from '../../../src/main/core/app';
import { findMediaTools, type MediaTools } from '../../../src/main/core/media/media-tools';
import { probeStream } from '../../../src/main/core/media/probe';
import { exportsContainingClips } from '../../../src/main/core/subjects/exports-lookup';
import { createVault, unlockVault } from '../../../src/main/core/vault/vault';
import { addVerifiedClip, makeMaster, topLevelBoxes } from './proxy-fixture';

/** The editor's export through the facade and the CLI: only cleared clips leave, and every export is recorded. */

const PASS = 'correct horse battery staple';
let tools: MediaTools;
let base: string;
let vaultDir: string;
let safehouse: Safehouse;
let cleared: { id: string; code: string };
let unreviewed: { id: string; code: string };

beforeAll(async () => {
  tools = await findMediaTools();
  base = await fs.mkdtemp(path.join(os.tmpdir(), 'sh-proxy-export-'));
  vaultDir = path.join(base, 'vault');
  const vault = await createVault(vaultDir, PASS);
  const master = await makeMaster(tools);
  cleared = await addVerifiedClip(vault, master, { originalName: 'DCIM/Interview_Amira_Aleppo.MP4', timecode: '10:00:00:00' });
  unreviewed = await addVerifiedClip(vault, master, { originalName: 'DCIM/Safehouse_Street_Nine.MP4' });
  vault.lock();
  safehouse = createSafehouse();
  const unlocked = await safehouse.call('vault.unlock', { dir: vaultDir, passphrase: PASS });
  expect(unlocked.ok).toBe(true);
});
afterAll(async () => {
  await safehouse?.close();
  await fs.rm(base, { recursive: true, force: true });
});

async function until<T>(fn: () => Promise<T>, ok: (value: T) => boolean, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await fn();
    if (ok(value) || Date.now() > end) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('proxies and export through the contract', () => {
  it('a review (protection change) rebuilds the proxy in the background', async () => {
    const built = await safehouse.call('proxies.build', { wait: true });
    expect(built.ok && built.value.map((s) => [s.code, s.state, s.mode])).toEqual([[cleared.code, 'ready', 'full'], [unreviewed.code, 'ready', 'full']]);
    const events: string[] = [];
    const stop = safehouse.on('proxy.progress', (p) => events.push(`${p.code}:${p.state}`));
    expect((await safehouse.call('clips.review', { clipId: cleared.id, noPeople: true })).ok).toBe(true);
    const status = await until(
      () => safehouse.call('proxies.status', { clipIds: [cleared.id] }),
      (r) => r.ok && r.value[0]?.state === 'ready' && r.value[0]?.mode === 'none',
    );
    stop();
    expect(status.ok && status.value[0]).toMatchObject({ state: 'ready', mode: 'none', hasThumbnails: true });
    expect(events).toContain(`${cleared.code}:done`);
  });

  it('exports only cleared clips, as fast-start MP4s with a manifest naming nobody, and records it', async () => {
    const out = path.join(base, 'for-editor');
    const result = await safehouse.call('export.proxies', { outDir: out, recipient: 'Editor Ana' });
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.exported.map((c) => c.code)).toEqual([cleared.code]);
    expect(result.value.refused).toEqual([{ clipId: unreviewed.id, code: unreviewed.code, reason: expect.stringMatching(/^needs-review: Nobody has recorded who appears/) }]);
    expect((await fs.readdir(out)).sort()).toEqual([`${cleared.code}.mp4`, 'manifest.csv']);
    const file = await fs.readFile(path.join(out, `${cleared.code}.mp4`));
    const boxes = topLevelBoxes(file);
    expect(boxes.indexOf('moov')).toBeLessThan(boxes.indexOf('mdat'));
    expect(boxes).not.toContain('moof');
    expect((await probeStream(tools, file)).streams.map((s) => s.codec)).toEqual(['h264', 'aac']);
    const csv = await fs.readFile(path.join(out, 'manifest.csv'), 'utf8');
    expect(csv).toBe(`clip_code,duration_seconds,source_timecode,proxy_file,protection\r\n${cleared.code},2,10:00:00:00,${cleared.code}.mp4,none\r\n`);
    expect(csv).not.toMatch(/Amira|Aleppo|DCIM|Secret|Town/);

    const list = await safehouse.call('export.list', {});
    expect(list.ok && list.value).toEqual([{ id: result.value.exportId, createdAt: expect.any(String), recipient: 'Editor Ana', clips: [{ clipId: cleared.id, code: cleared.code }] }]);
    // what a consent withdrawal will look up
    const vault = await unlockVault(vaultDir, PASS);
    try {
      const recall = await exportsContainingClips(vault, await vault.catalog(), [cleared.id]);
      expect(recall.map((r) => [r.exportId, r.recipient])).toEqual([[result.value.exportId, 'Editor Ana']]);
      // ... and the audit log records the export by id and counts, never the recipient's name
      const entries = await (await vault.catalog()).all<{ details_json: string }>("SELECT details_json FROM audit_log WHERE action = 'export.proxies'");
      expect(entries.map((e) => JSON.parse(e.details_json))).toEqual([{ export: result.value.exportId, clips: 1, refused: result.value.refused.length }]);
      expect(entries[0]!.details_json).not.toMatch(/Ana/);
    } finally {
      vault.lock();
    }
  });

  it('refuses an export folder inside the vault', async () => {
    const result = await safehouse.call('export.proxies', { outDir: path.join(vaultDir, 'objects', 'x') });
    expect(!result.ok && result.error.code).toBe('NOT_SAFE');
  });

  it('CLI: export proxies exits 1 and says why when a clip was refused; proxies build exits 0', async () => {
    const lines: string[] = [];
    const io = { stdout: (t: string) => lines.push(t), stderr: (t: string) => lines.push(t), env: { SH_PASS: PASS } };
    const out = path.join(base, 'cli-out');
    const code = await runCli(['export', 'proxies', '--vault', vaultDir, '--out', out, '--clip', cleared.id, '--clip', unreviewed.id, '--to', 'Ana', '--passphrase-env', 'SH_PASS', '--json'], io, { version: 't', safehouse });
    expect(code).toBe(1);
    const json = JSON.parse(lines.join('')) as { ok: boolean; exported: { code: string }[]; refused: { code: string; reason: string }[] };
    expect(json.ok).toBe(false);
    expect(json.exported.map((c) => c.code)).toEqual([cleared.code]);
    expect(json.refused.map((c) => c.code)).toEqual([unreviewed.code]);
    const build = await runCli(['proxies', 'build', '--vault', vaultDir, '--passphrase-env', 'SH_PASS'], { ...io, stdout: () => {} }, { version: 't', safehouse });
    expect(build).toBe(0);
  });
});
