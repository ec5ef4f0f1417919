// Runs Electronegativity over the compiled app in out/ and fails on any finding or parse error.
// Electronegativity exits 0 whatever it finds, so its CSV report is read instead. The only check left out
// is the one that needs the internet (it looks up newer Electron releases).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), '..');
const outDir = path.join(root, 'out');
if (!existsSync(path.join(outDir, 'main', 'index.js'))) {
  console.error('electronegativity: out/ is not built; run `npm run build` first.');
  process.exit(1);
}
const electronVersion = JSON.parse(readFileSync(path.join(root, 'node_modules/electron/package.json'), 'utf8')).version;
const tool = path.join(root, 'node_modules/@doyensec/electronegativity/dist/index.js');
const workDir = mkdtempSync(path.join(os.tmpdir(), 'electronegativity-'));

function scan(input, name) {
  const report = path.join(workDir, `${name}.csv`);
  const result = spawnSync(
    process.execPath,
    [tool, '--input', input, '--exclude-checks', 'AvailableSecurityFixesGlobalCheck', '--electron-version', electronVersion, '--relative', '--output', report],
    { encoding: 'utf8' },
  );
  const output = `${result.stdout}\n${result.stderr}`.replace(/Could not retrieve updated translations[^\n]*\n?/g, '');
  const rows = existsSync(report) ? readFileSync(report, 'utf8').trim().split('\n').slice(1).filter(Boolean) : null;
  return { status: result.status, output, rows };
}

// First prove the scanner works here: a deliberately insecure window must produce findings.
const canaryDir = path.join(workDir, 'canary');
mkdirSync(canaryDir);
writeFileSync(
  path.join(canaryDir, 'main.js'),
  "const { BrowserWindow } = require('electron');\nnew BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false } });\n",
);
const canary = scan(canaryDir, 'canary');
const problems = [];
if (!canary.rows || canary.rows.length === 0) problems.push('the scanner found nothing in a deliberately insecure canary, so it is not working');

const real = scan(outDir, 'out');
if (real.status !== 0) problems.push(`exited with ${real.status}`);
if (/error|unable to parse|could not parse|misspelt/i.test(real.output)) problems.push('reported an error while scanning');
if (real.rows === null) problems.push('wrote no report');
else if (real.rows.length > 0) problems.push(`${real.rows.length} finding(s):\n${real.rows.join('\n')}`);
rmSync(workDir, { recursive: true, force: true });

if (problems.length > 0) {
  console.error(real.output);
  console.error(`electronegativity: FAILED: ${problems.join('; ')}`);
  process.exit(1);
}
console.log(`electronegativity: out/ scanned (Electron ${electronVersion}): 0 findings; canary: ${canary.rows.length} findings as expected`);
