import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SafehouseError } from '../../../shared/errors';

/**
 * A few decoders (libheif's heif-convert, libraw's dcraw_emu) only open named files, because their
 * formats need seeking. The plaintext must still never reach a disk: they get a file in a private folder
 * on a memory file system (tmpfs), which is removed, whatever happens, as soon as the tool has finished.
 */
/** A decoder missing, or nowhere to hand it a photo without a disk: the photo is fine, this computer cannot. */
export class ToolUnavailable extends Error {}

export const isToolUnavailable = (error: unknown): boolean => error instanceof Error && error.cause instanceof ToolUnavailable;

const CANDIDATES = ['/dev/shm', process.env['XDG_RUNTIME_DIR']].filter((d): d is string => typeof d === 'string' && d !== '');

function tmpfsMounts(): Set<string> {
  try {
    const lines = readFileSync('/proc/mounts', 'utf8').split('\n');
    return new Set(lines.map((l) => l.split(' ')).filter((f) => f[2] === 'tmpfs' || f[2] === 'ramfs').map((f) => f[1] as string));
  } catch {
    return new Set();
  }
}

/** The first memory-backed folder available, or null (not Linux, or no tmpfs mounted). */
export function memoryFolder(): string | null {
  const mounts = tmpfsMounts();
  return CANDIDATES.find((dir) => mounts.has(dir)) ?? null;
}

/**
 * Runs `use` with `bytes` written to `<private tmpfs folder>/input<ext>` and an output path beside it;
 * returns what `use` returns together with the output file's bytes (null if the tool wrote none).
 */
export async function withMemoryFiles<T>(bytes: Buffer, inputExt: string, outputName: string, use: (input: string, output: string) => Promise<T>): Promise<{ result: T; output: Buffer | null }> {
  const root = memoryFolder();
  if (!root) {
    throw new SafehouseError('CANNOT_SANITIZE', undefined, { cause: new ToolUnavailable('this format can only be decoded from a file, and there is no memory file system (/dev/shm) to hold it without writing the photo to disk') });
  }
  const dir = await mkdtemp(path.join(root, 'safehouse-'));
  try {
    const input = path.join(dir, `input${inputExt}`);
    const output = path.join(dir, outputName);
    await writeFile(input, bytes, { mode: 0o600, flag: 'wx' });
    const result = await use(input, output);
    const out = await readFile(output).catch(() => null);
    return { result, output: out };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
