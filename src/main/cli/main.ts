import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promptSecretFromTty } from './prompt';
import { runCli } from './run';

/** Entry of the `safehouse` command (built to out/main/cli.js; bin/safehouse.mjs loads it). */
const packageJson = JSON.parse(readFileSync(path.join(__dirname, '../../package.json'), 'utf8')) as { version: string };
const version = packageJson.version;

runCli(
  process.argv.slice(2),
  {
    stdout: (text) => process.stdout.write(text),
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
