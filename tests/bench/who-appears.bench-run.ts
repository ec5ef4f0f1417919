import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createSafehouse } from '../../src/main/core/app';
import { MATCH_THRESHOLD } from '../../src/main/core/faces/proposals';
import { proposeAppearances, scoreProposals, similarity, type AssignedTrack } from '../../src/main/core/faces/identity-match';
import { findMediaTools } from '../../src/main/core/media/media-tools';
import { createVault, unlockVault } from '../../src/main/core/vault/vault';
import { addVerifiedClip } from '../integration/proxies/proxy-fixture';
// @ts-expect-error -- plain ESM script without type declarations
import { makePeopleClip, peopleSet } from '../../scripts/fixtures/make-people-clip.mjs';

/**
 * Who appears where, part 1: precision and recall of the proposals on the repo's generated set (two
 * public-domain faces, each in several clips at other sizes, mirrored, darker, and together), after one face of
 * each person is named, at the shipped threshold and at others; and the similarity of every pair of tracks of
 * the same and of different people, which is what the threshold is chosen from.
 *
 * Part 2: the time to match one new track against 10,000 stored, assigned tracks (the producer
 * assigns one track and every other track in the vault is compared with it). Baseline in the same run: one
 * plain pass that sums the same 10,000 × 1024 floats, the least any exhaustive match can cost. Descriptors are
 * random unit vectors of the face-description model's size; the cost does not depend on their values.
 */
const STORED = 10_000;
const DIMENSIONS = 1024;
const ROUNDS = 7;

function randomUnit(seed: number): Float32Array {
  const v = new Float32Array(DIMENSIONS);
  let x = seed * 2654435761;
  for (let i = 0; i < DIMENSIONS; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    v[i] = x / 2 ** 32 - 0.5;
  }
  return v;
}

function best(times: number[]): number {
  return Math.min(...times);
}

interface SetClip {
  name: string;
  people: { who: 'collins' | 'hopper'; cx: number; size: number; flip?: boolean; dim?: boolean }[];
}

/** The set at two picture sizes, with each clip's people placed again at other sizes: 24 clips. */
function measuredSet(): { spec: SetClip; width: number; height: number }[] {
  const out: { spec: SetClip; width: number; height: number }[] = [];
  for (const [width, height] of [[640, 360], [1280, 720]] as const) {
    for (const spec of peopleSet() as SetClip[]) {
      out.push({ spec, width, height });
      out.push({ spec: { name: `${spec.name}-smaller`, people: spec.people.map((p) => ({ ...p, size: p.size * 0.7 })) }, width, height });
    }
  }
  return out;
}

