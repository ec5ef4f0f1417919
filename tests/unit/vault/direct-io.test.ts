import { constants, promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAppendFile, DIRECT_BUFFER_BYTES, openSequentialReader } from '../../../src/main/core/vault/direct-io';
import { patternBytes, tempDir } from './helpers';

// Object files bypass the page cache where the filesystem allows (O_DIRECT: aligned memory, whole blocks,
// the last one padded and cut back). Whichever way a file goes, it must hold exactly the bytes appended and
// read back exactly.
let dir: string;
let directSupported: boolean;
beforeAll(async () => {
  dir = await tempDir('sh-direct-');
  const O_DIRECT = (constants as Record<string, number | undefined>)['O_DIRECT'];
  directSupported = O_DIRECT !== undefined && (await fs.open(path.join(dir, 'probe'), constants.O_WRONLY | constants.O_CREAT | O_DIRECT).then(async (fh) => (await fh.close(), true), () => false));
});
afterEach(() => {
  delete process.env['SAFEHOUSE_DIRECT_IO'];
});

const SIZES = [0, 1, 4095, 4096, 4097, DIRECT_BUFFER_BYTES - 1, DIRECT_BUFFER_BYTES, DIRECT_BUFFER_BYTES + 1, 2 * DIRECT_BUFFER_BYTES + 123_457];
const PIECES = [1000, 70_001, 5 * 1024 * 1024, 4096];
let fileCount = 0;

for (const mode of ['default', 'SAFEHOUSE_DIRECT_IO=0'] as const) {
  describe(`object files (${mode})`, () => {
    const configure = () => {
      if (mode !== 'default') process.env['SAFEHOUSE_DIRECT_IO'] = '0';
    };
    const expectDirect = () => mode === 'default' && directSupported;

    it('hold exactly the bytes appended, whatever the sizes of the pieces', async () => {
      configure();
      for (const size of SIZES) {
        const data = patternBytes(size, size + 3);
        const file = path.join(dir, `append-${(fileCount += 1)}`);
        const out = await createAppendFile(file);
        expect(out.direct, `size ${size}`).toBe(expectDirect());
        for (let at = 0, i = 0; at < size; i += 1) {
          const n = Math.min(PIECES[i % PIECES.length]!, size - at);
          const piece = Buffer.from(data.subarray(at, at + n));
          await out.append(piece);
          piece.fill(0xee); // the appender copied it: reusing the caller's memory changes nothing
          at += n;
        }
        await out.finish();
        await out.close();
        const written = await fs.readFile(file);
        expect(written.length, `size ${size}`).toBe(size);
        expect(Buffer.compare(written, Buffer.from(data)), `size ${size}`).toBe(0);
        expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
      }
    });

    it('never replace an existing file', async () => {
      configure();
      const file = path.join(dir, `existing-${(fileCount += 1)}`);
      await fs.writeFile(file, 'already here');
      await expect(createAppendFile(file)).rejects.toMatchObject({ code: 'EEXIST' });
      expect(await fs.readFile(file, 'utf8')).toBe('already here');
    });

    it('read back any front-to-back sequence of ranges exactly, and nothing past the end', async () => {
      configure();
      const size = 2 * DIRECT_BUFFER_BYTES + 123_457;
      const data = Buffer.from(patternBytes(size, 11));
      const file = path.join(dir, `read-${(fileCount += 1)}`);
      await fs.writeFile(file, data);
      // Equal lengths (a verification read: the next window is read ahead) and mixed ones (the guess misses).
      for (const lengths of [[1_048_848], [1_048_848, 17, 4096, 1_000_001]]) {
        const reader = await openSequentialReader(file);
        expect(reader.direct).toBe(expectDirect());
        try {
          for (let at = 333, step = 1; at < size; step += 1) {
            const length = lengths[step % lengths.length]!;
            const got = await reader.read(length, at);
            expect(Buffer.compare(Buffer.from(got), data.subarray(at, at + length)), `at ${at}`).toBe(0);
            at += length;
          }
          expect((await reader.read(1, size)).length).toBe(0);
          expect((await reader.read(4096, size + 5000)).length).toBe(0);
          expect(Buffer.from(await reader.read(10, 0)).equals(data.subarray(0, 10))).toBe(true); // going back re-reads
        } finally {
          await reader.close();
        }
      }
    });
  });
}
