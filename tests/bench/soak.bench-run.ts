import { spawn, spawnSync } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
// @ts-expect-error -- plain ESM script without type declarations
import { makeCard } from '../../scripts/fixtures/make-card.mjs';

/**
 * Soak: many offloads, exports, reviews and consent changes through the built `safehouse` command, each
 * run SIGKILLed at a random moment with some probability, then every card offloaded once more to the end,
 * and the vault must pass `verify --deep` and `audit verify`. Prints what it did: runs, kills, clips,
 * failures. Bounded by SOAK_SECONDS (default 180) for the random part; SOAK_CARDS cards (default 3).
 */

const CLI = path.resolve('out/main/cli.js');
const PASS_ENV = 'SAFEHOUSE_SOAK_PASSPHRASE';

interface RunResult {
  code: number | null;
  killed: boolean;
  stdout: string;
  stderr: string;
}

/** Seeded, so a run can be repeated: SOAK_SEED. */
function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x1_0000_0000;
  };
}

function runCli(args: string[], killAfterMs: number | null): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, [PASS_ENV]: 'soak test passphrase only' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let killed = false;
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = killAfterMs === null ? null : setTimeout(() => {
      killed = child.kill('SIGKILL');
    }, killAfterMs);
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      resolve({ code, killed, stdout, stderr });
    });
  });
}

async function prepareCards(count: number, report: (line: string) => void): Promise<string[]> {
  const cacheDir = path.join(os.tmpdir(), `safehouse-soak-cards-${count}`);
  if (!existsSync(path.join(cacheDir, 'done'))) {
    report(`generating ${count} cards (cached in ${cacheDir})…`);
    await fs.rm(cacheDir, { recursive: true, force: true });
    for (let i = 0; i < count; i += 1) {
      const card = path.join(cacheDir, `CARD${i}`);
      makeCard(card);
      // The generator is deterministic: tag each card's videos so its clips are its own, not duplicates
      // the offload would recognise by content.
      for (const file of await videoFiles(card)) {
        const tagged = `${file}.tagged${path.extname(file)}`;
        const remux = spawnSync('ffmpeg', ['-v', 'error', '-i', file, '-map', '0', '-c', 'copy', '-metadata', `comment=soak card ${i}`, '-y', tagged]);
        if (remux.status === 0) await fs.rename(tagged, file);
        else await fs.rm(tagged, { force: true });
      }
    }
    await fs.writeFile(path.join(cacheDir, 'done'), '');
  }
  return Array.from({ length: count }, (_, i) => path.join(cacheDir, `CARD${i}`));
}

async function videoFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await videoFiles(full)));
    else if (entry.isFile() && /\.(mp4|mov)$/i.test(entry.name) && !entry.name.startsWith('.')) out.push(full);
  }
  return out;
}

