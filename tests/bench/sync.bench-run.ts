import { CompleteMultipartUploadCommand, CreateMultipartUploadCommand, GetObjectCommand, PutObjectCommand, S3Client, UploadPartCommand } from '@aws-sdk/client-s3';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { DEFAULT_PART_BYTES, createS3Carrier } from '../../src/main/core/sync/s3-carrier';
import { makeNextRecord } from '../../src/main/core/sync/field-records';
import { enrollDevice } from '../../src/main/core/sync/devices';
import { pullVault } from '../../src/main/core/sync/pull';
import { pushVault } from '../../src/main/core/sync/push';
import { createVault, unlockVault } from '../../src/main/core/vault/vault';

/**
 * Sync push and pull of a field vault through a local S3 emulator (s3rver, its own process on the
 * loopback) against plain PutObject / GetObject of the same object files in the same run, with CPU-seconds
 * per GB (this process only: the emulator's work is the same in both legs) and peak RSS.
 * BENCH_SYNC_MB (default 2048) sets the vault size; BENCH_SYNC_OBJECT_MB (default 256) the size of each master.
 */

const MIB = 1024 * 1024;

async function startEmulator(dir: string, bucket: string): Promise<{ child: ChildProcess; endpoint: string }> {
  const child = spawn(process.execPath, [fileURLToPath(new URL('../../scripts/bench/s3rver-child.mjs', import.meta.url)), dir, bucket], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.once('data', (chunk: Buffer) => resolve((JSON.parse(chunk.toString('utf8')) as { port: number }).port));
    child.once('exit', (code) => reject(new Error(`s3rver exited (${code})`)));
  });
  return { child, endpoint: `http://127.0.0.1:${port}` };
}

/** Wall time, CPU seconds of this process and the highest RSS sampled while `fn` runs. */
async function measure(fn: () => Promise<void>): Promise<{ seconds: number; cpu: number; peakRssMb: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 25);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  try {
    await fn();
  } finally {
    clearInterval(timer);
  }
  const cpu = process.cpuUsage(cpu0);
  peak = Math.max(peak, process.memoryUsage().rss);
  return { seconds: (performance.now() - t0) / 1000, cpu: (cpu.user + cpu.system) / 1e6, peakRssMb: peak / MIB };
}

