import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The layering rules of DESIGN.md, checked on every import in src: the renderer never reaches into main,
 * the core never imports Electron, shared imports nothing but zod, the preload only shared and electron.
 */
const srcRoot = path.resolve(__dirname, '../../../src');

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : /\.(ts|tsx)$/.test(name) ? [full] : [];
  });
}

export function importsOf(source: string): string[] {
  const specifiers: string[] = [];
  const pattern = /(?:^|[\s;])(?:import|export)\s[^'";]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s*['"]([^'"]+)['"]/gm;
  for (const match of source.matchAll(pattern)) specifiers.push((match[1] ?? match[2] ?? match[3] ?? match[4])!);
  return specifiers;
}

function violations(folder: string, isForbidden: (specifier: string, resolved: string | null) => boolean): string[] {
  return filesUnder(path.join(srcRoot, folder)).flatMap((file) =>
    importsOf(readFileSync(file, 'utf8'))
      .filter((specifier) => isForbidden(specifier, specifier.startsWith('.') ? path.resolve(path.dirname(file), specifier) : null))
      .map((specifier) => `${path.relative(srcRoot, file)} imports ${specifier}`),
  );
}

const inside = (resolved: string | null, folder: string) => resolved !== null && resolved.startsWith(path.join(srcRoot, folder));

describe('layering', () => {
  it('finds imports (the checker itself works)', () => {
    expect(importsOf("import { a } from './x';\nimport type { B } from \"../main/y\";\nconst c = await import('electron');\nimport './styles.css';")).toEqual([
      './x',
      '../main/y',
      'electron',
      './styles.css',
    ]);
  });

  it('renderer imports only shared, itself and browser packages', () => {
    expect(violations('renderer', (specifier, resolved) => inside(resolved, 'main') || inside(resolved, 'preload') || specifier === 'electron' || specifier.startsWith('node:'))).toEqual([]);
  });

  it('core never imports electron or the electron layer', () => {
    expect(violations('main/core', (specifier, resolved) => specifier === 'electron' || specifier.startsWith('electron/') || inside(resolved, 'main/electron') || inside(resolved, 'renderer'))).toEqual([]);
  });

  it('cli never imports electron', () => {
    expect(violations('main/cli', (specifier, resolved) => specifier === 'electron' || inside(resolved, 'main/electron'))).toEqual([]);
  });

  it('shared imports nothing but zod and itself', () => {
    expect(violations('shared', (specifier, resolved) => !(specifier === 'zod' || inside(resolved, 'shared')))).toEqual([]);
  });

  it('preload imports only electron, shared and itself', () => {
    expect(violations('preload', (specifier, resolved) => !(specifier === 'electron' || inside(resolved, 'shared') || inside(resolved, 'preload')))).toEqual([]);
  });
});
