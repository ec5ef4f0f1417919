import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promptSecretFromTty } from './prompt';
import { runCli } from './run';

/** Entry of the `safehouse` command (built to out/main/cli.js; bin/safehouse.mjs loads it). */
const packageJson = JSON.parse(readFileSync(path.join(__dirname, '../../package.json'), 'utf8')) as { version: string };
const version = packageJson.version;

// A reader that goes away (`safehouse ingest … --json | head`, a closed terminal) must not kill an offload
// half-way: once standard output fails, output is dropped and the command runs to its end, its exit code
// still saying how it went.
let stdoutOpen = true;
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (stdoutOpen && error.code !== 'EPIPE') process.stderr.write(`safehouse: standard output failed (${error.code ?? error.message}); going on without it\n`);
  stdoutOpen = false;
});

runCli(
  process.argv.slice(2),
  {
    stdout: (text) => void (stdoutOpen && process.stdout.write(text)),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    promptSecret: process.stdin.isTTY ? promptSecretFromTty : undefined,
  },
  { version },
).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`safehouse: unexpected failure: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