export async function run(report: (line: string) => void): Promise<void> {
  if (!existsSync(CLI)) throw new Error('out/main/cli.js is missing: run `npm run build` first (npm run bench does)');
  const budgetMs = Number(process.env['SOAK_SECONDS'] ?? 180) * 1000;
  const seed = Number(process.env['SOAK_SEED'] ?? Date.now() % 100_000);
  const rand = random(seed);
  const pick = <T>(items: T[]): T => items[Math.floor(rand() * items.length)]!;
  const cards = await prepareCards(Number(process.env['SOAK_CARDS'] ?? 3), report);
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'sh-soak-'));
  const vault = path.join(work, 'vault');
  const auth = ['--vault', vault, '--passphrase-env', PASS_ENV];
  const stats = { runs: 0, kills: 0, failures: [] as string[], byAction: new Map<string, { runs: number; kills: number }>() };

  const act = async (action: string, args: string[], killChance: number, okCodes = [0]): Promise<RunResult> => {
    // Kills land anywhere from the unlock (Argon2id) to the end of the work.
    const killAfter = rand() < killChance ? 200 + rand() * 10_000 : null;
    const result = await runCli(args, killAfter);
    const entry = stats.byAction.get(action) ?? { runs: 0, kills: 0 };
    entry.runs += 1;
    stats.runs += 1;
    if (result.killed) {
      entry.kills += 1;
      stats.kills += 1;
    } else if (!okCodes.includes(result.code ?? -1)) {
      stats.failures.push(`${action} exited ${result.code}: ${(result.stderr || result.stdout).trim().split('\n').slice(-2).join(' | ').slice(0, 300)}`);
    }
    stats.byAction.set(action, entry);
    return result;
  };
  const listClips = async (): Promise<{ id: string; status: string; kind: string }[]> => {
    const listed = await runCli(['clips', ...auth, '--json'], null);
    return listed.code === 0 ? (JSON.parse(listed.stdout) as { id: string; status: string; kind: string }[]) : [];
  };

  try {
    const init = await runCli(['init', ...auth], null);
    if (init.code !== 0) throw new Error(`safehouse init failed: ${init.stderr}`);
    const subject = await runCli(['subjects', 'add', ...auth, '--pseudonym', 'Soak subject', '--protect', 'face'], null);
    if (subject.code !== 0) throw new Error(`subjects add failed: ${subject.stderr}`);
    const subjectId = subject.stdout.trim();
    const started = Date.now();
    let exportCount = 0;
    const appeared = new Set<string>();
    const plan = ['ingest', 'export master', 'consent', 'ingest', 'proxies', 'verify'];
    let turn = 0;
    // ingest exits 1 when a file was quarantined or failed, which a killed earlier run can legitimately cause
    // (it says why); the final checks are what must hold.
    while (Date.now() - started < budgetMs) {
      const clips = (await listClips()).filter((clip) => clip.status === 'verified');
      // Every kind of run in turn (offloads twice as often), each with its random kill.
      const step = plan[turn++ % plan.length]!;
      if (step === 'ingest' || clips.length === 0) {
        // Mostly without proxies (they are made per clip below), so more offloads fit in the time.
        await act('ingest', ['ingest', pick(cards), ...auth, '--json', ...(rand() < 0.7 ? ['--no-proxies'] : [])], 0.5, [0, 1]);
      } else if (step === 'export master') {
        const clip = pick(clips);
        const extension = { video: 'mp4', audio: 'mov', still: 'jpg' }[clip.kind] ?? 'mov';
        await act('export master', ['export', 'master', ...auth, '--clip', clip.id, '--out', path.join(work, `master-${exportCount++}.${extension}`)], 0.3);
      } else if (step === 'proxies') {
        const clip = pick(clips);
        await act('review', ['review', ...auth, '--clip', clip.id, '--no-people'], 0.2);
        // exit 1 when a proxy could not be made (a killed earlier build is rebuilt here or next time)
        await act('proxies build', ['proxies', 'build', ...auth, '--clip', clip.id], 0.3, [0, 1]);
        // refused (exit 1) while its proxy is stale or missing: the export says why
        await act('export proxies', ['export', 'proxies', ...auth, '--clip', clip.id, '--out', path.join(work, `to-editor-${exportCount++}`), '--to', 'Editor'], 0.3, [0, 1]);
      } else if (step === 'consent') {
        const unlinked = clips.filter((clip) => !appeared.has(clip.id));
        if (unlinked.length > 0 && rand() < 0.3) {
          const clip = pick(unlinked);
          appeared.add(clip.id);
          await act('appear', ['appear', ...auth, '--clip', clip.id, '--subject', subjectId], 0.2);
        }
        await act('consent', ['subjects', 'consent', ...auth, '--subject', subjectId, '--state', pick(['pending', 'given', 'conditional', 'withdrawn'])], 0.3);
      } else {
        await act('verify', ['verify', ...auth], 0.3);
      }
    }
    const randomSeconds = (Date.now() - started) / 1000;

    // Every card once more, to the end: what the kills interrupted must resume and complete.
    for (const card of cards) await act('final ingest', ['ingest', card, ...auth, '--json'], 0, [0, 1]);
    const finalClips = await listClips();
    const statuses = new Map<string, number>();
    for (const clip of finalClips) statuses.set(clip.status, (statuses.get(clip.status) ?? 0) + 1);
    const deep = await runCli(['verify', ...auth, '--deep', '--json'], null);
    const audit = await runCli(['audit', 'verify', ...auth, '--json'], null);
    const verification = JSON.parse(deep.stdout) as { verification?: { objects: { recorded: number; contentChecked: number }; unrecorded: string[]; damaged: unknown[] } };

    report(`seed ${seed}; ${randomSeconds.toFixed(0)} s of random runs on ${cards.length} cards, ${os.cpus().length} cores`);
    report(`runs: ${stats.runs}, SIGKILLed: ${stats.kills}`);
    for (const [action, entry] of stats.byAction) report(`  ${action.padEnd(15)} ${String(entry.runs).padStart(4)} runs, ${String(entry.kills).padStart(3)} killed`);
    report(`clips: ${finalClips.length} (${[...statuses].map(([status, n]) => `${n} ${status}`).join(', ')})`);
    report(`failures (unkilled runs with an unexpected exit): ${stats.failures.length}`);
    for (const failure of stats.failures.slice(0, 10)) report(`  ${failure}`);
    const v = verification.verification;
    report(`verify --deep: exit ${deep.code}; ${v ? `${v.objects.recorded} objects, ${v.objects.contentChecked} decrypted and compared, ${v.damaged.length} damaged, ${v.unrecorded.length} unrecorded (left by kills)` : deep.stdout.slice(0, 300)}`);
    report(`audit verify: exit ${audit.code}; ${audit.stdout.slice(0, 200).replace(/\s+/g, ' ')}`);
    const pending = statuses.get('pending') ?? 0;
    if (deep.code !== 0 || audit.code !== 0 || pending > 0 || stats.failures.length > 0) {
      throw new Error(`soak failed: verify --deep exit ${deep.code}, audit verify exit ${audit.code}, ${pending} clips left pending, ${stats.failures.length} failures`);
    }
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}
