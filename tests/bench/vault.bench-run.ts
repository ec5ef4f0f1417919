import { execFile } from 'node:child_process';
import { createReadStream, createWriteStream, promises as fs } from 'node:fs';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { nativeSodium } from '../../src/main/core/vault/native-sodium';
import { createVault } from '../../src/main/core/vault/vault';

const run$ = promisify(execFile);

/**
 * Vault throughput against baselines measured in the same run: a plain copy of the same bytes, and the
 * `age` tool (Debian package age; X25519 + ChaCha20-Poly1305 in 64 KiB chunks, the same shape of work)
 * encrypting and decrypting the same file. Every leg that writes a file ends with an fsync so they compare
 * alike; "→ discard" legs measure decryption alone (what a proxy, a face scan or a verification needs).
 * "→ write stream" is streamObject's default (a fresh Buffer per batch) piped into a Node write stream.
 * CPU-seconds per GB (user + system, every thread of the process, or the age child) beside each.
 * BENCH_SIZE_MB (default 1024) sets the object size; SAFEHOUSE_NATIVE_SODIUM=0 measures the WebAssembly
 * fallback (what runs where sodium-native cannot load).
 */
export async function run(report: (line: string) => void): Promise<void> {
  const sizeMb = Number(process.env.BENCH_SIZE_MB ?? 1024);
  const size = sizeMb * 1024 * 1024;
  const gb = size / 1e9;
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'sh-bench-'));
  const mb = (bytes: number) => bytes / 1024 / 1024;
  const rssMb = () => mb(process.memoryUsage().rss).toFixed(0);
  try {
    // Source: 16 MiB of random bytes repeated (incompressible per block; generation cost kept out of timings).
    const source = path.join(root, 'source.bin');
    const block = randomBytes(16 * 1024 * 1024);
    const out = await fs.open(source, 'w');
    for (let written = 0; written < size; written += block.length) await out.write(block, 0, Math.min(block.length, size - written));
    await out.sync();
    await out.close();
    const engine = nativeSodium() ? 'sodium-native (libsodium, N-API)' : 'libsodium-wrappers-sumo (WebAssembly)';
    report(`vault bench: ${sizeMb} MiB object, node ${process.version}, ${os.cpus().length} cores, crypto: ${engine}`);

    interface Leg { s: number; cpu: number }
    const line = (label: string, leg: Leg) =>
      report(`  ${label.padEnd(34)} ${leg.s.toFixed(2)} s  ${(sizeMb / leg.s).toFixed(0).padStart(5)} MiB/s  ${(leg.cpu / gb).toFixed(2)} CPU-s/GB  (rss now ${rssMb()} MB)`);
    const timed = async (label: string, fn: () => Promise<void>): Promise<Leg> => {
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      await fn();
      const cpu = process.cpuUsage(cpu0);
      const leg = { s: (performance.now() - t0) / 1000, cpu: (cpu.user + cpu.system) / 1e6 };
      line(label, leg);
      return leg;
    };
    /** A shell command's wall time and its children's CPU time (the shell's `times` builtin). */
    const timedShell = async (label: string, script: string): Promise<Leg> => {
      const t0 = performance.now();
      const { stdout } = await run$('sh', ['-c', `${script}\ntimes`], { cwd: root });
      const s = (performance.now() - t0) / 1000;
      const children = stdout.trim().split('\n').at(-1) ?? '';
      const seconds = [...children.matchAll(/(\d+)m([\d.]+)s/g)].reduce((sum, [, m, sec]) => sum + Number(m) * 60 + Number(sec), 0);
      const leg = { s, cpu: seconds };
      line(label, leg);
      return leg;
    };
    const fsyncFile = async (file: string) => {
      const fh = await fs.open(file, 'r+');
      await fh.sync();
      await fh.close();
    };

    const copyFile = await timed('fs.copyFile + fsync', async () => {
      await fs.copyFile(source, path.join(root, 'copy1.bin'));
      await fsyncFile(path.join(root, 'copy1.bin'));
    });
    const streamCopy = await timed('stream copy + fsync', async () => {
      await pipeline(createReadStream(source, { highWaterMark: 1024 * 1024 }), createWriteStream(path.join(root, 'copy2.bin')));
      await fsyncFile(path.join(root, 'copy2.bin'));
    });
    await fs.rm(path.join(root, 'copy1.bin'));
    await fs.rm(path.join(root, 'copy2.bin'));

    let age: { encrypt: Leg; decrypt: Leg; decryptToFile: Leg } | undefined;
    const ageFound = await run$('age', ['--version']).then(() => true, () => false);
    if (ageFound) {
      await run$('age-keygen', ['-o', 'age-key.txt'], { cwd: root });
      const recipient = /age1[0-9a-z]+/.exec(await fs.readFile(path.join(root, 'age-key.txt'), 'utf8'))![0];
      age = {
        encrypt: await timedShell('age encrypt (file → file) + fsync', `age -r ${recipient} -o source.age source.bin && sync source.age`),
        decrypt: await timedShell('age decrypt (file → discard)', 'age -d -i age-key.txt -o /dev/null source.age'),
        decryptToFile: await timedShell('age decrypt (file → file) + fsync', 'age -d -i age-key.txt -o age-plain.bin source.age && sync age-plain.bin'),
      };
      await fs.rm(path.join(root, 'source.age'));
      await fs.rm(path.join(root, 'age-plain.bin'));
    } else {
      report('  (age not installed: apt-get install age for the age baseline)');
    }

    const vault = await createVault(path.join(root, 'vault'), 'benchmark passphrase, not secret');
    report(`  (vault created; Argon2id ran in a child process, its heap never in this one: rss ${rssMb()} MB)`);
    let id = '';
    const encrypt = await timed('encrypt (file → vault)', async () => {
      // One reused read buffer, as age reads: writer.write() copies into the crypto worker's ring.
      const writer = await vault.createObjectWriter('master', {});
      const input = await fs.open(source, 'r');
      const buffer = Buffer.allocUnsafe(4 * 1024 * 1024);
      for (let got = 1; got > 0; ) {
        ({ bytesRead: got } = await input.read(buffer, 0, buffer.length, null));
        if (got > 0) await writer.write(buffer.subarray(0, got));
      }
      await input.close();
      const result = await writer.commit();
      id = result.id;
      if (result.plainSize !== size) throw new Error('size mismatch');
    });
    const encryptStream = await timed('encrypt (read stream → vault)', async () => {
      const result = await vault.writeObject('master', createReadStream(source, { highWaterMark: 1024 * 1024 }));
      if (result.plainSize !== size) throw new Error('size mismatch');
      await vault.deleteObject(result.id);
    });
    const verify = await timed('verify (decrypt + xxh64, worker)', async () => {
      await vault.digestObject(id);
    });
    const decrypt = await timed('decrypt (vault → discard)', async () => {
      let bytes = 0;
      for await (const chunk of vault.streamObject(id, { borrow: true })) bytes += chunk.length;
      if (bytes !== size) throw new Error('decrypted size mismatch');
    });
    const decrypted = path.join(root, 'decrypted.bin');
    const decryptToFile = await timed('decrypt (vault → file) + fsync', async () => {
      const file = await fs.open(decrypted, 'w');
      // Each write is awaited before the next chunk is asked for, so the chunks can be borrowed views.
      for await (const chunk of vault.streamObject(id, { borrow: true })) await file.write(chunk);
      await file.sync();
      await file.close();
    });
    const decryptToStream = await timed('decrypt (vault → write stream) + fsync', async () => {
      await pipeline(vault.streamObject(id), createWriteStream(path.join(root, 'decrypted2.bin')));
      await fsyncFile(path.join(root, 'decrypted2.bin'));
    });
    if ((await fs.stat(decrypted)).size !== size) throw new Error('decrypted size mismatch');
    vault.lock();

    const ratio = (label: string, a: Leg, b: Leg) =>
      report(`  ratio ${label.padEnd(40)} ${(a.s / b.s).toFixed(2)}× time  (${(a.cpu / gb).toFixed(2)} vs ${(b.cpu / gb).toFixed(2)} CPU-s/GB)`);
    ratio('encrypt (read stream) / stream copy', encryptStream, streamCopy);
    ratio('encrypt / copyFile', encrypt, copyFile);
    ratio('decrypt → file / stream copy', decryptToFile, streamCopy);
    ratio('decrypt → write stream / stream copy', decryptToStream, streamCopy);
    ratio('decrypt → discard / encrypt', decrypt, encrypt);
    ratio('verify / encrypt', verify, encrypt);
    if (age) {
      ratio('encrypt / age encrypt', encrypt, age.encrypt);
      ratio('decrypt → discard / age decrypt → discard', decrypt, age.decrypt);
      ratio('verify / age decrypt → discard', verify, age.decrypt);
      ratio('decrypt → file / age decrypt → file', decryptToFile, age.decryptToFile);
    }
    report(`  peak RSS (maxRSS)                  ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
  } finally {
    await fs.rm(root, { recursive: true, force: true });
  }
}
