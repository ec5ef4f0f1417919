import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSafehouse, type Safehouse } from '../../../src/main/core/app';
import { createVault } from '../../../src/main/core/vault/vault';

/** The library's search and sort against a real catalog: clip codes, sealed card labels and pseudonyms. */
const PASS = 'library search test passphrase';

describe('clips.query search and sort', () => {
  let base: string;
  let safehouse: Safehouse;
  let dir: string;
  const ids: string[] = [];

  beforeAll(async () => {
    base = await mkdtemp(path.join(os.tmpdir(), 'sh-query-'));
    dir = path.join(base, 'vault');
    const vault = await createVault(dir, PASS);
    const catalog = await vault.catalog();
    const cards = [
      { id: randomBytes(12).toString('hex'), label: 'Harbour night 100%' },
      { id: randomBytes(12).toString('hex'), label: 'Market day' },
    ];
    await catalog.transaction(async (tx) => {
      for (const card of cards) await tx.run('INSERT INTO cards (id, label_sealed, created_at) VALUES (?, ?, ?)', [card.id, Buffer.from(vault.sealValue('proxy', card.label)), '2024-05-01T00:00:00Z']);
      for (let i = 0; i < 30; i += 1) {
        const id = randomBytes(12).toString('hex');
        ids.push(id);
        await tx.run(
          'INSERT INTO clips (id, card_id, code, kind, status, reason, original_name_sealed, size, duration, streams_json, created_at, verified_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
          [id, cards[i % 2]!.id, `C${String(i + 1).padStart(4, '0')}`, 'video', i % 5 === 0 ? 'quarantined' : 'verified', null, Buffer.from(vault.sealValue('proxy', `A${i}.MP4`)), 1000 + ((i * 7) % 30), 10, '[]', `2024-05-01T00:${String(i).padStart(2, '0')}:00Z`, null],
        );
      }
    });
    vault.lock();
    safehouse = createSafehouse({ version: 'test' });
    expect((await safehouse.call('vault.unlock', { dir, passphrase: PASS })).ok).toBe(true);
    const subject = await safehouse.call('subjects.create', { pseudonym: 'Witness Osprey' });
    if (!subject.ok) throw new Error(subject.error.message);
    expect((await safehouse.call('appearances.add', { subjectId: subject.value.id, clipId: ids[28]! })).ok).toBe(true);
  });
  afterAll(async () => {
    await safehouse.close();
    await rm(base, { recursive: true, force: true });
  });

  const query = async (input: Record<string, unknown>) => {
    const result = await safehouse.call('clips.query', { offset: 0, limit: 100, ...input });
    if (!result.ok) throw new Error(result.error.message);
    return { total: result.value.total, codes: result.value.items.map((clip) => clip.code) };
  };

  it.each([
    ['part of a clip code', { search: 'c001' }, ['C0010', 'C0011', 'C0012', 'C0013', 'C0014', 'C0015', 'C0016', 'C0017', 'C0018', 'C0019']],
    ['a card label (sealed, matched after opening)', { search: 'market' }, Array.from({ length: 15 }, (_, i) => `C${String(i * 2 + 2).padStart(4, '0')}`)],
    ['a subject pseudonym', { search: 'osprey' }, ['C0029']],
    ['search and a status filter together', { search: 'market', statuses: ['quarantined'] }, ['C0006', 'C0016', 'C0026']],
    ['LIKE wildcards are literal text', { search: '%' }, Array.from({ length: 15 }, (_, i) => `C${String(i * 2 + 1).padStart(4, '0')}`)],
    ['nothing matches', { search: 'zebra' }, []],
  ])('finds clips by %s', async (_name, input, expected) => {
    const { total, codes } = await query(input);
    expect(codes).toEqual(expected);
    expect(total).toBe(expected.length);
  });

  it('sorts by each column, both ways, with ties in code order', async () => {
    expect((await query({ sort: 'code', descending: true })).codes.slice(0, 3)).toEqual(['C0030', 'C0029', 'C0028']);
    expect((await query({ sort: 'created', descending: true })).codes[0]).toBe('C0030');
    const bySize = (await query({ sort: 'size' })).codes;
    expect(bySize.slice(0, 2)).toEqual(['C0001', 'C0014']); // sizes 1000, then 1001 (i = 13)
    const byStatus = (await query({ sort: 'status' })).codes;
    expect(byStatus.slice(0, 6)).toEqual(['C0001', 'C0006', 'C0011', 'C0016', 'C0021', 'C0026']); // quarantined first
  });

  it('refuses a sort key outside the contract', async () => {
    const result = await safehouse.call('clips.query', { offset: 0, limit: 10, sort: 'code; DROP TABLE clips' });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.code).toBe('INVALID_INPUT');
  });
});
