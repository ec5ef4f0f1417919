import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Catalog } from '../../../src/main/core/catalog/catalog';
import { migrations } from '../../../src/main/core/catalog/migrations';

const NAME = 'card file lists, clip failure kinds';
const mine = migrations.find((m) => m.name === NAME)!;
const open: Catalog[] = [];
afterEach(async () => {
  for (const c of open.splice(0)) await c.close();
});

describe(`migration "${NAME}"`, () => {
  it('adds the sealed card file list and the clip failure and quarantine codes, keeping every row', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'sh-catalog-wipe-'));
    const c = await Catalog.open(path.join(dir, 'catalog.db'), migrations.filter((m) => m.version < mine.version));
    open.push(c);
    await c.run("INSERT INTO cards (id, label_sealed, created_at) VALUES ('k', x'00', 'now')");
    await c.run("INSERT INTO clips (id, card_id, code, kind, status, created_at) VALUES ('c1', 'k', 'C0001', 'video', 'failed', 'now')");
    expect(await c.migrate(migrations, mine.version)).toBe(mine.version);
    expect(await c.get('SELECT code, status, failure_kind, quarantine_reason FROM clips')).toEqual({ code: 'C0001', status: 'failed', failure_kind: null, quarantine_reason: null });
    expect(await c.get('SELECT files_sealed FROM cards')).toEqual({ files_sealed: null });
    await c.run("UPDATE clips SET failure_kind = 'disk-full' WHERE id = 'c1'");
    await c.run("UPDATE cards SET files_sealed = x'0102' WHERE id = 'k'");
    expect(await c.get('SELECT failure_kind FROM clips')).toEqual({ failure_kind: 'disk-full' });
  });
});
