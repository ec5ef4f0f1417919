import { spawnSync } from 'node:child_process';
import { existsSync, promises as fs, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
// @ts-expect-error -- plain ESM script without type declarations
import { makeCard } from '../../scripts/fixtures/make-card.mjs';
import { findMediaTools } from '../../src/main/core/media/media-tools';
import { offloadCard } from '../../src/main/core/ingest/offload';
import { createVault } from '../../src/main/core/vault/vault';

/**
 * Offload of a generated card of H.264 clips (BENCH_CARD_MB, default 2048) against the plain baseline
 * measured in the same run on the same card: `cp -r` followed by `sha256sum` of every copied file. Prints
 * the ratio, CPU time, and peak RSS of this process (ffmpeg children are separate processes, reported
 * from their own accounting via RUSAGE_CHILDREN).
 */
export async function run(report: (line: string) => void): Promise<void> {
  const cardMb = Number(process.env['BENCH_CARD_MB'] ?? 2048);
  const cacheDir = path.join(os.tmpdir(), `safehouse-bench-card-${cardMb}`);
  const card = path.join(cacheDir, 'CARD');
  if (!existsSync(path.join(cacheDir, 'done'))) {
    report(`generating a ${cardMb} MB card (cached in ${cacheDir})…`);
    await fs.rm(cacheDir, { recursive: true, force: true });
    await fs.mkdir(cacheDir, { recursive: true });
    makeCard(card, { sizeMb: cardMb });
    await fs.writeFile(path.join(cacheDir, 'done'), '');
  }
  const cardBytes = Number(spawnSync('du', ['-sb', card], { encoding: 'utf8' }).stdout.split('\t')[0]);
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'sh-bench-ingest-'));
  try {
    // Warm the page cache the same way for both legs: read the card once before timing either.
    spawnSync('sh', ['-c', `cat $(find "${card}" -type f) > /dev/null`]);

    const t0 = performance.now();
    const copy = spawnSync('sh', ['-c', `cp -r "${card}" "${work}/copy" && find "${work}/copy" -type f -print0 | xargs -0 sha256sum > /dev/null && sync`]);
    const baseline = (performance.now() - t0) / 1000;
    if (copy.status !== 0) throw new Error(`baseline failed: ${copy.stderr.toString()}`);
    await fs.rm(path.join(work, 'copy'), { recursive: true, force: true });

    const tools = await findMediaTools();
    const vault = await createVault(path.join(work, 'vault'), 'benchmark passphrase only');
    const cpuBefore = process.cpuUsage();
    const childrenBefore = childCpuSeconds();
    // maxRSS below is the whole process's lifetime peak (createVault's Argon2id runs in a child process,
    // so its heap is not in it); this samples the ingest itself.
    const rssBefore = process.memoryUsage().rss;
    let ingestPeak = rssBefore;
    const sampler = setInterval(() => {
      ingestPeak = Math.max(ingestPeak, process.memoryUsage().rss);
    }, 100);
    const t1 = performance.now();
    const result = await offloadCard(vault, tools, card, { label: 'bench' }).finally(() => clearInterval(sampler));
    spawnSync('sync');
    const ingest = (performance.now() - t1) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    vault.lock();

    const mb = cardBytes / 1_000_000;
    report(`card: ${mb.toFixed(0)} MB in ${result.results.length} files (${result.counts.verified} verified, ${result.counts.failed} failed), ${os.cpus().length} cores`);
    report(`baseline cp -r + sha256sum: ${baseline.toFixed(1)} s (${(mb / baseline).toFixed(0)} MB/s)`);
    report(`safehouse ingest:           ${ingest.toFixed(1)} s (${(mb / ingest).toFixed(0)} MB/s)`);
    report(`ratio ingest / baseline:    ${(ingest / baseline).toFixed(2)}  (target <= 2.0)`);
    report(`cpu: node ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s, ffmpeg/ffprobe children ${(childCpuSeconds() - childrenBefore).toFixed(1)} s`);
    report(`peak RSS of the ingest process: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB (target < 400 MB)`);
    report(`  of which during the ingest:   ${(ingestPeak / 1024 / 1024).toFixed(0)} MB (sampled every 100 ms; ${(rssBefore / 1024 / 1024).toFixed(0)} MB before it began: Node, Vite's module loader, the vault)`);
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}

/** CPU seconds of terminated children of this process, from /proc (utime+stime of cutime/cstime). */
function childCpuSeconds(): number {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
    const ticks = Number(fields[14]) + Number(fields[15]);
    return ticks / 100;
  } catch {
    return 0;
  }
}