async function measureProposals(log: (line: string) => void): Promise<void> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'sh-who-bench-'));
  const passphrase = 'who appears bench passphrase, not secret';
  try {
    const dir = path.join(root, 'vault');
    const tools = await findMediaTools();
    const vault = await createVault(dir, passphrase);
    const clips: { id: string; spec: SetClip }[] = [];
    for (const { spec, width, height } of measuredSet()) {
      const bytes = (await makePeopleClip({ ffmpeg: tools.ffmpeg, width, height, seconds: 2, people: spec.people })) as Buffer;
      clips.push({ id: (await addVerifiedClip(vault, bytes, { durationSeconds: 2 })).id, spec });
    }
    await (await vault.catalog()).close();
    vault.lock();
    const app = createSafehouse({ autoLockMinutes: null });
    try {
      const call = async (name: string, input: unknown) => {
        const result = await app.call(name as never, input);
        if (!result.ok) throw new Error(`${name}: ${result.error.message}`);
        return result.value as never;
      };
      await call('vault.unlock', { dir, passphrase });
      const started = performance.now();
      await call('faces.scan', { wait: true });
      const scanSeconds = (performance.now() - started) / 1000;
      const truth = new Map<string, string>();
      const trackClip = new Map<string, string>();
      let missed = 0;
      for (const clip of clips) {
        const { tracks } = (await call('faces.list', { clipId: clip.id })) as { tracks: { id: string; keyframes: { x: number; w: number }[] }[] };
        const centre = (t: (typeof tracks)[number]) => t.keyframes.reduce((sum, k) => sum + k.x + k.w / 2, 0) / t.keyframes.length;
        for (const person of clip.spec.people) {
          const nearest = [...tracks].sort((a, b) => Math.abs(centre(a) - person.cx) - Math.abs(centre(b) - person.cx))[0];
          if (nearest && Math.abs(centre(nearest) - person.cx) < 0.15) {
            truth.set(nearest.id, person.who);
            trackClip.set(nearest.id, clip.id);
          } else missed++;
        }
      }
      // Pairwise similarity of every described track, from the sealed descriptors (opened here for measuring only).
      const opened = await unlockVault(dir, passphrase);
      const catalog = await opened.catalog();
      const rows = await catalog.all<{ track_id: string; descriptor_sealed: Uint8Array }>('SELECT track_id, descriptor_sealed FROM face_descriptors');
      const described = rows
        .filter((r) => truth.has(r.track_id))
        .map((r) => {
          const bytes = opened.openValue(r.descriptor_sealed);
          const v = new Float32Array(bytes.byteLength / 4);
          new Uint8Array(v.buffer).set(bytes);
          return { who: truth.get(r.track_id)!, v };
        });
      await catalog.close();
      opened.lock();
      const same: number[] = [];
      const different: number[] = [];
      for (let i = 0; i < described.length; i++) {
        for (let j = i + 1; j < described.length; j++) (described[i]!.who === described[j]!.who ? same : different).push(similarity(described[i]!.v, described[j]!.v));
      }
      const range = (xs: number[]) => (xs.length ? `${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)}` : 'n/a');
      log(`generated set: ${clips.length} clips (640×360 and 1280×720), ${truth.size} labelled face tracks, ${missed} placed faces without a track; scan ${scanSeconds.toFixed(1)} s`);
      log(`track similarity: same person ${range(same)} (${same.length} pairs), different people ${range(different)} (${different.length} pairs)`);

      // Name the first track of each person (the largest, 640×360), then measure what is proposed.
      const subjects: Record<string, string> = {};
      for (const who of ['collins', 'hopper']) {
        subjects[who] = ((await call('subjects.create', { pseudonym: `bench ${who}` })) as { id: string }).id;
        const first = clips.find((c) => c.spec.people.length === 1 && c.spec.people[0]!.who === who)!;
        const trackId = [...truth].find(([id, w]) => w === who && trackClip.get(id) === first.id)?.[0];
        if (!trackId) throw new Error(`no track of ${who} to name`);
        await call('faces.assign', { clipId: first.id, trackId, subjectId: subjects[who] });
        truth.delete(trackId);
      }
      const proposals = (await call('faces.proposals', {})) as { trackId: string; subjectId: string; score: number; clipId: string; from: number; to: number; id: string }[];
      const expected = new Map([...truth].map(([id, who]) => [id, subjects[who] ?? null]));
      const shipped = scoreProposals(proposals, expected, new Set(Object.values(subjects)));
      log(`proposals at the shipped threshold ${MATCH_THRESHOLD}: precision ${shipped.precision.toFixed(3)}, recall ${shipped.recall.toFixed(3)} (${shipped.truePositives} right of ${shipped.proposed} proposed, ${shipped.expected} expected)`);
      // Other thresholds, told by the pair scores: what share of same-person pairs a threshold keeps and lets through.
      for (const t of [0.5, 0.6, 0.8, 0.9]) {
        const tp = same.filter((s) => s >= t).length;
        const fp = different.filter((s) => s >= t).length;
        log(`  pairs at threshold ${t}: same-person pairs kept ${((tp / Math.max(1, same.length)) * 100).toFixed(1)} %, different-people pairs let through ${((fp / Math.max(1, different.length)) * 100).toFixed(1)} %`);
      }
    } finally {
      await app.close();
    }
  } finally {
    await fs.rm(root, { recursive: true, force: true });
  }
}

export async function run(log: (line: string) => void): Promise<void> {
  await measureProposals(log);
  const assigned: AssignedTrack[] = [];
  for (let i = 0; i < STORED; i++) assigned.push({ trackId: `t${i}`, clipId: `c${i % 2000}`, subjectId: `s${i % 300}`, from: 0, to: 5, descriptor: randomUnit(i + 1) });
  const query = { trackId: 'new', clipId: 'c-new', from: 0, to: 5, descriptor: randomUnit(999_999) };
  const flat = new Float32Array(STORED * DIMENSIONS);
  assigned.forEach((a, i) => flat.set(a.descriptor, i * DIMENSIONS));

  const matchTimes: number[] = [];
  const baseTimes: number[] = [];
  let cpuMatch = 0;
  for (let round = 0; round < ROUNDS; round++) {
    let t = performance.now();
    let sum = 0;
    for (let i = 0; i < flat.length; i++) sum += flat[i]!;
    baseTimes.push(performance.now() - t);
    if (!Number.isFinite(sum)) throw new Error('baseline sum is not finite');

    const cpu = process.cpuUsage();
    t = performance.now();
    proposeAppearances({ assigned, candidates: [query], rejected: [], threshold: 0.99 });
    matchTimes.push(performance.now() - t);
    const used = process.cpuUsage(cpu);
    cpuMatch += (used.user + used.system) / 1e6;
  }
  const matchMs = best(matchTimes);
  const baseMs = best(baseTimes);
  const gigabytes = (flat.byteLength / 1e9) * ROUNDS;
  log(`match 1 track against ${STORED.toLocaleString('en')} stored (${DIMENSIONS} values each): best ${matchMs.toFixed(1)} ms of ${ROUNDS}`);
  log(`baseline (one pass summing the same floats): best ${baseMs.toFixed(1)} ms; ratio ${(matchMs / baseMs).toFixed(2)}`);
  log(`CPU: ${(cpuMatch / gigabytes).toFixed(2)} CPU-seconds per GB of descriptors scanned`);
}
