import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Catalog } from '../../../src/main/core/catalog/catalog';
import { LATEST_SCHEMA_VERSION, migrations } from '../../../src/main/core/catalog/migrations';

const open: Catalog[] = [];
async function fresh(upTo = Infinity): Promise<Catalog> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'sh-catalog-'));
  const c = await Catalog.open(path.join(dir, 'catalog.db'), migrations.filter((m) => m.version <= upTo));
  open.push(c);
  return c;
}
afterEach(async () => {
  for (const c of open.splice(0)) await c.close();
});

type Col = { name: string; type: string; notnull: number; pk: number };
const columns = async (c: Catalog, table: string) => (await c.all<Col>(`PRAGMA table_info(${table})`)).map((r) => `${r.name}:${r.type}`);
const tables = async (c: Catalog) => (await c.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")).map((r) => r.name);
const indexes = async (c: Catalog) => (await c.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type='index' AND name NOT LIKE 'sqlite_%' ORDER BY name")).map((r) => r.name);

describe('pragmas', () => {
  it('secure_delete, temp_store, journal mode, synchronous, foreign keys', async () => {
    const c = await fresh();
    expect(await c.get('PRAGMA secure_delete')).toEqual({ secure_delete: 1 });
    expect(await c.get('PRAGMA temp_store')).toEqual({ temp_store: 2 }); // 2 = MEMORY
    expect(await c.get('PRAGMA journal_mode')).toEqual({ journal_mode: 'delete' });
    expect(await c.get('PRAGMA synchronous')).toEqual({ synchronous: 2 }); // FULL
    expect(await c.get('PRAGMA foreign_keys')).toEqual({ foreign_keys: 1 });
  });
});

describe('migrations', () => {
  it('are numbered 1..n without gaps', () => {
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
    expect(LATEST_SCHEMA_VERSION).toBe(migrations.length);
  });

  it('1: creates cards, clips, objects on an empty database', async () => {
    const c = await fresh(1);
    expect(await c.schemaVersion()).toBe(1);
    expect(await tables(c)).toEqual(['cards', 'clips', 'objects']);
    expect(await columns(c, 'cards')).toEqual(['id:TEXT', 'label_sealed:BLOB', 'created_at:TEXT']);
    expect(await columns(c, 'objects')).toEqual(['id:TEXT', 'class:TEXT', 'plain_size:INTEGER', 'created_at:TEXT']);
    expect(await columns(c, 'clips')).toEqual([
      'id:TEXT', 'card_id:TEXT', 'code:TEXT', 'kind:TEXT', 'status:TEXT', 'reason:TEXT', 'master_object_id:TEXT',
      'report_object_id:TEXT', 'source_blake2b:TEXT', 'source_xxh64:TEXT', 'original_name_sealed:BLOB', 'size:INTEGER',
      'duration:REAL', 'streams_json:TEXT', 'created_at:TEXT', 'verified_at:TEXT',
    ]);
    await expect(c.run("INSERT INTO clips (id, card_id, code, kind, status, created_at) VALUES ('x', 'nope', 'C0001', 'video', 'new', 'now')"))
      .rejects.toThrow(/FOREIGN KEY/);
    await expect(c.run("INSERT INTO objects VALUES ('o', 'secret', 1, 'now')")).rejects.toThrow(/CHECK/);
  });

  it('2: adds clip indexes on top of version 1, keeping data', async () => {
    const c = await fresh(1);
    await c.run("INSERT INTO cards (id, label_sealed, created_at) VALUES ('k', x'00', 'now')");
    expect(await indexes(c)).toEqual([]);
    expect(await c.migrate(migrations, 2)).toBe(2);
    expect(await c.schemaVersion()).toBe(2);
    expect(await indexes(c)).toEqual(['clips_by_card', 'clips_by_status']);
    expect(await c.get('SELECT id FROM cards')).toEqual({ id: 'k' });
  });

  it('3: seals source hashes away, adds keyed lookups, settings and ingests, keeping data', async () => {
    const c = await fresh(2);
    await c.run("INSERT INTO cards (id, label_sealed, created_at) VALUES ('k', x'00', 'now')");
    await c.run("INSERT INTO clips (id, card_id, code, kind, status, source_blake2b, created_at) VALUES ('c', 'k', 'C0001', 'video', 'verified', 'abc', 'now')");
    expect(await c.migrate(migrations, 3)).toBe(3);
    const clipColumns = await columns(c, 'clips');
    expect(clipColumns).not.toContain('source_blake2b:TEXT');
    expect(clipColumns).not.toContain('source_xxh64:TEXT');
    expect(clipColumns).toEqual(expect.arrayContaining(['file_fingerprint:TEXT', 'content_key:TEXT', 'hashes_sealed:BLOB', 'summary_sealed:BLOB']));
    expect(await columns(c, 'cards')).toContain('fingerprint:TEXT');
    expect(await tables(c)).toEqual(['cards', 'clips', 'ingests', 'objects', 'settings']);
    expect(await c.get('SELECT id, code FROM clips')).toEqual({ id: 'c', code: 'C0001' });
    await c.run("UPDATE cards SET fingerprint = 'f' WHERE id = 'k'");
    await expect(c.run("INSERT INTO cards (id, created_at, fingerprint) VALUES ('k2', 'now', 'f')")).rejects.toThrow(/UNIQUE/);
  });

  it('applies on an empty database too, and re-running is a no-op', async () => {
    const c = await fresh();
    expect(await c.schemaVersion()).toBe(LATEST_SCHEMA_VERSION);
    // Later migrations add their own indexes (tested in migration-N.test.ts); these are migrations 1–3's.
    expect(await indexes(c)).toEqual(expect.arrayContaining(['cards_by_fingerprint', 'clips_by_card', 'clips_by_content', 'clips_by_fingerprint', 'clips_by_status']));
    expect(await c.migrate()).toBe(LATEST_SCHEMA_VERSION);
  });

  it('a failing migration rolls back and leaves the version unchanged', async () => {
    const c = await fresh(1);
    await expect(c.migrate([...migrations.slice(0, 1), { version: 2, name: 'broken', up: 'CREATE INDEX i ON clips(card_id); SELECT * FROM nope;' }]))
      .rejects.toThrow();
    expect(await c.schemaVersion()).toBe(1);
    expect(await indexes(c)).toEqual([]);
  });
});

describe('transactions', () => {
  it('commit, roll back on error, and serialise concurrent callers', async () => {
    const c = await fresh();
    await c.transaction(async (tx) => {
      await tx.run("INSERT INTO cards (id, created_at) VALUES ('a', 'now')");
      await c.run("INSERT INTO cards (id, created_at) VALUES ('b', 'now')"); // joins the transaction
    });
    await expect(c.transaction(async (tx) => {
      await tx.run("INSERT INTO cards (id, created_at) VALUES ('c', 'now')");
      throw new Error('boom');
    })).rejects.toThrow('boom');
    const ids = (await c.all<{ id: string }>('SELECT id FROM cards ORDER BY id')).map((r) => r.id);
    expect(ids).toEqual(['a', 'b']);
    // many concurrent transactions on one connection: no "cannot start a transaction within a transaction"
    await Promise.all(Array.from({ length: 20 }, (_, i) => c.transaction(async (tx) => {
      await tx.run('INSERT INTO cards (id, created_at) VALUES (?, ?)', [`t${i}`, 'now']);
      await new Promise((r) => setTimeout(r, 1));
      await tx.run('UPDATE cards SET created_at = ? WHERE id = ?', ['later', `t${i}`]);
    })));
    expect(await c.get('SELECT count(*) AS n FROM cards WHERE created_at = ?', ['later'])).toEqual({ n: 20 });
  });
});
