import { mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll } from 'vitest';
import { SYSTEM_TMPDIR_VARIABLE, systemTmpdir } from '../helpers/system-tmpdir';

// Each test file gets a temp folder of its own, inherited by the ffmpeg and CLI children it starts
// (TMPDIR), and removed when the file ends: a run leaves nothing behind in the system temp folder,
// and whatever a test's code wrote to "the temp dir" is in one known place. Caches shared between
// files (the generated card) and the marker scans use the system folder, kept here.
const systemTmp = systemTmpdir();
process.env[SYSTEM_TMPDIR_VARIABLE] = systemTmp;
const ownTmp = mkdtempSync(path.join(systemTmp, 'safehouse-test-'));
process.env['TMPDIR'] = ownTmp;

afterAll(() => {
  rmSync(ownTmp, { recursive: true, force: true });
});
