// Makes sure the native sqlite3 module is built for the runtime about to load it.
//   node scripts/native-abi.mjs node      (tests, CLI: plain Node; rebuilds from source with node-gyp if needed)
//   node scripts/native-abi.mjs electron  (npm start: rebuilds for Electron's ABI; needs internet for headers)
import { spawnSync } from 'node:child_process';

const target = process.argv[2];
const run = (command, args) => {
  const result = spawnSync(command, args, { stdio: 'inherit', shell: false });
  if (result.status !== 0) process.exit(result.status ?? 1);
};

if (target === 'node') {
  const probe = spawnSync(process.execPath, ['-e', "require('sqlite3')"], { encoding: 'utf8' });
  if (probe.status !== 0) {
    console.log('sqlite3 is not built for this Node (it may have been rebuilt for Electron by npm start); rebuilding…');
    run('npm', ['rebuild', 'sqlite3']);
  }
} else if (target === 'electron') {
  run('npx', ['--yes', '@electron/rebuild@4', '--force', '--only', 'sqlite3']);
} else {
  console.error('usage: node scripts/native-abi.mjs node|electron');
  process.exit(2);
}
