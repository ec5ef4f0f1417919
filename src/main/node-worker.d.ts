// `import start from './x?nodeWorker'`: electron-vite builds x as its own entry (tests: tests/setup/node-worker-plugin.mjs).
/// <reference types="electron-vite/node" />
