import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSafehouse, type Safehouse } from '../../../src/main/core/app';
import { readTimecodePolicy } from '../../../src/main/core/ingest/timecode-policy';
import { createVault, readRecipientCard, unlockVault } from '../../../src/main/core/vault/vault';

const PASS = 'correct horse battery staple';

describe('vault.setTimecodePolicy', () => {
  let base: string;
  let hqDir: string;
  let fieldDir: string;
  let safehouse: Safehouse;

  beforeAll(async () => {
    base = await fs.mkdtemp(path.join(os.tmpdir(), 'sh-timecode-'));
    hqDir = path.join(base, 'hq');
    fieldDir = path.join(base, 'field');
    const hq = await createVault(hqDir, PASS);
    const card = readRecipientCard(JSON.stringify(hq.exportRecipientCard()));
    hq.lock();
    (await createVault(fieldDir, 'field crew passphrase', { kind: 'field', hqRecipientCard: card })).lock();
    safehouse = createSafehouse();
  });

  afterAll(async () => {
    await safehouse?.close();
    await fs.rm(base, { recursive: true, force: true });
  });

  it('HQ keeps the timecode by default, drops it on request and keeps the choice, sealed', async () => {
    expect((await safehouse.call('vault.unlock', { dir: hqDir, passphrase: PASS })).ok).toBe(true);
    expect(await safehouse.call('vault.setTimecodePolicy', { policy: 'drop' })).toEqual({ ok: true, value: { timecodePolicy: 'drop' } });
    await safehouse.call('vault.lock', {});
    const hq = await unlockVault(hqDir, PASS);
    try {
      expect(await readTimecodePolicy(hq)).toBe('drop');
      const row = await (await hq.catalog()).get<{ value_sealed: Uint8Array }>("SELECT value_sealed FROM settings WHERE key = 'timecode-policy'");
      expect(Buffer.from(row!.value_sealed).includes(Buffer.from('drop'))).toBe(false);
    } finally {
      hq.lock();
    }
  });

  it('a field vault cannot change it, and an unknown policy is refused', async () => {
    expect((await safehouse.call('vault.unlock', { dir: fieldDir, passphrase: 'field crew passphrase' })).ok).toBe(true);
    expect(await safehouse.call('vault.setTimecodePolicy', { policy: 'drop' })).toMatchObject({ ok: false, error: { code: 'KEY_CLASS_UNAVAILABLE' } });
    expect(await safehouse.call('vault.setTimecodePolicy', { policy: 'blur' } as never)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    await safehouse.call('vault.lock', {});
  });
});
