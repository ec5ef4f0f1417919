import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCable, startS3, type S3Emulator } from '../../helpers/s3-emulator';
import { cli, spawnCli } from '../cli/cli-harness';
import { cardWith, env, initField, initHq, objectBytes, summaryOf } from './sync-fixture';

/**
 * The real `safehouse sync push` process is killed (SIGKILL: no clean-up runs) while its upload hangs
 * half-way; the next push continues from what the bucket already holds, and HQ imports everything.
 */
describe('a killed push', () => {
  let base: string;
  let s3: S3Emulator;

  beforeAll(async () => {
    base = await fs.mkdtemp(path.join(os.tmpdir(), 'sh-sync-killed-'));
    s3 = await startS3(['footage']);
  });
  afterAll(async () => {
    await s3?.stop();
    await fs.rm(base, { recursive: true, force: true });
  });

  it('continues where it stopped, and HQ gets every clip', async () => {
    const { hq, hqCard } = await initHq(base);
    const card = await cardWith(path.join(base, 'CARD'), /IMG_0001\.MOV$|C0001\.MP4$|C0001M01\.XML$|GX010001\.MP4$/);
    const field = await initField(base, 'field', hqCard, 'CREW_PASS', { dir: card, label: 'Card K' });
    const total = await objectBytes(field.vault);
    const cable = await startCable(s3.port, Math.floor(total / 2), 'stall');
    const child = spawnCli(['sync', 'push', '--vault', field.vault, '--passphrase-env', 'CREW_PASS', '--remote', 's3://footage/k', '--endpoint', cable.endpoint], {
      ...env, AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1', TMPDIR: os.tmpdir(),
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    const deadline = Date.now() + 60_000;
    while (cable.sent() < Math.floor(total / 2) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(cable.sent()).toBeGreaterThanOrEqual(Math.floor(total / 2));
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    await cable.stop();

    const resumed = await cli(['sync', 'push', '--vault', field.vault, '--passphrase-env', 'CREW_PASS', '--remote', 's3://footage/k', '--endpoint', s3.endpoint, '--json'], env);
    expect(resumed.code, resumed.stdout + resumed.stderr).toBe(0);
    const summary = summaryOf(resumed.stdout) as { objects: { total: number; alreadyThere: number; sent: number } };
    expect(summary.objects.alreadyThere).toBeGreaterThan(0);
    expect(summary.objects.sent).toBeGreaterThan(0);

    expect((await cli(['devices', 'enroll', '--vault', hq, '--passphrase-env', 'HQ_PASS', '--card', field.card], env)).code).toBe(0);
    const pulled = await cli(['sync', 'pull', '--vault', hq, '--passphrase-env', 'HQ_PASS', '--remote', 's3://footage/k', '--endpoint', s3.endpoint, '--no-proxies', '--json'], env);
    expect(pulled.code, pulled.stdout + pulled.stderr).toBe(0);
    expect(summaryOf(pulled.stdout)).toMatchObject({ clipsAdded: 3, objects: summary.objects.total });
    const clips = JSON.parse((await cli(['clips', '--vault', hq, '--passphrase-env', 'HQ_PASS', '--json'], env)).stdout) as { id: string }[];
    for (const clip of clips) {
      const out = path.join(base, `${clip.id}.mp4`);
      expect((await cli(['export', 'master', '--vault', hq, '--passphrase-env', 'HQ_PASS', '--clip', clip.id, '--out', out], env)).code).toBe(0);
    }
  }, 240_000);
});
