import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { CardManifest } from '../media/card-fixture';

export async function filesUnder(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => (entry.isDirectory() ? filesUnder(path.join(dir, entry.name)) : Promise.resolve(entry.isFile() ? [path.join(dir, entry.name)] : []))),
  );
  return nested.flat();
}

/** Every value planted in the generated card that is long enough to be searched for in bytes. */
export function plantedNeedles(card: CardManifest): Buffer[] {
  const values = Object.values(card.files).flatMap((entry) => entry.planted.map((planted) => planted.value));
  return [...new Set(values)].filter((value) => value.length >= 6).map((value) => Buffer.from(value, 'utf8'));
}
