import { randomBytes, randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sodium from 'libsodium-wrappers-sumo';
import { expect, it } from 'vitest';
import { makeRecipientCard } from '../../../src/main/core/vault/recipients';
import { createVault } from '../../../src/main/core/vault/vault';

/** Every regular file under root (no symlinks followed; unreadable entries skipped). */
async function* walk(root: string): AsyncGenerator<string> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await fs.readdir(root, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const full = path.join(root, e.name);
    if (e.isDirectory()) yield* walk(full);
    else if (e.isFile()) yield full;
  }
}

/** Streams a file looking for any needle; chunks overlap so a match across a boundary is not missed. */
async function fileContains(file: string, needles: Buffer[]): Promise<boolean> {
  let fh: import('node:fs/promises').FileHandle;
  try {
    fh = await fs.open(file, 'r');
  } catch {
    return false;
  }
  try {
    const overlap = Math.max(...needles.map((n) => n.length));
    const buf = Buffer.alloc(4 * 1024 * 1024 + overlap);
    let carry = 0;
    let pos = 0;
    for (;;) {
      const { bytesRead } = await fh.read(buf, carry, buf.length - carry, pos).catch(() => ({ bytesRead: 0 }));
      if (bytesRead === 0) return false;
      pos += bytesRead;
      const view = buf.subarray(0, carry + bytesRead);
      if (needles.some((n) => view.includes(n))) return true;
      carry = Math.min(overlap, view.length);
      view.copy(buf, 0, view.length - carry);
    }
  } finally {
    await fh.close();
  }
}

it('a marker written through sealed fields and objects appears nowhere on disk', async () => {
  const marker = `SHMARK-${randomUUID()}-${randomBytes(6).toString('hex')}`;
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

  const needles = [Buffer.from(marker, 'utf8'), Buffer.from(marker, 'utf16le')];
  const hits: string[] = [];
  let scanned = 0;
  for (const start of [dir, os.tmpdir()]) {
    for await (const file of walk(start)) {
      scanned++;
      if (await fileContains(file, needles)) hits.push(file);
    }
  }
  expect(scanned).toBeGreaterThan(3);
  expect(hits).toEqual([]);

  // positive control: the scanner does find the marker, in either encoding, across a chunk boundary
  const control = path.join(root, 'control.bin');
  await fs.writeFile(control, Buffer.concat([Buffer.alloc(4 * 1024 * 1024 - 5), Buffer.from(marker, 'utf16le')]));
  expect(await fileContains(control, needles)).toBe(true);
  await fs.rm(root, { recursive: true, force: true });
}, 120_000);
