import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/main/cli/run';
import { createSafehouse, type Safehouse } from '../../../src/main/core/app';
import { scoreProposals } from '../../../src/main/core/faces/identity-match';
import { findMediaTools } from '../../../src/main/core/media/media-tools';
import { createVault, unlockVault } from '../../../src/main/core/vault/vault';
import type { CallName, CallOutput } from '../../../src/shared/api';
import type { FaceProposal } from '../../../src/shared/model';
import { walkFiles, fileContains } from '../../helpers/marker-scan';
import { PASS, tempDir } from '../../unit/vault/helpers';
import { addVerifiedClip } from '../proxies/proxy-fixture';
// @ts-expect-error -- plain ESM script without type declarations
import { makePeopleClip, peopleSet } from '../../../scripts/fixtures/make-people-clip.mjs';

/**
 * Who appears where, end to end on generated clips of two real (public-domain) faces: analysis stores sealed
 * descriptors, naming one face proposes the same person everywhere else, a person accepts or rejects, and the
 * clips stay in review until then. Also the CLI's documented names and JSON shapes, and that no descriptor
 * reaches the disk in clear.
 */

interface SetClip {
  name: string;
  people: { who: 'collins' | 'hopper'; cx: number }[];
}

let root: string;
let dir: string;
let app: Safehouse;
const clips = new Map<string, { id: string; people: SetClip['people'] }>();
/** trackId → who it truly is, from where the person was placed (tracks sorted left to right). */
const truth = new Map<string, 'collins' | 'hopper'>();
const trackOf = new Map<string, string[]>();
let subjectOf: Record<'collins' | 'hopper', string>;

async function call<K extends CallName>(name: K, input: unknown): Promise<CallOutput<K>> {
  const result = await app.call(name, input);
  if (!result.ok) throw new Error(`${name}: ${result.error.code} ${result.error.message}`);
  return result.value;
}

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io = { stdout: (t: string) => void (out += t), stderr: (t: string) => void (err += t), env: { SH_PASS: PASS } };
  const code = await runCli([...argv, '--vault', dir, '--passphrase-env', 'SH_PASS'], io, { version: 'test' });
  return { code, out, err };
}

beforeAll(async () => {
  root = await tempDir('sh-who-');
  dir = path.join(root, 'vault');
  const tools = await findMediaTools();
  const vault = await createVault(dir, PASS);
  for (const spec of peopleSet() as SetClip[]) {
    const bytes = (await makePeopleClip({ ffmpeg: tools.ffmpeg, width: 640, height: 360, seconds: 2, people: spec.people })) as Buffer;
    const { id } = await addVerifiedClip(vault, bytes, { durationSeconds: 2 });
    clips.set(spec.name, { id, people: spec.people });
  }
  await (await vault.catalog()).close();
  vault.lock();
  app = createSafehouse({ autoLockMinutes: null });
  await call('vault.unlock', { dir, passphrase: PASS });
  const scanned = await call('faces.scan', { wait: true });
  expect(scanned.every((o) => o.result === 'done')).toBe(true);
  for (const [name, clip] of clips) {
    const tracks = (await call('faces.list', { clipId: clip.id })).tracks;
    const centre = (t: (typeof tracks)[number]) => t.keyframes.reduce((s, k) => s + k.x + k.w / 2, 0) / t.keyframes.length;
    // Each placed person is the track whose centre is nearest to where they were put.
    const ids: string[] = [];
    for (const person of clip.people) {
      const nearest = [...tracks].sort((a, b) => Math.abs(centre(a) - person.cx) - Math.abs(centre(b) - person.cx))[0];
      expect(nearest, `${name}: no track for ${person.who}`).toBeDefined();
      truth.set(nearest!.id, person.who);
      ids.push(nearest!.id);
    }
    trackOf.set(name, ids);
  }
  subjectOf = {
    collins: (await call('subjects.create', { pseudonym: 'Flight' })).id,
    hopper: (await call('subjects.create', { pseudonym: 'Compiler' })).id,
  };
}, 600_000);

afterAll(async () => {
  await app?.close();
  await fs.rm(root, { recursive: true, force: true });
});

const clipId = (name: string) => clips.get(name)!.id;
async function grayPixels(jpeg: Buffer): Promise<Buffer> {
  const { ffmpeg } = await findMediaTools();
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-i', 'pipe:0', '-f', 'rawvideo', '-pix_fmt', 'gray', 'pipe:1']);
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(Buffer.concat(chunks)) : reject(new Error(`ffmpeg exited ${code}`))));
    child.stdin.end(jpeg);
  });
}
async function clipSafety(id: string) {
  const report = (await call('safety.report', {})).clips.find((c) => c.clipId === id);
  if (!report) throw new Error(`no safety report for ${id}`);
  return report;
}
const track = (name: string, index = 0) => trackOf.get(name)![index]!;

