#!/usr/bin/env node
// Runs the built CLI under plain Node (never Electron). `npm run build` (part of `npm ci && npm run demo`)
// produces out/main/cli.js.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../out/main/cli.js', import.meta.url));
if (!existsSync(cli)) {
  process.stderr.write('safehouse: the CLI is not built yet. Run "npm run build" in the Safehouse folder first.\n');
  process.exit(2);
}
createRequire(import.meta.url)(cli);
