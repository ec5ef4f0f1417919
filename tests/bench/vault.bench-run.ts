import { createReadStream, createWriteStream, promises as fs } from 'node:fs';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createVault } from '../../src/main/core/vault/vault';

/**
 * Vault throughput vs a plain copy of the same bytes, plus peak RSS.
 * BENCH_SIZE_MB (default 1024) sets the object size. Every leg ends with an fsync so they compare alike.
 */
export async function run(report: (line: string) => void): Promise<void> {
  const sizeMb = Number(process.env.BENCH_SIZE_MB ?? 1024);
  const size = sizeMb * 1024 * 1024;
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
    report(`vault bench: ${sizeMb} MiB object, node ${process.version}, ${os.cpus().length} cores`);

    const timed = async (label: string, fn: () => Promise<void>): Promise<number> => {
      const t0 = performance.now();
      await fn();
      const s = (performance.now() - t0) / 1000;
      report(`  ${label.padEnd(28)} ${s.toFixed(2)} s  ${(sizeMb / s).toFixed(0)} MiB/s  (rss now ${rssMb()} MB)`);
      return s;
    };
    const fsyncFile = async (file: string) => {
      const fh = await fs.open(file, 'r+');
      await fh.sync();
      await fh.close();
    };

    const copyFileS = await timed('fs.copyFile + fsync', async () => {
      await fs.copyFile(source, path.join(root, 'copy1.bin'));
      await fsyncFile(path.join(root, 'copy1.bin'));
    });
    const streamCopyS = await timed('stream copy + fsync', async () => {
      await pipeline(createReadStream(source, { highWaterMark: 1024 * 1024 }), createWriteStream(path.join(root, 'copy2.bin')));
      await fsyncFile(path.join(root, 'copy2.bin'));
    });
    await fs.rm(path.join(root, 'copy1.bin'));
    await fs.rm(path.join(root, 'copy2.bin'));

    const vault = await createVault(path.join(root, 'vault'), 'benchmark passphrase, not secret');
    report(`  (vault created; Argon2id ran in a child process, its heap never in this one: rss ${rssMb()} MB)`);
    let id = '';
    const encryptS = await timed('encrypt (stream → vault)', async () => {
      const result = await vault.writeObject('master', createReadStream(source, { highWaterMark: 1024 * 1024 }));
      id = result.id;
      if (result.plainSize !== size) throw new Error('size mismatch');
    });
    const decrypted = path.join(root, 'decrypted.bin');
    const decryptS = await timed('decrypt (vault → file)', async () => {
      await pipeline(vault.streamObject(id), createWriteStream(decrypted));
      await fsyncFile(decrypted);
    });
    if ((await fs.stat(decrypted)).size !== size) throw new Error('decrypted size mismatch');
    vault.lock();

    report(`  ratio encrypt / stream copy   ${(encryptS / streamCopyS).toFixed(2)}×  (vs copyFile ${(encryptS / copyFileS).toFixed(2)}×)`);
    report(`  ratio decrypt / stream copy   ${(decryptS / streamCopyS).toFixed(2)}×  (vs copyFile ${(decryptS / copyFileS).toFixed(2)}×)`);
    report(`  peak RSS (maxRSS)             ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
  } finally {
    await fs.rm(root, { recursive: true, force: true });
  }
}