describe('who appears where', () => {
  it('groups the unnamed faces that look alike: one group per person, nobody in two', async () => {
    const groups = await call('faces.groups', {});
    const people = groups.map((g) => new Set(g.tracks.map((t) => truth.get(t.trackId)).filter(Boolean)));
    expect(people.filter((p) => p.size > 1)).toEqual([]);
    const collins = groups.find((g) => g.tracks.some((t) => truth.get(t.trackId) === 'collins'));
    const hopper = groups.find((g) => g.tracks.some((t) => truth.get(t.trackId) === 'hopper'));
    expect(collins?.tracks.filter((t) => truth.get(t.trackId) === 'collins').length).toBe(4);
    expect(hopper?.tracks.filter((t) => truth.get(t.trackId) === 'hopper').length).toBe(3);
    expect(collins!.number).not.toBe(hopper!.number);
  });

  it('naming one face proposes the same person in every other clip, and only them', async () => {
    await call('faces.assign', { clipId: clipId('collins-large'), trackId: track('collins-large'), subjectId: subjectOf.collins });
    await call('faces.assign', { clipId: clipId('hopper-large'), trackId: track('hopper-large'), subjectId: subjectOf.hopper });
    const proposals = await call('faces.proposals', {});
    const expected = new Map<string, string | null>();
    for (const [trackId, who] of truth) if (trackId !== track('collins-large') && trackId !== track('hopper-large')) expected.set(trackId, subjectOf[who]);
    const score = scoreProposals(proposals, expected, new Set(Object.values(subjectOf)));
    expect(score).toMatchObject({ precision: 1, recall: 1, expected: 5 });
    for (const p of proposals) {
      expect(p.score).toBeGreaterThanOrEqual(0.7);
      expect(p.to).toBeGreaterThan(p.from);
    }
    const forHopper = await call('faces.proposals', { subjectId: subjectOf.hopper });
    expect(new Set(forHopper.map((p) => p.trackId))).toEqual(new Set([track('hopper-flip-dim'), track('both', 1)]));
  });

  it('shows a proposed face as a mosaic unless a person reveals it, and audits only the reveal', async () => {
    const [proposal] = await call('faces.proposals', { subjectId: subjectOf.collins });
    const audited = async () => {
      const vault = await unlockVault(dir, PASS);
      const catalog = await vault.catalog();
      const rows = await catalog.all<{ n: number }>("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'clip.view-unmasked'");
      await catalog.close();
      vault.lock();
      return rows[0]!.n;
    };
    const before = await audited();
    const masked = await call('faces.proposalThumbnail', { proposalId: proposal!.id, reveal: false });
    expect(await audited()).toBe(before);
    const revealed = await call('faces.proposalThumbnail', { proposalId: proposal!.id, reveal: true });
    expect(await audited()).toBe(before + 1);
    // Detail: the share of neighbouring pixels that differ. A 12-block mosaic has almost none.
    const detail = async (base64: string) => {
      const gray = await grayPixels(Buffer.from(base64, 'base64'));
      let edges = 0;
      for (let i = 1; i < gray.length; i++) if (Math.abs(gray[i]! - gray[i - 1]!) > 6) edges++;
      return edges / gray.length;
    };
    const [maskedDetail, revealedDetail] = [await detail(masked.base64), await detail(revealed.base64)];
    expect(maskedDetail).toBeLessThan(0.1);
    expect(revealedDetail).toBeGreaterThan(maskedDetail * 3);
  });

  it('keeps a clip with a proposal in review until a person decides', async () => {
    const status = await clipSafety(clipId('collins-dim'));
    expect(status.safety).toBe('needs-review');
    expect(status.reasons.map((r) => r.code)).toContain('appearance-proposed');
  });

  it('a rejected proposal is not made again; an accepted one becomes an appearance with the track', async () => {
    const [wrong] = await call('faces.proposals', { subjectId: subjectOf.hopper }).then((list) => list.filter((p) => p.trackId === track('hopper-flip-dim')));
    const rejected = await call('faces.decide', { proposalIds: [wrong!.id], decision: 'reject' });
    expect(rejected.map((p) => p.state)).toEqual(['rejected']);
    // Another assignment recomputes every proposal: the rejected pair stays out.
    await call('faces.assign', { clipId: clipId('both'), trackId: track('both', 1), subjectId: subjectOf.hopper });
    expect((await call('faces.proposals', {})).some((p) => p.id === wrong!.id)).toBe(false);
    expect((await call('faces.proposals', { states: ['rejected'] })).map((p) => p.id)).toEqual([wrong!.id]);

    const accepted = await call('faces.decide', { proposalIds: (await call('faces.proposals', { subjectId: subjectOf.collins })).map((p) => p.id), decision: 'accept' });
    expect(accepted).toHaveLength(3);
    const detail = await call('subjects.get', { id: subjectOf.collins });
    const appearanceClips = new Set(detail.appearances.map((a) => a.clipId));
    for (const name of ['collins-large', 'collins-small-flip', 'collins-dim', 'both']) expect(appearanceClips.has(clipId(name))).toBe(true);
    const listed = (await call('faces.list', { clipId: clipId('collins-dim') })).tracks.find((t) => t.id === track('collins-dim'));
    expect(listed?.subjectId).toBe(subjectOf.collins);
    const status = await clipSafety(clipId('collins-dim'));
    expect(status.reasons.map((r) => r.code)).not.toContain('appearance-proposed');
    expect(await call('faces.proposals', {})).toEqual([]);
  });

  it('keeps every descriptor sealed: none of its bytes in the vault folder in clear', async () => {
    const vault = await unlockVault(dir, PASS);
    const catalog = await vault.catalog();
    const rows = await catalog.all<{ descriptor_sealed: Uint8Array }>('SELECT descriptor_sealed FROM face_descriptors');
    expect(rows.length).toBeGreaterThanOrEqual(6);
    const needles = rows.slice(0, 3).map((r) => {
      const plain = vault.openValue(r.descriptor_sealed);
      expect(plain.byteLength).toBe(1024 * 4);
      return Buffer.from(plain.subarray(2048, 2080));
    });
    await catalog.close();
    vault.lock();
    for await (const file of walkFiles(dir)) expect(await fileContains(file, needles), file).toBe(false);
  });

  it('forgets a subject\'s face descriptors when they ask, and makes no proposal for them again', async () => {
    const forgotten = await call('faces.forgetSubject', { subjectId: subjectOf.collins });
    expect(forgotten.descriptorsDeleted).toBe(4);
    const vault = await unlockVault(dir, PASS);
    const catalog = await vault.catalog();
    const left = await catalog.all<{ track_id: string }>('SELECT track_id FROM face_descriptors');
    await catalog.close();
    vault.lock();
    expect(left.some((r) => truth.get(r.track_id) === 'collins')).toBe(false);
    expect(left.length).toBeGreaterThan(0);
    // Un-naming one of her faces leaves it without a descriptor to match: nothing is proposed as her.
    await call('faces.assign', { clipId: clipId('collins-dim'), trackId: track('collins-dim'), subjectId: null });
    expect(await call('faces.proposals', { subjectId: subjectOf.collins })).toEqual([]);
  });
});

