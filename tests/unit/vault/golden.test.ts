import { promises as fs } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { unlockVault } from '../../../src/main/core/vault/vault';

/** The current code still opens the committed golden vault (format compatibility). */
it('opens the committed golden vault', async () => {
  const golden = path.resolve(__dirname, '../../fixtures/golden');
  const facts = JSON.parse(await fs.readFile(path.join(golden, 'golden.json'), 'utf8'));
  const vault = await unlockVault(path.join(golden, 'vault'), facts.passphrase);
  try {
    const { meta, data } = await vault.readObject(facts.objectId);
    expect(meta).toEqual(facts.meta);
    expect(data.toString('utf8')).toBe(facts.plaintext);
    expect(await vault.listObjectIds()).toEqual([facts.objectId]);
  } finally {
    vault.lock();
  }
}, 30_000);
