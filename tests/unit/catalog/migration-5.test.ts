import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Catalog } from '../../../src/main/core/catalog/catalog';
import { migrations } from '../../../src/main/core/catalog/migrations';

const open: Catalog[] = [];
async function fresh(upTo: number): Promise<Catalog> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'sh-catalog5-'));
  const c = await Catalog.open(path.join(dir, 'catalog.db'), migrations.filter((m) => m.version <= upTo));
  open.push(c);
  return c;
}
afterEach(async () => {
  for (const c of open.splice(0)) await c.close();
});

const columns = async (c: Catalog, table: string) =>
  (await c.all<{ name: string; type: string }>(`PRAGMA table_info(${table})`)).map((r) => `${r.name}:${r.type}`);

describe('migration 5: proxies and exports', () => {
  it('adds the tables on top of version 4, keeping clips', async () => {
    const c = await fresh(4);
    await c.run("INSERT INTO cards (id, label_sealed, created_at) VALUES ('k', x'00', 'now')");
    await c.run("INSERT INTO clips (id, card_id, code, kind, status, created_at) VALUES ('c1', 'k', 'C0001', 'video', 'verified', 'now')");
    expect(await c.migrate(migrations, 5)).toBe(5);
    expect(await c.get('SELECT code FROM clips')).toEqual({ code: 'C0001' });
    expect(await columns(c, 'proxies')).toEqual([
      'clip_id:TEXT', 'object_id:TEXT', 'thumbs_object_id:TEXT', 'plan_fingerprint:TEXT', 'mode:TEXT', 'created_at:TEXT',
    ]);
    expect(await columns(c, 'exports')).toEqual(['id:TEXT', 'created_at:TEXT', 'recipient_sealed:BLOB', 'manifest_object_id:TEXT']);
    expect(await columns(c, 'export_items')).toEqual(['export_id:TEXT', 'clip_id:TEXT', 'proxy_object_id:TEXT']);
  });

  it('a proxy row must point at a recorded object and name a known mode', async () => {
    const c = await fresh(5);
    await expect(c.run("INSERT INTO proxies VALUES ('c1', 'missing', NULL, 'f', 'full', 'now')")).rejects.toThrow(/FOREIGN KEY/);
    await c.run("INSERT INTO objects VALUES ('o1', 'proxy', 10, 'now')");
    await expect(c.run("INSERT INTO proxies VALUES ('c1', 'o1', NULL, 'f', 'blurred', 'now')")).rejects.toThrow(/CHECK/);
    await c.run("INSERT INTO proxies VALUES ('c1', 'o1', NULL, 'f', 'full', 'now')");
  });

  it('export history survives the proxy it held and cannot be deleted', async () => {
    const c = await fresh(5);
    await c.run("INSERT INTO exports (id, created_at, recipient_sealed) VALUES ('e1', 'now', x'01')");
    // the proxy object id is history: no foreign key, so replacing the proxy keeps the record
    await c.run("INSERT INTO export_items VALUES ('e1', 'c1', 'gone-object')");
    await expect(c.run("INSERT INTO export_items VALUES ('nope', 'c1', 'o')")).rejects.toThrow(/FOREIGN KEY/);
    await expect(c.run('DELETE FROM export_items')).rejects.toThrow(/append-only/);
    await expect(c.run('DELETE FROM exports')).rejects.toThrow(/append-only/);
    expect(await c.all('SELECT export_id FROM export_items WHERE clip_id = ?', ['c1'])).toEqual([{ export_id: 'e1' }]);
  });
});
