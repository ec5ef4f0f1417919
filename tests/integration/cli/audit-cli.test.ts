import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCatalog } from '../../../src/main/core/catalog';
import { getCard } from '../media/card-fixture';
import { cli } from './cli-harness';

type Row = { seq: number; action: string; details_json: string; hash: string; sig: string };

/**
 * What the audit log must hold after a crew's and a producer's day at the command line, and that
 * `audit verify` only reads: the catalog's audit rows are compared before and after.
 */
describe('audit log from the command line', () => {
  let base: string;
  let vault: string;
  const env = { SH_PASS: 'correct horse battery staple' };
  const auth = () => ['--vault', vault, '--passphrase-env', 'SH_PASS'];
  const auditRows = async (): Promise<Row[]> => {
    const catalog = await openCatalog(path.join(vault, 'catalog.db'));
    try {
      return await catalog.all<Row>('SELECT seq, action, details_json, hash, sig FROM audit_log ORDER BY seq');
    } finally {
      await catalog.close();
    }
  };

  beforeAll(async () => {
    base = await fs.mkdtemp(path.join(os.tmpdir(), 'sh-cli-audit-'));
    vault = path.join(base, 'vault');
    const card = path.join(base, 'CARD');
    await fs.cp(getCard().root, card, { recursive: true, preserveTimestamps: true, filter: (file) => !/\.(MP4|MOV|MTS|WAV|JPG|PNG|SRT)$/i.test(file) || /C0001\.MP4$/.test(file) });
    expect((await cli(['init', ...auth()], env)).code).toBe(0);
    const ingest = await cli(['ingest', card, ...auth(), '--no-proxies', '--json'], env);
    expect(ingest.code, ingest.stdout).toBe(0);
  }, 120_000);
  afterAll(async () => {
    await fs.rm(base, { recursive: true, force: true });
  });

  it('logs every action that decrypts, exports or hands out keys: export master, export mhl, recipients export, ingest', async () => {
    const clips = JSON.parse((await cli(['clips', ...auth(), '--json'], env)).stdout) as { id: string }[];
    const cards = JSON.parse((await cli(['cards', ...auth(), '--json'], env)).stdout) as { id: string }[];
    expect((await cli(['export', 'master', ...auth(), '--clip', clips[0]!.id, '--out', path.join(base, 'm.mp4')], env)).code).toBe(0);
    expect((await cli(['export', 'mhl', ...auth(), '--card', cards[0]!.id, '--out', path.join(base, 'c.mhl')], env)).code).toBe(0);
    expect((await cli(['recipients', 'export', ...auth(), '--out', path.join(base, 'card.json'), '--class', 'master'], env)).code).toBe(0);

    const rows = await auditRows();
    expect(rows[0]).toMatchObject({ seq: 1, action: 'vault.create' });
    const actions = rows.map((row) => row.action);
    for (const action of ['ingest.start', 'ingest.finish', 'export.master', 'export.master-done', 'export.mhl', 'recipient.export']) expect(actions).toContain(action);
    const details = (action: string) => JSON.parse(rows.find((row) => row.action === action)!.details_json) as Record<string, unknown>;
    expect(details('export.master')).toMatchObject({ clip: clips[0]!.id });
    expect(details('export.master-done')).toMatchObject({ clip: clips[0]!.id, bytes: expect.any(Number) });
    expect(details('export.mhl')).toMatchObject({ card: cards[0]!.id });
    expect(details('recipient.export')).toEqual({ classes: 'master' });
    expect(details('ingest.finish')).toMatchObject({ verified: 1, failed: 0, safeToWipe: true });
    // The decrypting export is logged before its first plaintext byte is written, its outcome after.
    expect(actions.indexOf('export.master')).toBeLessThan(actions.indexOf('export.master-done'));
  }, 120_000);

  it('audit verify appends nothing to the log it checks (not even its own unlock)', async () => {
    const before = await auditRows();
    const first = await cli(['audit', 'verify', ...auth()], env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(new RegExp(`intact: ${before.length} entries`));
    const json = await cli(['audit', 'verify', ...auth(), '--json'], env);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: true, verification: { intact: true, entries: before.length } });
    expect(await auditRows()).toEqual(before);
  });

  it('reports an emptied log as empty, not as "intact: 1 entries"', async () => {
    const catalog = await openCatalog(path.join(vault, 'catalog.db'));
    try {
      await catalog.run('DROP TRIGGER audit_append_only_delete');
      await catalog.run('DELETE FROM audit_log');
    } finally {
      await catalog.close();
    }
    const text = await cli(['audit', 'verify', ...auth()], env);
    expect(text.code).toBe(1);
    expect(text.stderr).toMatch(/NOT intact[\s\S]*empty/);
    const json = await cli(['audit', 'verify', ...auth(), '--json'], env);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, verification: { intact: false, entries: 0, problems: [{ kind: 'empty' }] } });
    expect(await auditRows()).toEqual([]);
  });
});
