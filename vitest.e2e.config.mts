import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { nodeWorkerPlugin } from './tests/setup/node-worker-plugin.mjs';

export default defineConfig({
  plugins: [nodeWorkerPlugin()],
  resolve: {
    alias: {
      electron: fileURLToPath(new URL('./tests/stubs/electron.ts', import.meta.url)),
    },
  },
  test: {
    include: ['tests/e2e/**/*.e2e.ts'],
    environment: 'node',
    testTimeout: 180_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
