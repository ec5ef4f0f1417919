import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Catalog } from '../../../src/main/core/catalog/catalog';
import { migrations } from '../../../src/main/core/catalog/migrations';

const sync = migrations.find((m) => m.name === 'sync devices and imports')!;
const before = migrations.filter((m) => m.version < sync.version);

const open: Catalog[] = [];
async function fresh(list = migrations): Promise<Catalog> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'sh-catalog-sync-'));
  const c = await Catalog.open(path.join(dir, 'catalog.db'), list);
  open.push(c);
  return c;
}
afterEach(async () => {
  for (const c of open.splice(0)) await c.close();
});

describe('migration "sync devices and imports"', () => {
  it('applies on top of the earlier ones, keeping clips', async () => {
    const c = await fresh(before);
    await c.run("INSERT INTO cards (id, label_sealed, created_at) VALUES ('k', x'00', 'now')");
    await c.run("INSERT INTO clips (id, card_id, code, kind, status, created_at) VALUES ('c1', 'k', 'C0001', 'video', 'verified', 'now')");
    expect(await c.migrate(migrations)).toBeGreaterThanOrEqual(sync.version);
    expect(await c.get('SELECT code FROM clips')).toEqual({ code: 'C0001' });
    const tables = (await c.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")).map((r) => r.name);
    for (const table of ['clip_cards', 'sync_outbox', 'sync_sent', 'sync_object_hashes', 'sync_uploads', 'sync_devices', 'sync_imports', 'device_audit']) expect(tables).toContain(table);
  });

  it('lists a clip on another card only when both exist, once', async () => {
    const c = await fresh();
    await c.run("INSERT INTO cards (id, created_at) VALUES ('a', 'now'), ('b', 'now')");
    await c.run("INSERT INTO clips (id, card_id, code, kind, status, created_at) VALUES ('c1', 'a', 'C0001', 'video', 'verified', 'now')");
    await expect(c.run("INSERT INTO clip_cards VALUES ('c1', 'missing')")).rejects.toThrow(/FOREIGN KEY/);
    await c.run("INSERT INTO clip_cards VALUES ('c1', 'b')");
    await expect(c.run("INSERT INTO clip_cards VALUES ('c1', 'b')")).rejects.toThrow(/UNIQUE/);
  });

  it('keeps field devices’ audit entries append-only and tied to an enrolled device', async () => {
    const c = await fresh();
    await expect(c.run("INSERT INTO device_audit VALUES ('nobody', 1, 'now', 'x', '{}', 'p', 'h', 's')")).rejects.toThrow(/FOREIGN KEY/);
    await c.run("INSERT INTO sync_devices (id, signing_key, fingerprint, enrolled_at) VALUES ('d', 'key', 'f', 'now')");
    await expect(c.run("INSERT INTO sync_devices (id, signing_key, fingerprint, enrolled_at) VALUES ('d2', 'key', 'f', 'now')")).rejects.toThrow(/UNIQUE/);
    await c.run("INSERT INTO device_audit VALUES ('d', 1, 'now', 'x', '{}', 'p', 'h', 's')");
    await expect(c.run("UPDATE device_audit SET action = 'y'")).rejects.toThrow(/append-only/);
    await expect(c.run('DELETE FROM device_audit')).rejects.toThrow(/append-only/);
  });
});
