import { promises as fs } from 'node:fs';
import path from 'node:path';
import sodium from 'libsodium-wrappers-sumo';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { appendAudit, appendGenesis, canonicalEntry, entryHash, type AuditRow } from '../../../src/main/core/audit/audit-log';
import { createCheckpoint, exportCheckpoint, readCheckpointFile, verifyAudit } from '../../../src/main/core/audit/audit-verify';
import type { Catalog } from '../../../src/main/core/catalog';
import { createVault, type UnlockedVault } from '../../../src/main/core/vault/vault';
import { PASS, tempDir } from '../vault/helpers';

/**
 * Tampering is done the way an attacker with the laptop would: straight in catalog.db, after dropping the
 * append-only triggers. Every kind of change must make verify() fail and say what happened.
 */

let root: string;
let vault: UnlockedVault;
let db: Catalog;

beforeAll(async () => {
  root = await tempDir('sh-audit-');
  vault = await createVault(path.join(root, 'vault'), PASS);
  db = await vault.catalog();
  await sodium.ready;
});
afterAll(async () => {
  vault.lock();
  await fs.rm(root, { recursive: true, force: true });
});

async function freshLog(entries = 5): Promise<void> {
  await db.run('DROP TRIGGER IF EXISTS audit_append_only_update');
  await db.run('DROP TRIGGER IF EXISTS audit_append_only_delete');
  await db.run('DELETE FROM audit_log');
  // Entry 1 is the genesis entry a new vault writes; the rest are ordinary entries.
  await appendGenesis(vault);
  for (let i = 2; i <= entries; i++) await appendAudit(vault, 'subject.create', { subject: `s${i}`, identity: i % 2 === 0 });
}

const kinds = async (options: Parameters<typeof verifyAudit>[1] = {}) => (await verifyAudit(vault, options)).problems.map((p) => [p.kind, p.seq]);

