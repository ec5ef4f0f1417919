import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createSafehouse } from '../../../src/main/core/app';
import { cli } from '../cli/cli-harness';
import { env, initHq, summaryOf } from './sync-fixture';

/**
 * A clip quarantined in the field: the field passphrase does not show why (the reason is sealed to HQ), and
 * after a pull HQ reads the reason the field wrote, not a quarantined clip with no explanation.
 */
let base: string;
let hq: Awaited<ReturnType<typeof initHq>>;
const field = { vault: '', card: '' };

beforeAll(async () => {
  base = await fs.mkdtemp(path.join(os.tmpdir(), 'sh-sync-quarantine-'));
  const card = path.join(base, 'CARD');
  await fs.mkdir(path.join(card, 'DCIM/100CANON'), { recursive: true });
  await fs.writeFile(path.join(card, 'DCIM/100CANON/IMG_0002.JPG'), 'notes from the safe flat, saved with the wrong name');
  hq = await initHq(base);
  field.vault = path.join(base, 'field');
  field.card = path.join(base, 'field-card.json');
  expect((await cli(['init', '--vault', field.vault, '--field', '--hq-card', hq.hqCard, '--passphrase-env', 'CREW_PASS'], env)).code).toBe(0);
  // A card with a quarantined clip ends the ingest with the "not all clean" exit code.
  const ingest = await cli(['ingest', card, '--vault', field.vault, '--label', 'Card Q', '--passphrase-env', 'CREW_PASS'], env);
  expect(ingest.code, ingest.stdout + ingest.stderr).toBe(1);
  expect((await cli(['recipients', 'export', '--vault', field.vault, '--passphrase-env', 'CREW_PASS', '--out', field.card], env)).code).toBe(0);
}, 120_000);
afterAll(() => fs.rm(base, { recursive: true, force: true }));

const quarantinedClips = async (dir: string, passphrase: string) => {
  const app = createSafehouse();
  try {
    expect((await app.call('vault.unlock', { dir, passphrase })).ok).toBe(true);
    const clips = await app.call('clips.list', {});
    if (!clips.ok) throw new Error(clips.error.message);
    return clips.value.filter((clip) => clip.status === 'quarantined').map((clip) => ({ reason: clip.reason, originalName: clip.originalName }));
  } finally {
    await app.close();
  }
};

it('HQ reads why a field clip was quarantined, which the field passphrase cannot', async () => {
  expect(await quarantinedClips(field.vault, env.CREW_PASS)).toEqual([{ reason: null, originalName: '' }]);

  const drive = pathToFileURL(path.join(base, 'usb')).href;
  const pushed = await cli(['sync', 'push', '--vault', field.vault, '--passphrase-env', 'CREW_PASS', '--remote', drive, '--json'], env);
  expect(pushed.code, pushed.stdout + pushed.stderr).toBe(0);
  expect((await cli(['devices', 'enroll', '--vault', hq.hq, '--passphrase-env', 'HQ_PASS', '--card', field.card], env)).code).toBe(0);
  const pulled = await cli(['sync', 'pull', '--vault', hq.hq, '--passphrase-env', 'HQ_PASS', '--remote', drive, '--json'], env);
  expect(pulled.code, pulled.stdout + pulled.stderr).toBe(0);
  expect(summaryOf(pulled.stdout)).toMatchObject({ clipsAdded: 1 });

  const atHq = await quarantinedClips(hq.hq, env.HQ_PASS);
  expect(atHq).toEqual([{ reason: expect.stringMatching(/JPEG|photo|image|extension|content/i), originalName: 'DCIM/100CANON/IMG_0002.JPG' }]);
}, 180_000);
