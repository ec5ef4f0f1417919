import { performance } from 'node:perf_hooks';
import { proposeAppearances, type AssignedTrack } from '../../src/main/core/faces/identity-match';

/**
 * Who appears where: the time to match one new track against 10,000 stored, assigned tracks (the producer
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

export async function run(log: (line: string) => void): Promise<void> {
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
