import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { systemTmpdir } from '../../helpers/system-tmpdir';
// @ts-expect-error -- plain ESM script without type declarations
import { makeCard } from '../../../scripts/fixtures/make-card.mjs';

export interface Planted {
  category: 'location' | 'identity' | 'device';
  value: string;
}
export interface CardManifest {
  root: string;
  files: Record<string, { kind: 'video' | 'audio' | 'still' | 'sidecar'; planted: Planted[]; sidecarOf?: string; crafted?: string }>;
  bad: Array<{ path: string; what: string }>;
  litter: string[];
  unknown: string[];
}

const SCRIPTS = ['make-card.mjs', 'fixture-helpers.mjs'].map((f) => new URL(`../../../scripts/fixtures/${f}`, import.meta.url));
// The system temp folder, not the test file's private one (tests/setup/private-tmpdir.ts), so that every
// file shares the cache; captured at import time because a test may point TMPDIR elsewhere to watch it.
const BASE_TMP = systemTmpdir();

/**
 * The generated card, cached in os.tmpdir()/safehouse-fixtures-<hash of the generator> so every test file
 * (run in parallel forks) shares one copy. Built in a private directory and renamed into place atomically.
 */
export function getCard(): CardManifest {
  const hash = createHash('sha256');
  for (const f of SCRIPTS) hash.update(readFileSync(f));
  const dir = join(BASE_TMP, `safehouse-fixtures-${hash.digest('hex').slice(0, 12)}`);
  const manifestPath = join(dir, 'manifest.json');
  if (!existsSync(manifestPath)) {
    const work = `${dir}.tmp-${process.pid}`;
    rmSync(work, { recursive: true, force: true });
    mkdirSync(work, { recursive: true });
    const manifest = makeCard(join(work, 'CARD'), { bad: true }) as CardManifest;
    writeFileSync(join(work, 'manifest.json'), JSON.stringify({ ...manifest, root: undefined }));
    try {
      renameSync(work, dir);
    } catch {
      rmSync(work, { recursive: true, force: true }); // another fork won the race; its copy is identical
    }
  }
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as CardManifest;
  return { ...manifest, root: join(dir, 'CARD') };
}

