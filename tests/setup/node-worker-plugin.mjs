// Builds `?nodeWorker` imports outside electron-vite (vitest, `npm run bench`), the way electron-vite builds
// them for the app and the CLI: the worker module becomes its own CommonJS file and the import becomes a
// function that starts a Worker on it. Node cannot run TypeScript in a worker, and a worker's code must not
// hide in a string, so the worker entry is bundled with vite (its own modules inlined, packages left to
// require() from node_modules) into tests/.artifacts/workers/, once per process and entry.
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const PREFIX = '\0safehouse-node-worker:';
const SUFFIX = '?nodeWorker';

/** @returns {import('vite').Plugin} */
export function nodeWorkerPlugin() {
  /** @type {Map<string, Promise<string>>} */
  const built = new Map();
  const outRoot = path.join(root, 'tests/.artifacts/workers', `${process.pid}-${Date.now().toString(36)}`);
  const buildWorker = async (entry) => {
    const outDir = path.join(outRoot, String(built.size));
    mkdirSync(outDir, { recursive: true });
    if (built.size === 0) process.once('exit', () => rmSync(outRoot, { recursive: true, force: true }));
    await build({
      configFile: false,
      root,
      logLevel: 'error',
      build: {
        ssr: entry,
        outDir,
        emptyOutDir: true,
        minify: false,
        rollupOptions: { output: { format: 'cjs', entryFileNames: 'worker.cjs' } },
      },
    });
    return path.join(outDir, 'worker.cjs');
  };
  return {
    name: 'safehouse:node-worker',
    enforce: 'pre',
    async resolveId(id, importer) {
      if (!id.endsWith(SUFFIX)) return null;
      const resolved = await this.resolve(id.slice(0, -SUFFIX.length), importer, { skipSelf: true });
      if (!resolved) throw new Error(`node worker not found: ${id}`);
      return PREFIX + resolved.id;
    },
    async load(id) {
      if (!id.startsWith(PREFIX)) return null;
      const entry = id.slice(PREFIX.length);
      if (!built.has(entry)) built.set(entry, buildWorker(entry));
      const file = await built.get(entry);
      return `import { Worker } from 'node:worker_threads';\nexport default function (options) { return new Worker(${JSON.stringify(file)}, options); }\n`;
    },
  };
}