describe('audit log: append-only at the SQL level', () => {
  it('refuses UPDATE and DELETE through the catalog', async () => {
    await appendAudit(vault, 'vault.unlock', {});
    await expect(db.run("UPDATE audit_log SET action = 'x'")).rejects.toThrow(/append-only/);
    await expect(db.run('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
  });

  it('refuses details that are not plain values, and bad action names', async () => {
    await expect(appendAudit(vault, 'subject.create', { nested: { a: 1 } as unknown as string })).rejects.toThrow();
    await expect(appendAudit(vault, 'Bad Action', {})).rejects.toThrow();
    await expect(appendAudit(vault, 'x', { long: 'y'.repeat(300) })).rejects.toThrow();
  });
});

describe('audit log: verify', () => {
  beforeEach(() => freshLog());

  it('an untouched log is intact: chained from a genesis bound to this vault, every entry signed', async () => {
    const result = await verifyAudit(vault);
    expect(result).toMatchObject({ intact: true, entries: 5, problems: [], checkpoint: null });
    expect(result.head?.seq).toBe(5);
  });

  it('detects an edited entry', async () => {
    await db.run(`UPDATE audit_log SET details_json = '{"subject":"s9","identity":false}' WHERE seq = 3`);
    expect(await kinds()).toEqual([['edited', 3]]);
  });

  it('detects an edited entry whose hash was recomputed (no device key to re-sign it)', async () => {
    const row = (await db.get<AuditRow>('SELECT * FROM audit_log WHERE seq = 5'))!;
    const forged = entryHash(sodium, row.prev_hash, canonicalEntry({ seq: 5, at: row.at, action: 'vault.lock', details: {} }));
    await db.run(`UPDATE audit_log SET action = 'vault.lock', details_json = '{}', hash = ? WHERE seq = 5`, [forged]);
    expect(await kinds()).toEqual([['bad-signature', 5]]);
  });

  it('detects a deleted entry', async () => {
    await db.run('DELETE FROM audit_log WHERE seq = 3');
    expect(await kinds()).toEqual([['missing', 3]]);
  });

  it('detects reordered entries', async () => {
    await db.run('UPDATE audit_log SET seq = -2 WHERE seq = 2');
    await db.run('UPDATE audit_log SET seq = 2 WHERE seq = 3');
    await db.run('UPDATE audit_log SET seq = 3 WHERE seq = -2');
    const result = await verifyAudit(vault);
    expect(result.intact).toBe(false);
    expect(result.problems.map((p) => p.kind)).toEqual(expect.arrayContaining(['chain-broken', 'edited']));
    expect(result.problems.every((p) => p.seq === 2 || p.seq === 3 || p.seq === 4)).toBe(true);
  });

  it('detects an inserted entry, even one chained correctly', async () => {
    // Make room at seq 3 by renumbering the tail, then insert a well-formed, correctly chained forgery.
    for (const seq of [5, 4, 3]) await db.run('UPDATE audit_log SET seq = ? WHERE seq = ?', [seq + 1, seq]);
    const prev = (await db.get<AuditRow>('SELECT * FROM audit_log WHERE seq = 2'))!;
    const at = new Date().toISOString();
    const hash = entryHash(sodium, prev.hash, canonicalEntry({ seq: 3, at, action: 'vault.unlock', details: {} }));
    await db.run("INSERT INTO audit_log (seq, at, action, details_json, prev_hash, hash, sig) VALUES (3, ?, 'vault.unlock', '{}', ?, ?, ?)", [at, prev.hash, hash, 'AAAA']);
    const problems = await kinds();
    expect(problems).toContainEqual(['bad-signature', 3]);
    expect(problems).toContainEqual(['chain-broken', 4]);
  });

  it('detects a tail truncated after an exported checkpoint, and a rewrite under it', async () => {
    const file = path.join(root, 'checkpoint.json');
    const written = await exportCheckpoint(vault, file);
    expect(written.seq).toBe(6); // the export itself is audited, and covered
    const checkpoint = await readCheckpointFile(file);
    expect(checkpoint).toEqual(written);
    await appendAudit(vault, 'vault.lock', { reason: 'manual' });
    expect(await verifyAudit(vault, { checkpoint })).toMatchObject({ intact: true, checkpoint: { seq: 6, matched: true } });

    await db.run('DELETE FROM audit_log WHERE seq >= 5');
    // Without the checkpoint a clean cut of entries the catalog keeps no trace of is invisible: that is why
    // the producer keeps checkpoints elsewhere.
    expect((await verifyAudit(vault)).intact).toBe(true);
    const cut = await verifyAudit(vault, { checkpoint });
    expect(cut).toMatchObject({ intact: false, checkpoint: { seq: 6, matched: false } });
    expect(cut.problems.map((p) => p.kind)).toEqual(['truncated']);
    expect(cut.problems[0]?.message).toMatch(/entries 5–6 were cut off/);

    // Re-growing the log to past the checkpoint does not hide it: the entry at seq 6 is a different one.
    for (let i = 0; i < 3; i++) await appendAudit(vault, 'vault.unlock', {});
    expect(await kinds({ checkpoint })).toEqual([['checkpoint-mismatch', 6]]);
  });

  it('refuses an altered checkpoint file or one from another vault', async () => {
    const checkpoint = await createCheckpoint(vault);
    expect(await kinds({ checkpoint: { ...checkpoint, seq: checkpoint.seq + 10 } })).toEqual([['checkpoint-invalid', checkpoint.seq + 10]]);
    expect(await kinds({ checkpoint: { ...checkpoint, vaultId: 'other' } })).toEqual([['checkpoint-invalid', checkpoint.seq]]);
  });
});

/** Each way an attacker with the laptop can tamper with the log, and what verify must say about it. */
describe('audit log: tampering, table-driven', () => {
  beforeEach(() => freshLog());
  const rows: [string, () => Promise<void>, [string, number | null][]][] = [
    ['nothing changed', async () => undefined, []],
    ['an entry edited', () => db.run(`UPDATE audit_log SET details_json = '{"subject":"x","identity":true}' WHERE seq = 4`).then(() => undefined), [['edited', 4]]],
    ['an entry deleted', () => db.run('DELETE FROM audit_log WHERE seq = 2').then(() => undefined), [['missing', 2]]],
    [
      'two entries swapped',
      async () => {
        await db.run('UPDATE audit_log SET seq = -1 WHERE seq = 3');
        await db.run('UPDATE audit_log SET seq = 3 WHERE seq = 4');
        await db.run('UPDATE audit_log SET seq = 4 WHERE seq = -1');
      },
      [['chain-broken', 3], ['edited', 3], ['chain-broken', 4], ['edited', 4], ['chain-broken', 5]],
    ],
    ['the start cut off', () => db.run('DELETE FROM audit_log WHERE seq <= 2').then(() => undefined), [['missing', 1]]],
    ['the genesis entry alone deleted', () => db.run('DELETE FROM audit_log WHERE seq = 1').then(() => undefined), [['missing', 1]]],
    ['emptied', () => db.run('DELETE FROM audit_log').then(() => undefined), [['empty', null]]],
    [
      'emptied, then written again from scratch (chains and verifies on its own)',
      async () => {
        await db.run('DELETE FROM audit_log');
        await appendAudit(vault, 'vault.unlock', {});
      },
      [['truncated', 1]],
    ],
    [
      'the tail cut off after an offload the catalog still records',
      async () => {
        const card = await db.get<{ id: string }>('SELECT id FROM cards LIMIT 1');
        await db.run('INSERT INTO ingests (id, card_id, started_at) VALUES (?, ?, ?)', ['ingest-cut', card!.id, new Date().toISOString()]);
        await appendAudit(vault, 'ingest.start', { ingest: 'ingest-cut', card: card!.id, files: 1 });
        await db.run('DELETE FROM audit_log WHERE seq > 5');
      },
      [['truncated', null]],
    ],
  ];

  beforeAll(async () => {
    await db.run("INSERT INTO cards (id, label_sealed, fingerprint, created_at) VALUES ('card-t', NULL, 'fp-t', ?)", [new Date().toISOString()]);
  });

  it.each(rows)('%s', async (_what, tamper, expected) => {
    await db.run("DELETE FROM ingests WHERE id = 'ingest-cut'");
    await tamper();
    const result = await verifyAudit(vault);
    expect(result.problems.map((p) => [p.kind, p.seq])).toEqual(expected);
    expect(result.intact).toBe(expected.length === 0);
    for (const problem of result.problems) expect(problem.message.length).toBeGreaterThan(20);
  });

  it('says an emptied log is empty, not "intact: 0 entries"', async () => {
    await db.run('DELETE FROM audit_log');
    const result = await verifyAudit(vault);
    expect(result).toMatchObject({ intact: false, entries: 0, head: null });
    expect(result.problems[0]?.message).toMatch(/empty/);
  });

  it('verifying appends nothing', async () => {
    const before = await db.all<AuditRow>('SELECT * FROM audit_log ORDER BY seq');
    await verifyAudit(vault);
    await verifyAudit(vault);
    expect(await db.all<AuditRow>('SELECT * FROM audit_log ORDER BY seq')).toEqual(before);
  });
});