describe('safehouse faces proposals / accept / reject / group', () => {
  it('prints the documented JSON shapes and decides by proposal id', async () => {
    // A fresh unnamed face of Hopper: un-assign one and it is proposed again as her.
    await call('faces.assign', { clipId: clipId('both'), trackId: track('both', 1), subjectId: null });
    const listed = await cli('faces', 'proposals', '--subject', subjectOf.hopper, '--json');
    expect(listed.code).toBe(0);
    const parsed = JSON.parse(listed.out) as { proposals: Record<string, unknown>[] };
    expect(Object.keys(parsed)).toEqual(['proposals']);
    expect(parsed.proposals).toHaveLength(1);
    expect(Object.keys(parsed.proposals[0]!)).toEqual(['id', 'clipId', 'trackId', 'subjectId', 'score', 'from', 'to']);
    expect(parsed.proposals[0]).toMatchObject({ clipId: clipId('both'), trackId: track('both', 1), subjectId: subjectOf.hopper });

    const groups = JSON.parse((await cli('faces', 'group', '--json')).out) as { groups: unknown[] };
    expect(Array.isArray(groups.groups)).toBe(true);

    const accepted = await cli('faces', 'accept', '--proposal', parsed.proposals[0]!['id'] as string, '--json');
    expect(accepted.code).toBe(0);
    expect(JSON.parse(accepted.out)).toEqual({ ok: true, decided: [{ id: parsed.proposals[0]!['id'], state: 'accepted' }] });
    const again = await cli('faces', 'reject', '--proposal', parsed.proposals[0]!['id'] as string);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/already accepted/);
    const missing = await cli('faces', 'accept');
    expect(missing.code).toBe(2);
  });

  it('lists proposals in words for a person', async () => {
    const text = await cli('faces', 'proposals');
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/No proposals wait/);
    const decided: FaceProposal[] = await call('faces.proposals', { states: ['accepted'] });
    expect(decided.length).toBe(4);
  });
});
