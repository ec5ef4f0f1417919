import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getCard } from '../media/card-fixture';
import { cli } from './cli-harness';

/** Keys from the command line: passphrase change, recipient cards, and a write-only field vault for HQ. */
describe('safehouse key commands', () => {
  let base: string;
  const env = { OLD: 'correct horse battery staple', NEW: 'another long passphrase here', CREW: 'crew passphrase in the field' };

  beforeAll(async () => {
    base = await fs.mkdtemp(path.join(os.tmpdir(), 'sh-cli-keys-'));
  });
  afterAll(async () => {
    await fs.rm(base, { recursive: true, force: true });
  });

  it('changes the passphrase: the old one stops working, the new one opens', async () => {
    const vault = path.join(base, 'hq');
    expect((await cli(['init', '--vault', vault, '--passphrase-env', 'OLD'], env)).code).toBe(0);
    const changed = await cli(['passwd', '--vault', vault, '--passphrase-env', 'OLD', '--new-passphrase-env', 'NEW'], env);
    expect(changed.code, changed.stderr).toBe(0);
    expect((await cli(['unlock-check', '--vault', vault, '--passphrase-env', 'OLD'], env)).code).toBe(1);
    expect((await cli(['unlock-check', '--vault', vault, '--passphrase-env', 'NEW'], env)).code).toBe(0);
  });

  it('exports a recipient card with a fingerprint to read aloud, and a field vault seals to it', async () => {
    const hq = path.join(base, 'hq');
    const cardFile = path.join(base, 'hq-card.json');
    const exported = await cli(['recipients', 'export', '--vault', hq, '--passphrase-env', 'NEW', '--out', cardFile], env);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toMatch(/([0-9A-F]{4} ){7}[0-9A-F]{4}/);
    const card = JSON.parse(await fs.readFile(cardFile, 'utf8')) as { keys: Record<string, string> };
    expect(Object.keys(card.keys).sort()).toEqual(['identity', 'master', 'proxy']);
    expect(JSON.stringify(card)).not.toMatch(/secret|private/i);

    const field = path.join(base, 'field');
    expect((await cli(['init', '--vault', field, '--field', '--passphrase-env', 'CREW'], env)).code).toBe(2);
    const created = await cli(['init', '--vault', field, '--field', '--hq-card', cardFile, '--passphrase-env', 'CREW', '--json'], env);
    expect(created.code, created.stderr).toBe(0);
    expect(JSON.parse(created.stdout).vault).toMatchObject({ kind: 'field', canOpen: { master: false, proxy: true, identity: false } });

    // The crew offloads; the field laptop lists clips but cannot open a master.
    const source = path.join(base, 'CARD');
    await fs.cp(getCard().root, source, { recursive: true, preserveTimestamps: true, filter: (file) => (!/\.(MP4|MOV|MTS|WAV|JPG|PNG|SRT|XML)$/i.test(file) || /IMG_0001\.MOV$/.test(file)) && !file.endsWith('/outside') });
    const ingest = await cli(['ingest', source, '--vault', field, '--passphrase-env', 'CREW'], env);
    expect(ingest.code, ingest.stdout).toBe(0);
    expect(ingest.stdout).toContain('Proxies are made at HQ');
    const clips = JSON.parse((await cli(['clips', '--vault', field, '--passphrase-env', 'CREW', '--json'], env)).stdout) as { id: string; status: string }[];
    expect(clips.map((clip) => clip.status)).toEqual(['verified']);
    const denied = await cli(['export', 'master', '--vault', field, '--passphrase-env', 'CREW', '--clip', clips[0]!.id, '--out', path.join(base, 'x.mp4')], env);
    expect(denied.code).toBe(1);
    expect(denied.stderr).toMatch(/HQ/);
  }, 120_000);

  it('adds another recipient to a class, after which the vault lists it', async () => {
    const hq = path.join(base, 'hq');
    const other = path.join(base, 'second-producer');
    expect((await cli(['init', '--vault', other, '--passphrase-env', 'OLD'], env)).code).toBe(0);
    const cardFile = path.join(base, 'second-card.json');
    expect((await cli(['recipients', 'export', '--vault', other, '--passphrase-env', 'OLD', '--out', cardFile, '--class', 'identity'], env)).code).toBe(0);
    const added = await cli(['recipients', 'add', '--vault', hq, '--passphrase-env', 'NEW', '--card', cardFile, '--class', 'identity', '--label', 'Second producer', '--json'], env);
    expect(added.code, added.stderr).toBe(0);
    const tampered = JSON.parse(await fs.readFile(cardFile, 'utf8')) as { keys: Record<string, string> };
    tampered.keys['identity'] = Buffer.alloc(32, 7).toString('base64');
    await fs.writeFile(path.join(base, 'tampered.json'), JSON.stringify(tampered));
    const refused = await cli(['recipients', 'add', '--vault', hq, '--passphrase-env', 'NEW', '--card', path.join(base, 'tampered.json'), '--class', 'identity', '--label', 'Mallory'], env);
    expect(refused.code).toBe(1);
  }, 60_000);
});
