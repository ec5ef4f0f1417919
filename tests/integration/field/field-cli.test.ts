import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cli } from '../cli/cli-harness';

/** The command-line way a producer adds a second HQ key to field vaults, and how the crew sees HQ's fingerprint. */
const env = { HQ: 'headquarters passphrase here', SECOND: 'second producer passphrase', CREW: 'crew passphrase in the field' };
let base: string;

beforeAll(async () => {
  base = await fs.mkdtemp(path.join(os.tmpdir(), 'sh-field-cli-'));
});
afterAll(async () => {
  await fs.rm(base, { recursive: true, force: true });
});

it('HQ signs a recipient set with a second key; the field vault applies it and shows the same HQ fingerprint throughout', async () => {
  const hq = path.join(base, 'hq');
  const field = path.join(base, 'field');
  const second = path.join(base, 'second');
  const hqCard = path.join(base, 'hq-card.json');
  expect((await cli(['init', '--vault', hq, '--passphrase-env', 'HQ'], env)).code).toBe(0);
  const exported = await cli(['recipients', 'export', '--vault', hq, '--passphrase-env', 'HQ', '--out', hqCard, '--json'], env);
  const fingerprint = (JSON.parse(exported.stdout) as { fingerprintWords: string }).fingerprintWords;
  expect(fingerprint).toMatch(/^([0-9A-F]{4} ){7}[0-9A-F]{4}$/);
  expect(JSON.parse(await fs.readFile(hqCard, 'utf8'))).toMatchObject({ version: 2, sig: expect.any(String) });

  const created = await cli(['init', '--vault', field, '--field', '--hq-card', hqCard, '--passphrase-env', 'CREW'], env);
  expect(created.stdout).toContain(`sealed to HQ ${fingerprint}`);
  const check = await cli(['unlock-check', '--vault', field, '--passphrase-env', 'CREW', '--json'], env);
  expect(JSON.parse(check.stdout).vault.hqFingerprint).toBe(fingerprint);

  // The second producer's key goes into HQ's own vault first, then HQ signs the set for the field.
  expect((await cli(['init', '--vault', second, '--passphrase-env', 'SECOND'], env)).code).toBe(0);
  const secondCard = path.join(base, 'second-card.json');
  expect((await cli(['recipients', 'export', '--vault', second, '--passphrase-env', 'SECOND', '--out', secondCard, '--class', 'master'], env)).code).toBe(0);
  expect((await cli(['recipients', 'add', '--vault', hq, '--passphrase-env', 'HQ', '--card', secondCard, '--class', 'master', '--label', 'Second producer'], env)).code).toBe(0);
  const setFile = path.join(base, 'set.json');
  const signed = await cli(['recipients', 'sign-set', '--vault', hq, '--passphrase-env', 'HQ', '--out', setFile], env);
  expect(signed.code, signed.stderr).toBe(0);
  expect(signed.stdout).toContain(fingerprint);

  // The crew cannot add it from the card, but can apply HQ's signed set.
  const direct = await cli(['recipients', 'add', '--vault', field, '--passphrase-env', 'CREW', '--card', secondCard, '--class', 'master', '--label', 'Second'], env);
  expect(direct.code).toBe(1);
  const applied = await cli(['recipients', 'apply-set', '--vault', field, '--passphrase-env', 'CREW', '--set', setFile], env);
  expect(applied.code, applied.stderr).toBe(0);
  expect(applied.stdout).toContain(fingerprint);
  const header = JSON.parse(await fs.readFile(path.join(field, 'vault.json'), 'utf8')) as { recipients: { master: unknown[] } };
  expect(header.recipients.master).toHaveLength(1);
  // HQ's own vault refuses to "apply" a set: only field vaults do.
  expect((await cli(['recipients', 'apply-set', '--vault', hq, '--passphrase-env', 'HQ', '--set', setFile], env)).code).toBe(1);
}, 180_000);
