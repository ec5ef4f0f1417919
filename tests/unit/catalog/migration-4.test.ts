import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Catalog } from '../../../src/main/core/catalog/catalog';
import { migrations } from '../../../src/main/core/catalog/migrations';
import { exportsContainingClips } from '../../../src/main/core/subjects/exports-lookup';
import type { UnlockedVault } from '../../../src/main/core/vault/vault';

const open: Catalog[] = [];
const dirs: string[] = [];
async function fileAt(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'sh-mig4-'));
  dirs.push(dir);
  return path.join(dir, 'catalog.db');
}
async function openAt(file: string, upTo: number): Promise<Catalog> {
  const c = await Catalog.open(file, migrations.filter((m) => m.version <= upTo));
  open.push(c);
  return c;
}
afterEach(async () => {
  for (const c of open.splice(0)) await c.close();
  for (const d of dirs.splice(0)) await fs.rm(d, { recursive: true, force: true });
});

const NEW_TABLES = ['appearances', 'audit_log', 'clip_reviews', 'consents', 'subject_evidence', 'subjects'];
const tables = async (c: Catalog) => (await c.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")).map((r) => r.name);

describe('migration 4: subjects, consent, appearances, reviews, audit', () => {
  it('applies on an empty database', async () => {
    const c = await openAt(await fileAt(), 4);
    expect(await c.schemaVersion()).toBe(4);
    expect(await tables(c)).toEqual(expect.arrayContaining(NEW_TABLES));
  });

  it('applies on version 3 keeping its data, and the new tables link to existing clips', async () => {
    const file = await fileAt();
    const v3 = await openAt(file, 3);
    await v3.run("INSERT INTO cards (id, created_at) VALUES ('card1', 'now')");
    await v3.run("INSERT INTO clips (id, card_id, code, kind, status, created_at) VALUES ('clip1', 'card1', 'C0001', 'video', 'verified', 'now')");
    await v3.close();
    const c = await openAt(file, 4);
    expect(await c.schemaVersion()).toBe(4);
    expect(await c.get('SELECT id, code FROM clips')).toEqual({ id: 'clip1', code: 'C0001' });
    await c.run("INSERT INTO subjects (id, pseudonym_sealed, created_at) VALUES ('s1', x'00', 'now')");
    await c.run("INSERT INTO appearances (id, subject_id, clip_id, created_at) VALUES ('a1', 's1', 'clip1', 'now')");
    await expect(c.run("INSERT INTO appearances (id, subject_id, clip_id, created_at) VALUES ('a2', 's1', 'nope', 'now')")).rejects.toThrow(/FOREIGN KEY/);
    await expect(c.run("INSERT INTO consents (subject_id, state, recorded_at) VALUES ('s1', 'maybe', 'now')")).rejects.toThrow(/CHECK/);
  });

  it('consent history and the audit log refuse UPDATE and DELETE', async () => {
    const c = await openAt(await fileAt(), 4);
    await c.run("INSERT INTO subjects (id, pseudonym_sealed, created_at) VALUES ('s1', x'00', 'now')");
    await c.run("INSERT INTO consents (subject_id, state, recorded_at) VALUES ('s1', 'given', 'now')");
    await c.run("INSERT INTO audit_log (seq, at, action, details_json, prev_hash, hash, sig) VALUES (1, 'now', 'x', '{}', 'a', 'b', 'c')");
    for (const sql of ["UPDATE consents SET state = 'withdrawn'", 'DELETE FROM consents', "UPDATE audit_log SET action = 'y'", 'DELETE FROM audit_log']) {
      await expect(c.run(sql)).rejects.toThrow(/append-only/);
    }
  });

  it('export lookups work before the exports tables exist (migration 5)', async () => {
    const c = await openAt(await fileAt(), 4);
    expect(await exportsContainingClips({} as UnlockedVault, c, ['clip1'])).toEqual([]);
  });
});
