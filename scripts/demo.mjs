// npm run demo: the main job end to end, on generated data, with the real CLI.
//   1. a demo vault in ./demo/vault   2. a camera card with GPS, serials and names planted in ./demo/card
//   3. offload it (sanitize, prove, encrypt, verify)   4. list the clips and the offload report
//   5. a subject with face protection, a reviewed clip, the safety status, and an export for the editor
// Re-running resumes and adds nothing. Remove ./demo to start over.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeCard } from './fixtures/make-card.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const demo = path.join(root, 'demo');
const vault = path.join(demo, 'vault');
const card = path.join(demo, 'card');
const env = { ...process.env, SAFEHOUSE_DEMO_PASSPHRASE: process.env.SAFEHOUSE_DEMO_PASSPHRASE ?? 'demo vault passphrase, not for real use' };

function safehouse(args, { allowFailure = false } = {}) {
  console.log(`\n$ safehouse ${args.join(' ')}`);
  const result = spawnSync(process.execPath, [path.join(root, 'bin/safehouse.mjs'), ...args], { stdio: 'inherit', env });
  if (result.status !== 0 && !allowFailure) {
    console.error(`demo: "safehouse ${args[0]}" exited with ${result.status}`);
    process.exit(result.status ?? 1);
  }
  return result.status;
}

function json(args) {
  const result = spawnSync(process.execPath, [path.join(root, 'bin/safehouse.mjs'), ...args], { env, encoding: 'utf8' });
  if (result.status !== 0) {
    console.error(result.stderr);
    process.exit(result.status ?? 1);
  }
  return JSON.parse(result.stdout);
}

mkdirSync(demo, { recursive: true });
if (!existsSync(card)) {
  console.log('Generating a camera card with location and identity metadata planted in every file…');
  makeCard(card, {});
}
const auth = ['--vault', vault, '--passphrase-env', 'SAFEHOUSE_DEMO_PASSPHRASE'];
if (!existsSync(path.join(vault, 'vault.json'))) safehouse(['init', ...auth]);
safehouse(['unlock-check', ...auth]);
// Exit 1 means some file was quarantined or failed; the demo card has none, but show it either way.
safehouse(['ingest', card, ...auth, '--label', 'Demo card'], { allowFailure: true });
safehouse(['clips', ...auth]);
safehouse(['report', ...auth]);

// The producer's side: who appears, what they agreed to, and what may leave for the editor.
const clips = json(['clips', ...auth, '--json']).filter((clip) => clip.status === 'verified' && clip.kind === 'video');
const { subjects } = json(['subjects', 'list', ...auth, '--json']);
if (subjects.length === 0 && clips.length >= 2) {
  const subject = json(['subjects', 'add', ...auth, '--pseudonym', 'Witness A', '--real-name', 'Demo Person', '--protect', 'face', '--json']);
  safehouse(['appear', ...auth, '--clip', clips[1].id, '--subject', subject.id]);
  safehouse(['subjects', 'consent', ...auth, '--subject', subject.id, '--state', 'given', '--scope', 'face hidden, voice unaltered']);
  safehouse(['review', ...auth, '--clip', clips[0].id, '--no-people']);
}
safehouse(['status', ...auth], { allowFailure: true });
// Only cleared clips leave; the rest are listed with what would clear them (exit 1 says some were held back).
const editor = path.join(demo, `editor-${Date.now()}`);
safehouse(['export', 'proxies', ...auth, '--out', editor, '--to', 'Demo editor'], { allowFailure: true });
safehouse(['audit', 'verify', ...auth]);
console.log(`\nDemo vault: ${vault}\nPassphrase: the SAFEHOUSE_DEMO_PASSPHRASE environment variable (default "${env.SAFEHOUSE_DEMO_PASSPHRASE}").`);
