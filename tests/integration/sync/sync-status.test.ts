import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSafehouse, type Safehouse } from '../../../src/main/core/app';
import { remoteFailureReason } from '../../../src/main/core/sync/s3-carrier';
import { startS3, type S3Emulator } from '../../helpers/s3-emulator';
import { cli } from '../cli/cli-harness';
import { cardWith, env } from './sync-fixture';

/**
 * What the window's Devices & sync screen is built on: a failed push or pull says why as data (a reason the
 * window words, not only the CLI's sentence), a field laptop says what it has not pushed yet and when a push
 * last finished, and HQ names the laptops it enrolls (sealed, like identities).
 */
describe('sync status and failure reasons', () => {
  let base: string;
  let s3: S3Emulator;
  let hq: Safehouse;
  let field: Safehouse;
  let fieldCard: string;
  let hqDir: string;
  const bucket = 'status-bucket';
  const name = 'Camera B laptop, Tumen crossing';

  beforeAll(async () => {
    base = await fs.mkdtemp(path.join(os.tmpdir(), 'sh-sync-status-'));
    s3 = await startS3([bucket]);
    hqDir = path.join(base, 'hq');
    hq = createSafehouse();
    expect((await hq.call('vault.create', { dir: hqDir, passphrase: env.HQ_PASS })).ok).toBe(true);
    const hqCard = await hq.call('recipients.export', {});
    if (!hqCard.ok) throw new Error(hqCard.error.message);
    field = createSafehouse();
    expect((await field.call('vault.create', { dir: path.join(base, 'field'), passphrase: env.CREW_PASS, kind: 'field', hqRecipientCard: hqCard.value.card })).ok).toBe(true);
    const card = await cardWith(path.join(base, 'CARD'), /IMG_0001\.MOV$/);
    const offload = await field.call('offload.start', { path: card, label: 'Roll 1', proxies: 'none' });
    if (!offload.ok) throw new Error(offload.error.message);
    const exported = await field.call('recipients.export', {});
    if (!exported.ok) throw new Error(exported.error.message);
    fieldCard = exported.value.card;
  }, 120_000);

  afterAll(async () => {
    await field?.close();
    await hq?.close();
    await s3?.stop();
    await fs.rm(base, { recursive: true, force: true });
  });

  it('field: a clip offloaded and not pushed is counted, and no push has finished yet', async () => {
    const devices = await field.call('devices.list', {});
    if (!devices.ok) throw new Error(devices.error.message);
    expect(devices.value).toHaveLength(1);
    expect(devices.value[0]).toMatchObject({ self: true, name: null, lastPushAt: null, notInRecord: { clips: 1 } });
    expect(devices.value[0]!.notInRecord!.bytes).toBeGreaterThan(0);
  });

  it('a failed push says why as a reason, and does not count as a push', async () => {
    const noBucket = await field.call('sync.push', { remote: 's3://no-such-bucket/a', endpoint: s3.endpoint });
    expect(!noBucket.ok && noBucket.error).toMatchObject({ code: 'REMOTE_FAILED', reason: 'remote-no-bucket' });
    const unreachable = await field.call('sync.push', { remote: `s3://${bucket}/a`, endpoint: 'http://127.0.0.1:1' });
    expect(!unreachable.ok && unreachable.error).toMatchObject({ code: 'REMOTE_FAILED', reason: 'remote-unreachable' });
    process.env['AWS_ACCESS_KEY_ID'] = 'NOT-THE-KEY';
    try {
      const refused = await field.call('sync.push', { remote: `s3://${bucket}/a`, endpoint: s3.endpoint });
      expect(!refused.ok && refused.error.code).toBe('REMOTE_FAILED');
      expect(!refused.ok && refused.error.reason).toMatch(/^remote-(denied|credentials)$/);
    } finally {
      process.env['AWS_ACCESS_KEY_ID'] = 'S3RVER';
    }
    const devices = await field.call('devices.list', { remote: `s3://${bucket}/a`, endpoint: s3.endpoint });
    if (!devices.ok) throw new Error(devices.error.message);
    // The failed attempts made a record (it is made before uploading) that is not on the remote yet.
    expect(devices.value[0]).toMatchObject({ lastPushAt: null, notInRecord: { clips: 0 }, pending: { records: 1 } });
  }, 60_000);

  it('the SDK’s error names map to reasons; unknown ones to none', () => {
    expect(remoteFailureReason('ECONNREFUSED')).toBe('remote-unreachable');
    expect(remoteFailureReason('NoSuchBucket')).toBe('remote-no-bucket');
    expect(remoteFailureReason('InvalidAccessKeyId')).toBe('remote-credentials');
    expect(remoteFailureReason('AccessDenied')).toBe('remote-denied');
    expect(remoteFailureReason('PermanentRedirect')).toBeUndefined();
  });

  it('a finished push sets the last push and leaves nothing pending', async () => {
    const before = Date.now();
    const pushed = await field.call('sync.push', { remote: `s3://${bucket}/a`, endpoint: s3.endpoint });
    if (!pushed.ok) throw new Error(pushed.error.message);
    const devices = await field.call('devices.list', { remote: `s3://${bucket}/a`, endpoint: s3.endpoint });
    if (!devices.ok) throw new Error(devices.error.message);
    expect(devices.value[0]).toMatchObject({ notInRecord: { clips: 0, bytes: 0 }, pending: { records: 0, bytes: 0 } });
    expect(Date.parse(devices.value[0]!.lastPushAt!)).toBeGreaterThanOrEqual(before - 1000);
  }, 60_000);

  it('HQ: a laptop not enrolled is refused with its reason; enrolled with a sealed name, renamed on a second enroll', async () => {
    expect((await hq.call('vault.unlock', { dir: hqDir, passphrase: env.HQ_PASS })).ok).toBe(true);
    const early = await hq.call('sync.pull', { remote: `s3://${bucket}/a`, endpoint: s3.endpoint, proxies: 'none' });
    expect(!early.ok && early.error).toMatchObject({ code: 'SYNC_REFUSED', reason: 'device-not-enrolled' });

    const enrolled = await hq.call('devices.enroll', { card: fieldCard, name });
    expect(enrolled.ok && enrolled.value.alreadyEnrolled).toBe(false);
    const again = await hq.call('devices.enroll', { card: fieldCard, name: `${name} (spare)` });
    expect(again.ok && again.value.alreadyEnrolled).toBe(true);
    const devices = await hq.call('devices.list', {});
    if (!devices.ok) throw new Error(devices.error.message);
    expect(devices.value.map((device) => [device.name, device.notInRecord])).toEqual([[`${name} (spare)`, null]]);
    // The name is sealed in the catalog: its bytes are nowhere in the vault folder in clear.
    for (const file of await fs.readdir(hqDir)) {
      const stat = await fs.stat(path.join(hqDir, file));
      if (stat.isFile()) expect((await fs.readFile(path.join(hqDir, file))).includes(Buffer.from('Tumen crossing')), file).toBe(false);
    }

    const pulled = await hq.call('sync.pull', { remote: `s3://${bucket}/a`, endpoint: s3.endpoint, proxies: 'none' });
    if (!pulled.ok) throw new Error(pulled.error.message);
    expect(pulled.value.clipsAdded).toBe(1);
  }, 60_000);

  it('HQ: footage sealed to another HQ is refused as such, and nothing is imported', async () => {
    const otherDir = path.join(base, 'other-hq');
    const other = createSafehouse();
    const stray = createSafehouse();
    try {
      expect((await other.call('vault.create', { dir: otherDir, passphrase: env.OTHER_PASS })).ok).toBe(true);
      const otherCard = await other.call('recipients.export', {});
      if (!otherCard.ok) throw new Error(otherCard.error.message);
      expect((await stray.call('vault.create', { dir: path.join(base, 'stray'), passphrase: env.CREW_PASS, kind: 'field', hqRecipientCard: otherCard.value.card })).ok).toBe(true);
      const card = await cardWith(path.join(base, 'CARD_2'), /GX010001\.MP4$/);
      expect((await stray.call('offload.start', { path: card, proxies: 'none' })).ok).toBe(true);
      const remote = pathToFileURL(path.join(base, 'stray-remote')).href;
      expect((await stray.call('sync.push', { remote })).ok).toBe(true);
      const strayCard = await stray.call('recipients.export', {});
      if (!strayCard.ok) throw new Error(strayCard.error.message);
      expect((await hq.call('devices.enroll', { card: strayCard.value.card })).ok).toBe(true);
      const before = await hq.call('clips.list', {});
      const pulled = await hq.call('sync.pull', { remote, proxies: 'none' });
      expect(!pulled.ok && pulled.error).toMatchObject({ code: 'SYNC_REFUSED', reason: 'sealed-to-another-hq' });
      const after = await hq.call('clips.list', {});
      expect(after.ok && after.value.length).toBe(before.ok && before.value.length);
    } finally {
      await stray.close();
      await other.close();
    }
  }, 120_000);

  it('CLI: enrolls with --name and lists the laptop by its name, quoted as data', async () => {
    expect((await hq.call('vault.lock', {})).ok).toBe(true);
    const cardFile = path.join(base, 'field-card.json');
    await fs.writeFile(cardFile, fieldCard);
    const renamed = await cli(['devices', 'enroll', '--vault', hqDir, '--card', cardFile, '--name', 'Camera C\nforged line', '--passphrase-env', 'HQ_PASS'], env);
    expect(renamed.code, renamed.stderr).toBe(0);
    expect(renamed.stdout).toContain('Already enrolled');
    const listed = await cli(['devices', 'list', '--vault', hqDir, '--passphrase-env', 'HQ_PASS'], env);
    expect(listed.code, listed.stderr).toBe(0);
    // The newline typed into the name is shown escaped: it cannot forge a second device line.
    expect(listed.stdout).toContain('Camera C\\nforged line');
    expect(listed.stdout.split('\n').filter((line) => line.startsWith('device ')).length).toBe(2);
  }, 60_000);
});
