import { promises as fs } from 'node:fs';
import path from 'node:path';
import sodium from 'libsodium-wrappers-sumo';
import { openCatalog } from '../../src/main/core/catalog/catalog';
import { walkFiles } from './marker-scan';

/**
 * Reads the recipient slots of Safehouse objects straight from the bytes (docs/vault-format.md, header):
 * magic, class code at 9, n at 10 (u16 LE), n × 80-byte crypto_box_seal slots from offset 52. Used by the
 * exploit specs to prove no object or sealed value opens with an injected key.
 */
const MAGIC = Buffer.from('SAFEHOBJ');
const CLASS_NAMES = ['master', 'proxy', 'identity'] as const;

export interface Sealed {
  where: string;
  cls: (typeof CLASS_NAMES)[number];
  slots: Uint8Array[];
}

export function parseSlots(where: string, bytes: Uint8Array): Sealed | null {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer.length < 52 || !buffer.subarray(0, 8).equals(MAGIC)) return null;
  const cls = CLASS_NAMES[buffer[9]!];
  const n = buffer.readUInt16LE(10);
  if (!cls || buffer.length < 52 + 80 * n) return null;
  const slots = Array.from({ length: n }, (_, i) => new Uint8Array(buffer.subarray(52 + 80 * i, 52 + 80 * (i + 1))));
  return { where, cls, slots };
}

/** Every object file and every sealed BLOB in every catalog table of a vault folder. */
export async function sealedThingsIn(vaultDir: string): Promise<Sealed[]> {
  const found: Sealed[] = [];
  for await (const file of walkFiles(path.join(vaultDir, 'objects'))) {
    const handle = await fs.open(file, 'r');
    const head = Buffer.alloc(52 + 80 * 64);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    await handle.close();
    const parsed = parseSlots(file, head.subarray(0, bytesRead));
    if (parsed) found.push(parsed);
  }
  const catalog = await openCatalog(path.join(vaultDir, 'catalog.db'));
  try {
    const tables = await catalog.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
    for (const { name } of tables) {
      for (const row of await catalog.all<Record<string, unknown>>(`SELECT * FROM "${name}"`)) {
        for (const [column, value] of Object.entries(row)) {
          if (value instanceof Uint8Array) {
            const parsed = parseSlots(`${name}.${column}`, value);
            if (parsed) found.push(parsed);
          }
        }
      }
    }
  } finally {
    await catalog.close();
  }
  return found;
}

/** True when any slot opens with this X25519 key pair. */
export function opensWith(sealed: Sealed, keyPair: { publicKey: Uint8Array; privateKey: Uint8Array }): boolean {
  return sealed.slots.some((slot) => {
    try {
      sodium.crypto_box_seal_open(slot, keyPair.publicKey, keyPair.privateKey);
      return true;
    } catch {
      return false;
    }
  });
}
