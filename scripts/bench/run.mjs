// npm run bench [-- NAME…]: runs every tests/bench/*.bench-run.ts (or those named) in plain Node, through
// Vite's module loader so benchmarks import the TypeScript core directly. Each prints its own ratios
// against a baseline measured in the same run.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'vite';
import { nodeWorkerPlugin } from '../../tests/setup/node-worker-plugin.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const wanted = process.argv.slice(2);
const benches = readdirSync(path.join(root, 'tests/bench'))
  .filter((name) => name.endsWith('.bench-run.ts'))
  .filter((name) => wanted.length === 0 || wanted.some((want) => name.startsWith(want)))
  .sort();

const server = await createServer({
  root,
  configFile: false,
  logLevel: 'error',
  server: { middlewareMode: true, hmr: false },
  appType: 'custom',
  plugins: [nodeWorkerPlugin()],
});
let failed = false;
try {
  for (const name of benches) {
    console.log(`\n== ${name.replace('.bench-run.ts', '')} ==`);
    try {
      const bench = await server.ssrLoadModule(`/tests/bench/${name}`);
      await bench.run((line) => console.log(line));
    } catch (error) {
      failed = true;
      console.error(`bench ${name} failed: ${error instanceof Error ? error.stack : String(error)}`);
    }
  }
} finally {
  await server.close();
}
process.exitCode = failed ? 1 : 0;
