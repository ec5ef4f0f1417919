import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { nodeWorkerPlugin } from './tests/setup/node-worker-plugin.mjs';

// The real `electron` module downloads its binary on first require, which cannot happen here (and
// must never happen in a test). Every test that reaches Electron code gets a recording stub instead.
export default defineConfig({
  plugins: [nodeWorkerPlugin()],
  resolve: {
    alias: {
      electron: fileURLToPath(new URL('./tests/stubs/electron.ts', import.meta.url)),
    },
  },
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts', 'tests/**/*.exploit.spec.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    setupFiles: ['tests/setup/private-tmpdir.ts'],
  },
});
