import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSafehouse, type Safehouse } from '../../../src/main/core/app';
import { startCable, startS3, type S3Emulator } from '../../helpers/s3-emulator';
import { cli } from '../cli/cli-harness';
import { cardWith, env, initField, initHq, objectBytes, progressOf, summaryOf } from './sync-fixture';

/**
 * The whole field → HQ story: two field vaults with overlapping cards; one pushes to a bucket (the real S3
 * API of s3rver on the loopback) and its connection drops half-way, then the push continues; the other
 * carries its footage home on a drive (file://). HQ enrolls both, pulls both, and ends up with every clip
 * once (the shared original listed on both cards), every master opening, proxies made, and every audit
 * log verified. A second pull adds nothing.
 */
describe('field to HQ through a bucket and a drive', () => {
  let base: string;
  let s3: S3Emulator;
  let hq: { hq: string; hqCard: string };
  let field1: Awaited<ReturnType<typeof initField>>;
  let field2: Awaited<ReturnType<typeof initField>>;
  const bucket = 's3://footage/season-2';
  let fieldClipId = '';
  const hqAuth = () => ['--vault', hq.hq, '--passphrase-env', 'HQ_PASS'];

  const listBucket = async (prefix: string): Promise<string[]> => {
    const client = new S3Client({ endpoint: s3.endpoint, forcePathStyle: true, region: 'us-east-1' });
    const listed = await client.send(new ListObjectsV2Command({ Bucket: 'footage', Prefix: `season-2/${prefix}` }));
    client.destroy();
    return (listed.Contents ?? []).map((item) => item.Key!);
  };

  beforeAll(async () => {
    base = await fs.mkdtemp(path.join(os.tmpdir(), 'sh-sync-story-'));
    s3 = await startS3(['footage']);
    hq = await initHq(base);
    const cardA = await cardWith(path.join(base, 'CARD_A'), /IMG_0001\.MOV$|C0001\.MP4$|C0001M01\.XML$/);
    const cardB = await cardWith(path.join(base, 'CARD_B'), /IMG_0001\.MOV$|GX010001\.MP4$/);
    field1 = await initField(base, 'field-1', hq.hqCard, 'CREW_PASS', { dir: cardA, label: 'Card A' });
    field2 = await initField(base, 'field-2', hq.hqCard, 'OTHER_PASS', { dir: cardB, label: 'Card B' });
    // The crew of field 1 records a subject appearing in one of their clips (sealed to HQ in the field).
    const app = createSafehouse();
    try {
      expect((await app.call('vault.unlock', { dir: field1.vault, passphrase: env.CREW_PASS })).ok).toBe(true);
      const clips = await app.call('clips.list', {});
      const subject = await app.call('subjects.create', { pseudonym: 'The fixer', realName: 'Nobody Real', protection: ['face'] });
      if (!clips.ok || !subject.ok) throw new Error('field setup failed');
      // File names are sealed to HQ in a field vault: the crew picks the clip by its code.
      const onCamera = clips.value[0]!;
      fieldClipId = onCamera.id;
      expect((await app.call('appearances.add', { subjectId: subject.value.id, clipId: onCamera.id })).ok).toBe(true);
    } finally {
      await app.close();
    }
  }, 240_000);

  afterAll(async () => {
    await s3?.stop();
    await fs.rm(base, { recursive: true, force: true });
  });

  it('enrolls each field device at HQ by its card, showing the fingerprint the crew reads out', async () => {
    for (const field of [field1, field2]) {
      const enrolled = await cli(['devices', 'enroll', ...hqAuth(), '--card', field.card, '--json'], env);
      expect(enrolled.code, enrolled.stderr).toBe(0);
      expect(JSON.parse(enrolled.stdout)).toMatchObject({ fingerprintWords: field.fingerprint, alreadyEnrolled: false });
    }
    const again = await cli(['devices', 'enroll', ...hqAuth(), '--card', field1.card], env);
    expect(again.stdout).toContain('Already enrolled');
    expect(again.stdout).toContain(field1.fingerprint);
  });

  it('pushes field 1 to the bucket; the connection drops half-way and the next push continues', async () => {
    const total = await objectBytes(field1.vault);
    const cable = await startCable(s3.port, Math.floor(total / 2));
    const dropped = await cli(['sync', 'push', '--vault', field1.vault, '--passphrase-env', 'CREW_PASS', '--remote', bucket, '--endpoint', cable.endpoint, '--json'], env);
    await cable.stop();
    expect(dropped.code).toBe(1);
    expect(JSON.parse(dropped.stdout.trim().split('\n').at(-1)!)).toMatchObject({ ok: false, error: { code: 'REMOTE_FAILED' } });
    // Objects go first, records last: HQ can never see a record whose footage is not there yet.
    const partial = await listBucket('objects/');
    expect(partial.length).toBeGreaterThan(0);
    expect(await listBucket('records/')).toEqual([]);

    const counting = await startCable(s3.port);
    const resumed = await cli(['sync', 'push', '--vault', field1.vault, '--passphrase-env', 'CREW_PASS', '--remote', bucket, '--endpoint', counting.endpoint, '--json'], env);
    await counting.stop();
    expect(resumed.code, resumed.stdout + resumed.stderr).toBe(0);
    const summary = summaryOf(resumed.stdout) as { objects: { total: number; sent: number; alreadyThere: number }; records: { total: number; sent: number }; newRecord: number | null };
    // What arrived whole is skipped; an object the emulator kept half-written (its size differs) is sent again.
    expect(summary.objects.alreadyThere).toBeGreaterThan(0);
    expect(summary.objects.alreadyThere).toBeLessThanOrEqual(partial.length);
    expect(summary.objects.sent).toBe(summary.objects.total - summary.objects.alreadyThere);
    // Record 1 was made (and kept) by the dropped push and is sent unchanged now; record 2 carries what
    // happened since — this push's own unlock in the device's audit log.
    expect(summary.records).toEqual({ total: 2, sent: 2 });
    expect(summary.newRecord).toBe(2);
    expect(counting.sent()).toBeLessThan(total); // what arrived before the drop was not sent again
    const progress = progressOf(resumed.stdout);
    expect(progress.at(-1)).toMatchObject({ direction: 'push', phase: 'done', objectsDone: summary.objects.total });
    expect(progress.some((line) => typeof line['mbPerSecond'] === 'number')).toBe(true);

    // Nothing in the bucket names a clip, a card, a person or a date.
    const keys = [...(await listBucket('objects/')), ...(await listBucket('records/'))];
    for (const key of keys) expect(key).toMatch(/^season-2\/(objects\/[0-9a-f]{64}|records\/[0-9a-f]{32}\/\d{10})$/);
  }, 120_000);

  it('carries field 2 home on a drive with the same layout', async () => {
    const drive = path.join(base, 'usb');
    const pushed = await cli(['sync', 'push', '--vault', field2.vault, '--passphrase-env', 'OTHER_PASS', '--remote', pathToFileURL(drive).href, '--json'], env);
    expect(pushed.code, pushed.stdout + pushed.stderr).toBe(0);
    expect(summaryOf(pushed.stdout)).toMatchObject({ records: { total: 1, sent: 1 }, objects: { sent: 4 } });
    expect((await fs.readdir(path.join(drive, 'objects'))).every((name) => /^[0-9a-f]{64}$/.test(name))).toBe(true);
    const status = await cli(['devices', 'list', '--vault', field2.vault, '--passphrase-env', 'OTHER_PASS', '--remote', pathToFileURL(drive).href, '--json'], env);
    expect(JSON.parse(status.stdout)).toEqual([expect.objectContaining({ self: true, records: 1, pending: { records: 0, bytes: 0 }, lastPushAt: expect.any(String) })]);

    // Not one byte in the bucket's store (objects, records and the emulator's own metadata files) or on the
    // drive holds a label, a file name, a folder, a pseudonym or a real name typed or found in the field.
    const markers = ['Card A', 'Card B', 'IMG_0001', 'C0001', 'GX010001', 'DCIM', 'M4ROOT', 'The fixer', 'Nobody Real'];
    const walk = async (dir: string): Promise<string[]> =>
      (await fs.readdir(dir, { withFileTypes: true, recursive: true })).filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name));
    for (const file of [...(await walk(s3.dir)), ...(await walk(drive))]) {
      const bytes = await fs.readFile(file);
      for (const marker of markers) expect(bytes.includes(Buffer.from(marker)), `${marker} in ${file}`).toBe(false);
      expect(file).not.toMatch(/IMG|C0001|GX01|Card/);
    }
  });

  it('pulls both at HQ: checked, merged without duplicates, proxies made, and a second pull adds nothing', async () => {
    const fromBucket = await cli(['sync', 'pull', ...hqAuth(), '--remote', bucket, '--endpoint', s3.endpoint, '--json'], env);
    expect(fromBucket.code, fromBucket.stdout + fromBucket.stderr).toBe(0);
    expect(summaryOf(fromBucket.stdout)).toMatchObject({ records: 2, clipsAdded: 2, clipsMerged: 0, objects: 4, proxiesQueued: 2 });
    const drive = pathToFileURL(path.join(base, 'usb')).href;
    const fromDrive = await cli(['sync', 'pull', ...hqAuth(), '--remote', drive, '--json'], env);
    expect(fromDrive.code, fromDrive.stdout + fromDrive.stderr).toBe(0);
    // IMG_0001.MOV was on both cards: one clip, listed on both; only the GoPro clip is new.
    expect(summaryOf(fromDrive.stdout)).toMatchObject({ records: 1, clipsAdded: 1, clipsMerged: 1, objects: 2 });

    for (const remote of [['--remote', bucket, '--endpoint', s3.endpoint], ['--remote', drive]]) {
      const again = await cli(['sync', 'pull', ...hqAuth(), ...remote, '--json'], env);
      expect(again.code).toBe(0);
      expect(summaryOf(again.stdout)).toMatchObject({ records: 0, clipsAdded: 0, clipsMerged: 0, objects: 0 });
    }
    // Field 2 later also pushes to the bucket: HQ already has that record, so pulling adds nothing.
    expect((await cli(['sync', 'push', '--vault', field2.vault, '--passphrase-env', 'OTHER_PASS', '--remote', bucket, '--endpoint', s3.endpoint], env)).code).toBe(0);
    const third = await cli(['sync', 'pull', ...hqAuth(), '--remote', bucket, '--endpoint', s3.endpoint, '--json'], env);
    expect(summaryOf(third.stdout)).toMatchObject({ clipsAdded: 0, clipsMerged: 0, objects: 0 });
  }, 240_000);

  it('at HQ every master opens, the cards list their clips, the subject came along and every audit log verifies', async () => {
    const app: Safehouse = createSafehouse();
    try {
      expect((await app.call('vault.unlock', { dir: hq.hq, passphrase: env.HQ_PASS })).ok).toBe(true);
      const clips = await app.call('clips.list', {});
      if (!clips.ok) throw new Error(clips.error.message);
      expect(clips.value.map((clip) => clip.originalName).sort()).toEqual(['DCIM/100APPLE/IMG_0001.MOV', 'DCIM/100GOPRO/GX010001.MP4', 'PRIVATE/M4ROOT/CLIP/C0001.MP4']);
      expect(new Set(clips.value.map((clip) => clip.code)).size).toBe(3);
      for (const clip of clips.value) {
        const out = path.join(base, `${clip.code}.mp4`);
        const exported = await app.call('export.master', { clipId: clip.id, outPath: out });
        expect(exported.ok, JSON.stringify(exported)).toBe(true);
        expect((await fs.stat(out)).size).toBeGreaterThan(1000);
      }
      const cards = await app.call('cards.list', {});
      if (!cards.ok) throw new Error(cards.error.message);
      expect(cards.value.map((card) => [card.label, card.clipCount]).sort()).toEqual([['Card A', 2], ['Card B', 2]]);
      // The labels the library and safety screens list are the same cards and counts, without the wipe verdict.
      const labels = await app.call('cards.labels', {});
      expect(labels.ok && labels.value).toEqual(cards.value.map(({ safeToWipe: _safe, wipeBlockers: _blockers, ...label }) => label));
      const shared = clips.value.find((clip) => clip.originalName.endsWith('IMG_0001.MOV'))!;
      for (const card of cards.value) {
        const onCard = await app.call('clips.query', { cardId: card.id, offset: 0, limit: 10 });
        expect(onCard.ok && onCard.value.items.map((clip) => clip.id)).toContain(shared.id);
      }
      const subjects = await app.call('subjects.list', {});
      expect(subjects.ok && subjects.value.map((subject) => subject.pseudonym)).toEqual(['The fixer']);
      const withSubject = await app.call('clips.query', { subjectId: subjects.ok ? subjects.value[0]!.id : '', offset: 0, limit: 10 });
      expect(withSubject.ok && withSubject.value.items.map((clip) => clip.id)).toEqual([fieldClipId]); // field 1 came first: its ids stand

      const proxies = await app.call('proxies.status', {});
      expect(proxies.ok && proxies.value.map((status) => status.state)).toEqual(['ready', 'ready', 'ready']);
      const audit = await app.call('audit.verify', {});
      expect(audit.ok && audit.value.intact).toBe(true);
      const devices = await app.call('devices.list', {});
      if (!devices.ok) throw new Error(devices.error.message);
      expect(devices.value).toHaveLength(2);
      for (const device of devices.value) {
        expect(device.audit?.intact).toBe(true);
        expect(device.audit?.entries).toBeGreaterThan(3);
        expect(device.lastPushAt).not.toBeNull();
      }
    } finally {
      await app.close();
    }
  }, 120_000);
});
