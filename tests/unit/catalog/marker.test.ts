import { randomBytes, randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sodium from 'libsodium-wrappers-sumo';
import { expect, it } from 'vitest';
import { makeRecipientCard } from '../../../src/main/core/vault/recipients';
import { createVault } from '../../../src/main/core/vault/vault';
import { fileContains, findMarkerOnDisk, markerNeedles } from '../../helpers/marker-scan';

it('a marker written through sealed fields and objects appears nowhere on disk', async () => {
  const marker = `SHMARK-${randomUUID()}-${randomBytes(6).toString('hex')}`;
  const startedAt = Date.now() - 1000; // mtime granularity
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'sh-marker-'));
  const dir = path.join(root, 'vault');
  const vault = await createVault(dir, `passphrase for ${randomUUID()}`);
  const catalog = await vault.catalog();
  await catalog.transaction(async (tx) => {
    await tx.run('INSERT INTO cards (id, label_sealed, created_at) VALUES (?, ?, ?)', ['card1', vault.sealValue('proxy', `Card ${marker}`), 'now']);
    const obj = await vault.writeObject('master', new TextEncoder().encode(`footage ${marker} `.repeat(5000)), { originalName: `${marker}.MP4` });
    await tx.run('INSERT INTO objects (id, class, plain_size, created_at) VALUES (?, ?, ?, ?)', [obj.id, 'master', obj.plainSize, 'now']);
    await tx.run(
      `INSERT INTO clips (id, card_id, code, kind, status, master_object_id, original_name_sealed, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ['clip1', 'card1', 'C0001', 'video', 'verified', obj.id, vault.sealValue('proxy', `/DCIM/100MEDIA/${marker}.MP4`), 'now'],
    );
    await tx.run('INSERT INTO cards (id, label_sealed, created_at) VALUES (?, ?, ?)', ['card2', vault.sealValue('identity', `${marker} (person)`), 'now']);
  });
  // a deleted row must not survive in free pages (secure_delete)
  await catalog.run('DELETE FROM cards WHERE id = ?', ['card2']);
  expect(vault.openText((await catalog.get<{ label_sealed: Uint8Array }>('SELECT label_sealed FROM cards WHERE id = ?', ['card1']))!.label_sealed))
    .toBe(`Card ${marker}`);
  await sodium.ready;
  const extra = makeRecipientCard({ proxy: sodium.to_base64(sodium.crypto_box_keypair().publicKey, sodium.base64_variants.ORIGINAL) });
  await vault.addRecipient('proxy', extra, `label ${marker}`);
  expect(vault.info.recipients.proxy[1]?.label).toBe(`label ${marker}`);
  await catalog.close();
  vault.lock();

  const { hits, scanned } = await findMarkerOnDisk(marker, [dir], startedAt);
  expect(scanned).toBeGreaterThan(3);
  expect(hits).toEqual([]);

  // positive controls: the scanner finds the marker in either encoding across a chunk boundary, and the
  // temp-folder pass sees a file written during the test outside the vault
  const control = path.join(root, 'control.bin');
  await fs.writeFile(control, Buffer.concat([Buffer.alloc(4 * 1024 * 1024 - 5), Buffer.from(marker, 'utf16le')]));
  expect(await fileContains(control, markerNeedles(marker))).toBe(true);
  expect((await findMarkerOnDisk(marker, [dir], startedAt)).hits).toEqual([control]);
  await fs.rm(root, { recursive: true, force: true });
}, 60_000);
