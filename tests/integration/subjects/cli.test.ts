import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/main/cli/run';
import { Catalog } from '../../../src/main/core/catalog';
import { createVault } from '../../../src/main/core/vault/vault';
import { appendGenesis } from '../../../src/main/core/audit/audit-log';
import { PASS, tempDir } from '../../unit/vault/helpers';
import { insertClip, recordExport } from '../../unit/subjects/fixtures';

let root: string;
let dir: string;
let clipA: string;
let clipB: string;
let exportId: string;

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io = { stdout: (t: string) => void (out += t), stderr: (t: string) => void (err += t), env: { SH_PASS: PASS } };
  const code = await runCli([...argv, '--vault', dir, '--passphrase-env', 'SH_PASS'], io, { version: 'test' });
  return { code, out, err };
}

beforeAll(async () => {
  root = await tempDir('sh-subjects-cli-');
  dir = path.join(root, 'vault');
  const vault = await createVault(dir, PASS);
  await appendGenesis(vault); // as the facade does when it creates a vault
  clipA = await insertClip(vault, 'C0001');
  clipB = await insertClip(vault, 'C0002');
  exportId = await recordExport(vault, 'Editor K', [clipA]);
  await (await vault.catalog()).close();
  vault.lock();
});
afterAll(() => fs.rm(root, { recursive: true, force: true }));

describe('safehouse subjects / appear / review / status / audit / safety-report', () => {
  let id = '';

  it('adds a subject and prints its id', async () => {
    const added = await cli('subjects', 'add', '--pseudonym', 'Heron', '--real-name', 'Amina Example', '--protect', 'face,voice');
    expect(added.code).toBe(0);
    id = added.out.trim();
    expect(id).toMatch(/^[0-9a-f]{16}$/);
    const list = await cli('subjects', 'list', '--json');
    expect(JSON.parse(list.out).subjects).toMatchObject([{ id, pseudonym: 'Heron', protection: ['face', 'voice'], identity: { realName: 'Amina Example' } }]);
  });

  it('records an appearance with timecodes and consent; status explains what is missing', async () => {
    const appear = await cli('appear', '--clip', clipA, '--subject', id, '--from', '00:00:02', '--to', '5.5', '--json');
    expect(appear.code).toBe(0);
    expect(JSON.parse(appear.out).appearance.ranges).toEqual([{ from: 2, to: 5.5 }]);
    expect((await cli('subjects', 'consent', '--subject', id, '--state', 'given', '--scope', 'face hidden')).code).toBe(0);
    expect((await cli('review', '--clip', clipB, '--no-people')).out).toMatch(/C0002: reviewed, nobody identifiable; now cleared/);
    const status = await cli('status', '--json');
    const report = JSON.parse(status.out);
    expect(report.counts).toEqual({ cleared: 1, needsReview: 1, blocked: 0 });
    expect(report.clips.find((c: { code: string }) => c.code === 'C0001').reasons.map((r: { code: string }) => r.code)).toEqual(['face-uncovered']);
  });

  it('withdrawal blocks the clips and prints the recall list', async () => {
    const withdrawn = await cli('subjects', 'consent', '--subject', id, '--state', 'withdrawn');
    expect(withdrawn.code).toBe(0);
    expect(withdrawn.out).toMatch(/now blocked/);
    expect(withdrawn.out).toContain('to Editor K  clips C0001');
    expect(withdrawn.out).toContain(exportId);
    const shown = JSON.parse((await cli('subjects', 'show', '--subject', id, '--json')).out).subject;
    expect(shown.consentHistory.map((c: { state: string }) => c.state)).toEqual(['withdrawn', 'given']);
    expect(shown.exports).toHaveLength(1);
  });

  it('writes the HTML safety report', async () => {
    const out = path.join(root, 'report.html');
    expect((await cli('safety-report', '--out', out)).code).toBe(0);
    const html = await fs.readFile(out, 'utf8');
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toContain('Amina');
  });

  it('audit verify passes, then fails with what is wrong after the tail is cut past a checkpoint', async () => {
    const file = path.join(root, 'checkpoint.json');
    expect((await cli('audit', 'export-checkpoint', '--out', file)).code).toBe(0);
    const ok = await cli('audit', 'verify', '--checkpoint', file);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/intact/);
    const checkpoint = JSON.parse(await fs.readFile(file, 'utf8')) as { seq: number };
    const db = await Catalog.open(path.join(dir, 'catalog.db'));
    await db.run('DROP TRIGGER audit_append_only_delete');
    await db.run('DELETE FROM audit_log WHERE seq >= ?', [checkpoint.seq - 1]);
    await db.close();
    const bad = await cli('audit', 'verify', '--checkpoint', file);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/NOT intact[\s\S]*cut off/);
  });

  it('usage errors exit 2 before touching the vault', async () => {
    expect((await cli('subjects', 'protect', '--subject', 'x', '--set', 'face,bogus')).code).toBe(2);
    const badTime = await cli('appear', '--clip', 'c', '--subject', 's', '--from', '1:2:3:4', '--to', '5');
    expect(badTime.code).toBe(2);
    expect(badTime.err).toMatch(/not a time/);
    expect((await cli('review', '--clip', 'c')).code).toBe(2);
  });
});