export async function run(report: (line: string) => void): Promise<void> {
  const sizeMb = Number(process.env['BENCH_SYNC_MB'] ?? 2048);
  const objectMb = Math.min(sizeMb, Number(process.env['BENCH_SYNC_OBJECT_MB'] ?? 256));
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'sh-bench-sync-'));
  process.env['AWS_ACCESS_KEY_ID'] = 'S3RVER';
  process.env['AWS_SECRET_ACCESS_KEY'] = 'S3RVER';
  const emulator = await startEmulator(path.join(root, 's3'), 'bench');
  const client = new S3Client({ endpoint: emulator.endpoint, forcePathStyle: true, region: 'us-east-1', requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' });
  try {
    // HQ and a field vault sealed to it; the field vault holds `sizeMb` of masters (random, incompressible).
    const passphrase = 'benchmark passphrase, not secret';
    const hq = await createVault(path.join(root, 'hq'), passphrase);
    const hqCard = hq.exportRecipientCard();
    const field = await createVault(path.join(root, 'field'), passphrase, { kind: 'field', hqRecipientCard: hqCard });
    const fieldCard = JSON.stringify(field.exportRecipientCard());
    const block = randomBytes(16 * MIB);
    const catalog = await field.catalog();
    await catalog.run("INSERT INTO cards (id, created_at) VALUES ('bench-card', ?)", [new Date().toISOString()]);
    const objectIds: string[] = [];
    for (let made = 0, n = 1; made < sizeMb; made += objectMb, n += 1) {
      const mb = Math.min(objectMb, sizeMb - made);
      const blocks = async function* () {
        for (let left = mb * MIB; left > 0; left -= block.length) yield block.subarray(0, Math.min(block.length, left));
      };
      const written = await field.writeObject('master', blocks());
      objectIds.push(written.id);
      await catalog.run('INSERT INTO objects (id, class, plain_size, created_at) VALUES (?, ?, ?, ?)', [written.id, 'master', written.plainSize, 'now']);
      await catalog.run(
        "INSERT INTO clips (id, card_id, code, kind, status, master_object_id, size, created_at, verified_at) VALUES (?, 'bench-card', ?, 'video', 'verified', ?, ?, 'now', 'now')",
        [`clip${n}`, `C${String(n).padStart(4, '0')}`, written.id, written.plainSize],
      );
    }
    const files = objectIds.map((id) => field.objectFile(id));
    const bytes = (await Promise.all(files.map((file) => fs.stat(file)))).reduce((sum, info) => sum + info.size, 0);
    const gb = bytes / 1e9;
    report(`sync bench: ${files.length} objects, ${(bytes / MIB).toFixed(0)} MiB sealed, node ${process.version}, ${os.cpus().length} cores, s3rver on the loopback`);
    const line = (label: string, m: { seconds: number; cpu: number; peakRssMb: number }, base?: { seconds: number }) =>
      report(
        `  ${label.padEnd(34)} ${m.seconds.toFixed(2)} s  ${(bytes / MIB / m.seconds).toFixed(0)} MiB/s  ${(m.cpu / gb).toFixed(2)} CPU-s/GB  peak RSS ${m.peakRssMb.toFixed(0)} MB` +
          (base ? `  ratio ${(m.seconds / base.seconds).toFixed(2)}× baseline` : ''),
      );

    const put = await measure(async () => {
      for (const [i, file] of files.entries()) {
        const { size } = await fs.stat(file);
        await client.send(new PutObjectCommand({ Bucket: 'bench', Key: `baseline/${i}`, Body: createReadStream(file, { highWaterMark: MIB }), ContentLength: size }));
      }
    });
    line('baseline PutObject (same files)', put);
    // A second baseline: the same files as bare multipart uploads (same part size, no hash, no MD5, no
    // check), to show what the emulator's multipart completion costs by itself (s3rver rewrites every part
    // into the final object; AWS and MinIO complete an upload without copying it).
    const multipart = await measure(async () => {
      for (const [i, file] of files.entries()) {
        const { size } = await fs.stat(file);
        const key = `baseline-mp/${i}`;
        const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: 'bench', Key: key }));
        const parts: { PartNumber: number; ETag: string }[] = [];
        const handle = await fs.open(file, 'r');
        for (let at = 0, n = 1; at < size; at += DEFAULT_PART_BYTES, n += 1) {
          const body = Buffer.allocUnsafe(Math.min(DEFAULT_PART_BYTES, size - at));
          await handle.read(body, 0, body.length, at);
          const sent = await client.send(new UploadPartCommand({ Bucket: 'bench', Key: key, UploadId, PartNumber: n, Body: body, ContentLength: body.length }));
          parts.push({ PartNumber: n, ETag: sent.ETag! });
        }
        await handle.close();
        await client.send(new CompleteMultipartUploadCommand({ Bucket: 'bench', Key: key, UploadId, MultipartUpload: { Parts: parts } }));
      }
    });
    line('baseline multipart (bare)', multipart, put);
    const carrier = createS3Carrier({ bucket: 'bench', prefix: 'sync/', label: 's3://bench/sync/', endpoint: emulator.endpoint });
    const record = await measure(async () => {
      if ((await makeNextRecord(field)) !== 1) throw new Error('no record made');
    });
    line('  of which: record (BLAKE2b of files)', record);
    const upload = await measure(async () => {
      const result = await pushVault(field, carrier);
      if (result.objects.sent !== files.length) throw new Error(`push sent ${result.objects.sent} objects`);
    });
    line('  of which: upload (parts, MD5, check)', upload, multipart);
    const push = { seconds: record.seconds + upload.seconds, cpu: record.cpu + upload.cpu, peakRssMb: Math.max(record.peakRssMb, upload.peakRssMb) };
    line('sync push (record + upload)', push, put);
    const again = await measure(async () => {
      const result = await pushVault(field, carrier);
      if (result.objects.sent !== 0) throw new Error('second push re-sent objects');
    });
    line('sync push again (nothing to send)', again);

    const getDir = path.join(root, 'get');
    await fs.mkdir(getDir);
    const get = await measure(async () => {
      for (const [i] of files.entries()) {
        const got = await client.send(new GetObjectCommand({ Bucket: 'bench', Key: `baseline/${i}` }));
        await pipeline(got.Body as Readable, createWriteStream(path.join(getDir, String(i))));
      }
    });
    line('baseline GetObject → file', get);
    await fs.rm(getDir, { recursive: true, force: true });

    const hqSession = await unlockVault(path.join(root, 'hq'), passphrase);
    await enrollDevice(hqSession, fieldCard);
    const pull = await measure(async () => {
      const result = await pullVault(hqSession, carrier);
      if (result.clipsAdded !== files.length) throw new Error(`pull added ${result.clipsAdded} clips`);
    });
    line('sync pull (hash, decrypt-verify, merge)', pull, get);
    carrier.close();
    hqSession.lock();
    hq.lock();
    field.lock();
  } finally {
    client.destroy();
    emulator.child.kill('SIGTERM');
    await new Promise((resolve) => emulator.child.once('exit', resolve));
    await fs.rm(root, { recursive: true, force: true });
  }
}
