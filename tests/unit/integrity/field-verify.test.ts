import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordObjects } from '../../../src/main/core/catalog/objects';
import { hashFile } from '../../../src/main/core/ingest/hashing';
import { verifyVault } from '../../../src/main/core/integrity/vault-verify';
import { createVault, type UnlockedVault } from '../../../src/main/core/vault/vault';
import { PASS, patternBytes, tempDir } from '../vault/helpers';

/**
 * A field vault cannot open masters or identities (sealed to HQ): verify checks what it can of them (their
 * structure and size, and with --deep a master's sealed file against its digest from the offload) and says
 * what it could not open.
 */
let root: string;
let field: UnlockedVault;
let master: string;
let identity: string;

beforeAll(async () => {
  root = await tempDir('sh-field-verify-');
  const hq = await createVault(path.join(root, 'hq'), PASS);
  const card = hq.exportRecipientCard();
  hq.lock();
  field = await createVault(path.join(root, 'field'), PASS, { kind: 'field', hqRecipientCard: card });
  const written = await field.writeObject('master', patternBytes(200_000));
  const evidence = await field.writeObject('identity', patternBytes(5000, 7));
  const proxy = await field.writeObject('proxy', patternBytes(3000, 9));
  master = written.id;
  identity = evidence.id;
  const sealedFile = await hashFile(field.objectFile(master));
  const catalog = await field.catalog();
  await catalog.transaction(async (tx) => {
    await recordObjects(tx, [
      { id: master, cls: 'master', plainSize: written.plainSize },
      { id: identity, cls: 'identity', plainSize: evidence.plainSize },
      { id: proxy.id, cls: 'proxy', plainSize: proxy.plainSize },
    ]);
    await tx.run("INSERT INTO cards (id, label_sealed, created_at) VALUES ('k1', ?, 'now')", [Buffer.from(field.sealValue('proxy', 'Card 1'))]);
    await tx.run("INSERT INTO clips (id, card_id, code, kind, status, master_object_id, hashes_sealed, created_at, verified_at) VALUES ('c1', 'k1', 'C0001', 'video', 'verified', ?, ?, 'now', 'now')", [
      master,
      Buffer.from(field.sealValue('proxy', JSON.stringify({ xxh64: '0'.repeat(16), blake2b256: '0'.repeat(64), sealedFileBlake2b256: sealedFile.blake2b256 }))),
    ]);
  });
});
afterAll(async () => {
  field.lock();
  await fs.rm(root, { recursive: true, force: true });
});

describe('verify in a field vault', () => {
  it('checks what it can, and says which classes it could not open', async () => {
    const result = await verifyVault(field, { deep: true });
    expect(result.intact).toBe(true);
    expect(result.objects).toEqual({ recorded: 3, onDisk: 3, headersChecked: 3, contentChecked: 2 }); // the proxy decrypted, the master's sealed file hashed
    expect(result.notOpened.map((gap) => [gap.keyClass, gap.count])).toEqual([['master', 1], ['identity', 1]]);
  });

  it('finds a changed byte in a master it cannot open, with --deep, and names the clip', async () => {
    const file = field.objectFile(master);
    const bytes = await fs.readFile(file);
    bytes[bytes.length - 30] = bytes[bytes.length - 30]! ^ 0x80;
    await fs.writeFile(file, bytes);
    expect((await verifyVault(field, { deep: false })).intact).toBe(true); // structure and size still hold
    const deep = await verifyVault(field, { deep: true });
    expect(deep.damaged.map((d) => [d.objectId, d.problem])).toEqual([[master, 'hash-mismatch']]);
    expect(deep.lost.clips).toEqual([{ clipId: 'c1', code: 'C0001', cardId: 'k1', what: 'master' }]);
    expect(deep.lost.cards).toEqual([{ cardId: 'k1', label: 'Card 1' }]);
  });

  it('finds a cut identity object by its size, without opening it', async () => {
    const file = field.objectFile(identity);
    await fs.truncate(file, (await fs.stat(file)).size - 5);
    const result = await verifyVault(field, { deep: false });
    expect(result.damaged.map((d) => [d.objectId, d.keyClass, d.problem])).toEqual([[identity, 'identity', 'size-mismatch']]);
  });
});
