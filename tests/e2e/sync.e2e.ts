import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSafehouse, type Safehouse } from '../../src/main/core/app';
import { openCarrier } from '../../src/main/core/sync/open-carrier';
import { unlockVault } from '../../src/main/core/vault/vault';
import type { SyncProgress } from '../../src/shared/model';
import { startS3, type S3Emulator } from '../helpers/s3-emulator';
import { cardWith } from '../integration/sync/sync-fixture';
import { axeViolations, closeApp, startApp, type AppPage } from './harness';

/**
 * Issue 13 point 6 in Chromium against the real core and an S3 API (s3rver) on the loopback: a field
 * laptop pushes with progress (and is told plainly what went wrong with a wrong bucket, an unreachable
 * server or a refused key), HQ enrolls it from its card with the fingerprint to compare, pulls, and sees
 * its status; then the crew's panic button leaves the field vault unreadable while HQ keeps the footage.
 */
describe('devices & sync in the window', () => {
  let base: string;
  let safehouse: Safehouse;
  let app: AppPage;
  let s3: S3Emulator;
  let hqDir: string;
  let fieldDir: string;
  let fieldCard = '';
  let fieldFingerprint = '';
  let pushedClips = 0;
  const HQ_PASS = 'headquarters keeps the masters safe';
  const CREW_PASS = 'crew laptop night train border';
  const bucket = 'crew-bucket';
  const remote = `s3://${bucket}/field-a`;
  const longName = 'Camera B laptop — night crossing unit, second team, borrowed from the Lisbon edit suite';
  const events: SyncProgress[] = [];
  let usbFolder: string;

  const nav = (name: string) => app.page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: new RegExp(`^${name}`) }).click();
  const noSeriousAxe = async (where: string) => {
    const serious = (await axeViolations(app.page)).filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
    expect(serious, where).toEqual([]);
  };
  /** Looks at the page at both sizes the app must hold up at, with axe at each. */
  const atBothSizes = async (name: string) => {
    await noSeriousAxe(`${name} 1280`);
    await app.screenshot(`${name}-1280`);
    await app.page.setViewportSize({ width: 1024, height: 640 });
    await noSeriousAxe(`${name} 1024`);
    await app.screenshot(`${name}-1024`);
    await app.page.setViewportSize({ width: 1280, height: 820 });
  };
  /** Every text the progress bar showed, recorded in the page as it changes (events come every 250 ms). */
  const recordProgress = () =>
    app.page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { __progressSeen: string[] }).__progressSeen = seen;
      new MutationObserver(() => {
        const bar = document.querySelector('.transfer .progress');
        if (bar?.textContent && seen.at(-1) !== bar.textContent) seen.push(bar.textContent);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
  const progressSeen = () => app.page.evaluate(() => (window as unknown as { __progressSeen: string[] }).__progressSeen);
  const remoteForm = async (action: string, where: string, server: string) => {
    const form = app.page.getByRole('form', { name: action });
    // The server is disabled while the remote is a folder: empty the remote, fill the server, then the remote.
    const remoteField = form.getByLabel('Remote: S3 address or folder on a drive');
    await remoteField.fill('');
    await form.getByLabel(/^Storage server/).fill(server);
    await remoteField.fill(where);
    await form.getByRole('button', { name: action }).click();
  };
  const unlock = async (dir: string, passphrase: string) => {
    await app.page.getByLabel('Vault folder').fill(dir);
    await app.page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
    await app.page.getByRole('button', { name: 'Unlock' }).click();
    await app.page.getByRole('navigation', { name: 'Main' }).waitFor({ timeout: 60_000 });
  };

  beforeAll(async () => {
    s3 = await startS3([bucket]);
    // Small parts, so an 80 MB object travels in several and the window sees progress between them.
    process.env['SAFEHOUSE_SYNC_PART_MIB'] = '5';
    ({ base, safehouse, app } = await startApp('safehouse-e2e-sync-', async (facade, folder) => {
      hqDir = path.join(folder, 'hq');
      usbFolder = path.join(folder, 'USB drive #2', 'safehouse');
      fieldDir = path.join(folder, 'field');
      const hq = createSafehouse({ version: 'e2e' });
      let hqCard: string;
      try {
        expect((await hq.call('vault.create', { dir: hqDir, passphrase: HQ_PASS })).ok).toBe(true);
        const card = await hq.call('recipients.export', {});
        if (!card.ok) throw new Error(card.error.message);
        hqCard = card.value.card;
      } finally {
        await hq.close();
      }
      expect((await facade.call('vault.create', { dir: fieldDir, passphrase: CREW_PASS, kind: 'field', hqRecipientCard: hqCard })).ok).toBe(true);
      const cardDir = await cardWith(path.join(folder, 'CARD'), /IMG_0001\.MOV$|C0001\.MP4$/);
      const offload = await facade.call('offload.start', { path: cardDir, label: 'Roll 1', proxies: 'wait' });
      if (!offload.ok) throw new Error(offload.error.message);
      pushedClips = offload.value.counts.verified;
      // A recorded verbal consent, large enough for the push to take a few progress events.
      const subject = await facade.call('subjects.create', { pseudonym: 'Witness Teal' });
      if (!subject.ok) throw new Error(subject.error.message);
      const recording = path.join(folder, 'consent-recording.bin');
      await fs.writeFile(recording, randomBytes(80 * 1024 * 1024));
      const evidence = await facade.call('subjects.addEvidence', { id: subject.value.id, path: recording, kind: 'verbal' });
      if (!evidence.ok) throw new Error(evidence.error.message);
      await fs.rm(recording);
      facade.on('sync.progress', (event) => events.push(event));
    }));
  });
  afterAll(async () => {
    await closeApp({ base, safehouse, app });
    await s3?.stop();
    delete process.env['SAFEHOUSE_SYNC_PART_MIB'];
  });

  it('field: shows the laptop’s card and what waits, and says plainly why a push failed', async () => {
    const { page } = app;
    expect(pushedClips).toBeGreaterThan(0);
    await nav('Devices & sync');
    await expect.poll(() => page.locator('#screen-title').textContent()).toBe('Devices & sync');
    await expect.poll(() => page.locator('.device-self').textContent()).toContain(`${pushedClips} clip`);
    expect(await page.locator('.device-self').textContent()).toContain('not pushed yet');
    await page.getByRole('button', { name: 'Show the card' }).click();
    fieldCard = await page.getByLabel('Card', { exact: true }).inputValue();
    fieldFingerprint = (await page.locator('.fingerprint').first().textContent()) ?? '';
    expect(fieldFingerprint).toMatch(/^([0-9A-F]{4} ){7}[0-9A-F]{4}$/);
    await page.getByRole('button', { name: 'Copy card' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Copied' }).count()).toBe(1);

    // An address that is neither S3 nor a folder is refused in the window, before the core is asked.
    await remoteForm('Push to HQ', 'bucket/field-a', '');
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('full path of a folder');

    const failure = page.locator('.transfer-failure');
    await remoteForm('Push to HQ', 's3://no-such-bucket/field-a', s3.endpoint);
    await expect.poll(() => failure.textContent(), { timeout: 60_000 }).toContain('no bucket with that name');
    await app.screenshot('sync-field-wrong-bucket-1280');

    await remoteForm('Push to HQ', remote, 'http://127.0.0.1:1');
    await expect.poll(() => failure.textContent(), { timeout: 60_000 }).toContain('could not be reached');
    expect(await failure.textContent()).toContain('already sent is kept');

    process.env['AWS_ACCESS_KEY_ID'] = 'NOT-THE-KEY';
    try {
      await remoteForm('Push to HQ', remote, s3.endpoint);
      await expect.poll(() => failure.textContent(), { timeout: 60_000 }).toMatch(/refused this computer’s access key|did not accept this computer’s access key/);
      await app.screenshot('sync-field-wrong-key-1280');
    } finally {
      process.env['AWS_ACCESS_KEY_ID'] = 'S3RVER';
    }
    // What the window says is its own wording: never the tool's error name or a command line.
    expect(await page.locator('.content').textContent()).not.toMatch(/NoSuchBucket|ECONNREFUSED|InvalidAccessKeyId|Forbidden|safehouse |--remote/);
    await atBothSizes('sync-field-failed');
  });

  it('field: pushes with bytes, objects, MB/s and time left, then nothing waits', async () => {
    const { page } = app;
    events.length = 0;
    await recordProgress();
    await remoteForm('Push to HQ', remote, s3.endpoint);
    // Leaving the screen mid-push and coming back re-attaches to the push the core is still running.
    await expect.poll(async () => (await progressSeen()).some((text) => /\D[1-9]\d?%/.test(text)), { timeout: 60_000 }).toBe(true);
    await nav('Library');
    await expect.poll(() => page.locator('#screen-title').textContent()).toBe('Library');
    await nav('Devices & sync');
    const result = page.locator('.transfer-result');
    await expect.poll(() => result.textContent(), { timeout: 120_000 }).toContain('Sent.');

    const last = events.at(-1)!;
    expect(last).toMatchObject({ direction: 'push', phase: 'done' });
    expect(last.bytesDone).toBe(last.bytesTotal);
    expect(last.bytesTotal).toBeGreaterThan(80 * 1024 * 1024);
    // The window showed the bytes moving (an 'objects' event between start and end), with a rate.
    const seen = await progressSeen();
    expect(seen.some((text) => text.startsWith('Sending to HQ') && /MB\/s/.test(text) && /left|estimating/.test(text))).toBe(true);
    expect(seen.some((text) => /\D[1-9]\d?%/.test(text)), JSON.stringify(seen)).toBe(true);
    // The final line and the summary say what the core counted, and the bucket holds exactly that.
    const bar = page.locator('.transfer .progress');
    expect(await bar.textContent()).toContain(`${last.objectsTotal} of ${last.objectsTotal} objects`);
    expect(await result.textContent()).toContain(`${last.objectsTotal} objects`);
    const carrier = openCarrier(remote, s3.endpoint);
    try {
      expect((await carrier.list('objects/')).length).toBe(last.objectsTotal);
    } finally {
      carrier.close();
    }
    await expect.poll(() => page.locator('.device-self').textContent()).toContain('Nothing waiting: HQ can pull everything');
    expect(await page.locator('.device-self').textContent()).toMatch(/just now|min ago/);
    await atBothSizes('sync-field-pushed');

    // A drive instead of a bucket: the folder typed as a path (a space and # in its name) gets the same layout.
    const server = page.getByRole('form', { name: 'Push to HQ' }).getByLabel(/^Storage server/);
    await page.getByRole('form', { name: 'Push to HQ' }).getByLabel('Remote: S3 address or folder on a drive').fill(usbFolder);
    expect(await server.isDisabled()).toBe(true);
    await page.getByRole('form', { name: 'Push to HQ' }).getByRole('button', { name: 'Push to HQ' }).click();
    await expect.poll(() => result.textContent(), { timeout: 120_000 }).toContain(`Sent. ${last.objectsTotal} objects`);
    expect((await fs.readdir(path.join(usbFolder, 'objects'))).length).toBeGreaterThan(0);
  });

  it('HQ: refuses footage from a laptop not enrolled, enrolls it from its card with the fingerprint, then pulls it', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Lock vault' }).click();
    await unlock(hqDir, HQ_PASS);
    await nav('Devices & sync');
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('No field laptop enrolled yet');
    await atBothSizes('sync-hq-empty');

    const failure = page.locator('.transfer-failure');
    await remoteForm('Pull from the remote', remote, s3.endpoint);
    await expect.poll(() => failure.textContent(), { timeout: 60_000 }).toContain('not enrolled here');
    expect(await page.getByRole('button', { name: 'Enroll laptop' }).isDisabled()).toBe(true);

    const cardField = page.getByLabel('The laptop’s card');
    await cardField.fill('{ "this is": "not a card" }');
    await expect.poll(() => page.getByRole('form', { name: 'Enroll a field laptop' }).getByRole('alert').textContent()).toContain('does not look like a laptop’s card');
    // The card copied on the field laptop's screen, pasted here.
    await cardField.fill('');
    await cardField.focus();
    await page.keyboard.press('Control+V');
    await expect.poll(() => cardField.inputValue()).toBe(fieldCard);
    await page.getByLabel('Name for this laptop').fill(longName);
    await expect.poll(() => page.getByRole('form', { name: 'Enroll a field laptop' }).locator('.fingerprint').first().textContent()).toBe(fieldFingerprint);
    expect(await page.getByRole('button', { name: 'Enroll laptop' }).isDisabled()).toBe(true);
    await page.getByLabel(/I read this fingerprint with the crew/).check();
    await atBothSizes('sync-hq-enroll-compare');
    await page.getByRole('button', { name: 'Enroll laptop' }).click();
    const enrolled = page.locator('.enrolled');
    await expect.poll(() => enrolled.textContent()).toContain('Enrolled.');
    expect(await enrolled.textContent()).toContain(fieldFingerprint);
    await expect.poll(() => page.locator('.device-table').textContent()).toContain(longName);
    expect(await page.locator('.device-table tbody tr').count()).toBe(1);

    // The same card again, this time picked as a file: enrolled once, and the window says so.
    await page.getByLabel('Or open the card file').setInputFiles({ name: 'field-card.json', mimeType: 'application/json', buffer: Buffer.from(fieldCard) });
    await expect.poll(() => cardField.inputValue()).toBe(fieldCard);
    await page.getByLabel(/I read this fingerprint with the crew/).check();
    await page.getByRole('button', { name: 'Enroll laptop' }).click();
    await expect.poll(() => page.locator('.notice').textContent()).toContain('Already enrolled.');
    expect(await page.locator('.device-table tbody tr').count()).toBe(1);

    events.length = 0;
    await recordProgress();
    await remoteForm('Pull from the remote', remote, s3.endpoint);
    const result = page.locator('.transfer-result');
    await expect.poll(() => result.textContent(), { timeout: 120_000 }).toContain('Received.');
    const last = events.at(-1)!;
    expect(last).toMatchObject({ direction: 'pull' });
    expect(last.bytesDone).toBeGreaterThan(80 * 1024 * 1024);
    const seen = await progressSeen();
    expect(seen.some((text) => /MB\/s/.test(text) && /of \d+ objects/.test(text)), JSON.stringify(seen)).toBe(true);
    const clips = await safehouse.call('clips.list', {});
    if (!clips.ok) throw new Error(clips.error.message);
    expect(clips.value).toHaveLength(pushedClips);
    expect(await result.textContent()).toContain(`${pushedClips} new clip`);

    // The laptop's row: pushed and pulled just now, nothing left on the remote, its audit log verified.
    const row = page.locator('.device-table tbody tr');
    await expect.poll(() => row.textContent()).toContain('Nothing waiting on the remote');
    const text = (await row.textContent()) ?? '';
    expect(text).toMatch(/Verified \(\d+ entries\)/);
    expect(text.match(/just now|min ago/g)?.length).toBe(2);
    const devices = await safehouse.call('devices.list', { remote, endpoint: s3.endpoint });
    expect(devices.ok && devices.value[0]).toMatchObject({ name: longName, pending: { records: 0 }, audit: { intact: true } });
    expect(await page.locator('.content').textContent()).not.toMatch(/safehouse |--remote|[0-9a-f]{32}/);
    await atBothSizes('sync-hq-pulled');

    // The drive the crew carried home holds the same batch as the bucket: nothing new, and the window says so.
    await remoteForm('Pull from the remote', usbFolder, '');
    await expect.poll(() => result.textContent(), { timeout: 60_000 }).toContain('Nothing new on this remote');
    const again = await safehouse.call('clips.list', {});
    expect(again.ok && again.value.length).toBe(pushedClips);
  });

  it('field: panic asks first (focus on keeping, Escape keeps), then leaves the vault unreadable; HQ still opens the footage', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Lock vault' }).click();
    await unlock(fieldDir, CREW_PASS);
    await nav('Devices & sync');
    // The remote typed before the lock is forgotten: a forced unlock does not show where footage goes.
    expect(await page.getByRole('form', { name: 'Push to HQ' }).getByLabel('Remote: S3 address or folder on a drive').inputValue()).toBe('');
    const header = JSON.parse(await fs.readFile(path.join(fieldDir, 'vault.json'), 'utf8')) as { keys: { proxy: { wrapped: string } }; signing: { wrapped: string } };
    const secrets = [header.keys.proxy.wrapped, header.signing.wrapped];

    await page.getByRole('button', { name: 'Panic: destroy the keys…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Destroy this laptop’s keys?' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('cannot be undone');
    expect(await dialog.textContent()).toContain('Footage already pushed to HQ still opens there');
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Keep the vault');
    await atBothSizes('sync-panic-confirm');
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    expect((await safehouse.call('vault.status', {})).ok && (await safehouse.call('vault.status', {}))).toMatchObject({ value: { state: 'unlocked' } });

    await page.getByRole('button', { name: 'Panic: destroy the keys…' }).click();
    await page.getByRole('button', { name: 'Destroy the keys now' }).click();
    const after = page.getByRole('heading', { name: 'The vault’s keys are destroyed on this laptop' });
    await after.waitFor({ timeout: 30_000 });
    await expect.poll(() => after.evaluate((element) => element === document.activeElement)).toBe(true);
    await atBothSizes('sync-after-panic');

    // As the core's panic tests expect: the wrapped keys are gone from the header, no passphrase opens it.
    const text = await fs.readFile(path.join(fieldDir, 'vault.json'), 'utf8');
    for (const secret of secrets) expect(text).not.toContain(secret);
    await expect(unlockVault(fieldDir, CREW_PASS)).rejects.toMatchObject({ code: 'VAULT_PANICKED' });
    await page.getByLabel('Passphrase', { exact: true }).fill(CREW_PASS);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('destroyed with the panic action');

    // What was pushed before still opens at HQ, masters included.
    const hq = createSafehouse({ version: 'e2e' });
    try {
      expect((await hq.call('vault.unlock', { dir: hqDir, passphrase: HQ_PASS })).ok).toBe(true);
      const clips = await hq.call('clips.list', {});
      if (!clips.ok) throw new Error(clips.error.message);
      const out = path.join(base, 'master-out.mov');
      const exported = await hq.call('export.master', { clipId: clips.value[0]!.id, outPath: out });
      if (!exported.ok) throw new Error(exported.error.message);
      expect(exported.value.bytes).toBeGreaterThan(0);
    } finally {
      await hq.close();
    }
  });

  it('ran without console errors', () => {
    expect(app.consoleErrors).toEqual([]);
  });
});
