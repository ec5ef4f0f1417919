import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Catalog } from '../../../src/main/core/catalog/catalog';
import { migrations } from '../../../src/main/core/catalog/migrations';

const open: Catalog[] = [];
const faceMigration = migrations.find((m) => m.name === 'face tracks')!;
async function fresh(before: boolean): Promise<Catalog> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'sh-catalog-faces-'));
  const c = await Catalog.open(path.join(dir, 'catalog.db'), migrations.filter((m) => (before ? m.version < faceMigration.version : true)));
  open.push(c);
  return c;
}
afterEach(async () => {
  for (const c of open.splice(0)) await c.close();
});

describe("migration 'face tracks'", () => {
  it('adds the face tables on top of the previous version, keeping clips', async () => {
    const c = await fresh(true);
    await c.run("INSERT INTO cards (id, label_sealed, created_at) VALUES ('k', x'00', 'now')");
    await c.run("INSERT INTO clips (id, card_id, code, kind, status, created_at) VALUES ('c1', 'k', 'C0001', 'video', 'verified', 'now')");
    expect(await c.migrate(migrations, faceMigration.version)).toBe(faceMigration.version);
    expect(await c.get('SELECT code FROM clips')).toEqual({ code: 'C0001' });
    const columns = async (table: string) => (await c.all<{ name: string }>(`PRAGMA table_info(${table})`)).map((r) => r.name);
    expect(await columns('face_scans')).toEqual(['clip_id', 'scanned_at', 'frames', 'settings_json', 'confirmed_at']);
    expect(await columns('face_tracks')).toEqual(['id', 'clip_id', 'origin', 'keyframes_json', 'score', 'confirmed', 'appearance_id', 'created_at', 'updated_at']);
  });

  it.each([
    { name: 'an unknown origin', sql: "INSERT INTO face_tracks VALUES ('t', 'c1', 'guessed', '[]', NULL, 0, NULL, 'now', 'now')" },
    { name: 'a confirmed flag other than 0/1', sql: "INSERT INTO face_tracks VALUES ('t', 'c1', 'drawn', '[]', NULL, 2, NULL, 'now', 'now')" },
    { name: 'text in the score column (STRICT)', sql: "INSERT INTO face_tracks VALUES ('t', 'c1', 'drawn', '[]', 'high', 0, NULL, 'now', 'now')" },
  ])('refuses $name', async ({ sql }) => {
    const c = await fresh(false);
    await c.run("INSERT INTO cards (id, label_sealed, created_at) VALUES ('k', x'00', 'now')");
    await c.run("INSERT INTO clips (id, card_id, code, kind, status, created_at) VALUES ('c1', 'k', 'C0001', 'video', 'verified', 'now')");
    await expect(c.run(sql)).rejects.toThrow();
  });
});
