import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Catalog } from '../../../src/main/core/catalog/catalog';
import { migrations } from '../../../src/main/core/catalog/migrations';
import { damagedClipIds, damagedObjectIds, recordVerification, recordedDamage } from '../../../src/main/core/integrity/object-damage';

const migration = migrations.find((m) => m.name === 'object damage found by vault verification, card file lists for ASC MHL')!;
const open: Catalog[] = [];
async function fresh(withDamage = true): Promise<Catalog> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'sh-damage-'));
  const c = await Catalog.open(path.join(dir, 'catalog.db'), migrations.filter((m) => m.version < migration.version || (withDamage && m === migration)));
  open.push(c);
  await c.run("INSERT INTO cards (id, label_sealed, created_at) VALUES ('k', x'00', 'now')");
  for (const [clip, object] of [['c1', 'o1'], ['c2', 'o2']] as const) {
    await c.run("INSERT INTO objects VALUES (?, 'master', 10, 'now')", [object]);
    await c.run("INSERT INTO clips (id, card_id, code, kind, status, master_object_id, created_at, verified_at) VALUES (?, 'k', ?, 'video', 'verified', ?, 'now', 'now')", [clip, clip.toUpperCase(), object]);
  }
  await c.run("INSERT INTO objects VALUES ('r1', 'proxy', 10, 'now')");
  await c.run("UPDATE clips SET report_object_id = 'r1' WHERE id = 'c1'");
  return c;
}
afterEach(async () => {
  for (const c of open.splice(0)) await c.close();
});

describe('object_damage (migration by name) and damagedClipIds', () => {
  it('is added on top of the previous schema, and refuses unknown problems', async () => {
    const c = await fresh(false);
    expect(await c.migrate(migrations, migration.version)).toBe(migration.version);
    expect((await c.all<{ name: string }>('PRAGMA table_info(object_damage)')).map((r) => r.name)).toEqual(['object_id', 'detected_at', 'problem']);
    await expect(c.run("INSERT INTO object_damage VALUES ('o1', 'now', 'scratched')")).rejects.toThrow(/CHECK/);
  });

  // [what, runs, damaged clip ids after them]
  const rows: [string, { deep: boolean; sound: string[]; damaged: [string, 'missing' | 'content-damaged' | 'header-damaged'][] }[], string[]][] = [
    ['nothing found', [{ deep: true, sound: ['o1', 'o2', 'r1'], damaged: [] }], []],
    ['a damaged master marks its clip', [{ deep: true, sound: ['o2'], damaged: [['o1', 'content-damaged']] }], ['c1']],
    ['a missing master marks its clip', [{ deep: false, sound: ['o1'], damaged: [['o2', 'missing']] }], ['c2']],
    ['a damaged report does not (the footage is intact)', [{ deep: true, sound: ['o1', 'o2'], damaged: [['r1', 'content-damaged']] }], []],
    [
      'a header-only run that finds the header sound keeps content damage a deep run found',
      [{ deep: true, sound: [], damaged: [['o1', 'content-damaged']] }, { deep: false, sound: ['o1', 'o2'], damaged: [] }],
      ['c1'],
    ],
    [
      'a header-only run clears header damage it no longer sees',
      [{ deep: false, sound: [], damaged: [['o1', 'header-damaged']] }, { deep: false, sound: ['o1'], damaged: [] }],
      [],
    ],
    ['a deep run that finds it sound clears content damage', [{ deep: true, sound: [], damaged: [['o1', 'content-damaged']] }, { deep: true, sound: ['o1'], damaged: [] }], []],
    [
      'a later finding replaces an earlier one',
      [{ deep: true, sound: [], damaged: [['o1', 'content-damaged']] }, { deep: false, sound: [], damaged: [['o1', 'missing']] }],
      ['c1'],
    ],
  ];
  it.each(rows)('%s', async (_what, runs, expected) => {
    const c = await fresh();
    for (const run of runs) {
      await recordVerification(c, { deep: run.deep, sound: run.sound, damaged: run.damaged.map(([objectId, problem]) => ({ objectId, problem })), at: 'now' });
    }
    expect([...(await damagedClipIds(c))].sort()).toEqual(expected);
  });

  it('damagedObjectIds lists every damaged object, footage or not', async () => {
    const c = await fresh();
    await recordVerification(c, { deep: true, sound: ['o2'], damaged: [{ objectId: 'o1', problem: 'hash-mismatch' }, { objectId: 'r1', problem: 'missing' }], at: 'now' });
    expect([...(await damagedObjectIds(c))].sort()).toEqual(['o1', 'r1']);
  });

  it('forgets damage of objects the catalog no longer records (a clip redone)', async () => {
    const c = await fresh();
    await recordVerification(c, { deep: true, sound: [], damaged: [{ objectId: 'r1', problem: 'content-damaged' }], at: 'now' });
    await c.run("UPDATE clips SET report_object_id = NULL WHERE id = 'c1'");
    await c.run("DELETE FROM objects WHERE id = 'r1'");
    await recordVerification(c, { deep: false, sound: [], damaged: [], at: 'later' });
    expect(await recordedDamage(c)).toEqual(new Map());
  });
});
