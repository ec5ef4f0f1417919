import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/** Reads the renderer as built by `npm run build` (the test command builds before running tests). */
const outDir = path.resolve(__dirname, '../../../out/renderer');
const indexFile = path.join(outDir, 'index.html');

describe('built renderer', () => {
  it('exists (run `npm run build` first)', () => {
    expect(existsSync(indexFile)).toBe(true);
  });

  const html = existsSync(indexFile) ? readFileSync(indexFile, 'utf8') : '';
  const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html);
  const policy = meta?.[1] ?? '';
  const directives = new Map(
    policy
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .map(([name, ...values]) => [name, values] as const),
  );

  it('carries a strict CSP meta tag', () => {
    expect(meta).not.toBeNull();
    expect(policy).not.toContain('unsafe-inline');
    expect(policy).not.toContain('unsafe-eval');
    expect(policy).not.toContain('%CONTENT_SECURITY_POLICY%');
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.get('script-src')?.length).toBeGreaterThan(0);
    for (const source of directives.get('script-src') ?? []) expect(source).toMatch(/^'sha384-[A-Za-z0-9+/=]+'$/);
    expect(directives.get('connect-src')).toEqual(["'none'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
  });

  it('pins every script by the hash of its built bytes', () => {
    const tags = [...html.matchAll(/<script[^>]*integrity="([^"]+)"[^>]*src="\.\/([^"]+)"/g)];
    expect(tags.length).toBeGreaterThan(0);
    for (const [, integrity, file] of tags) {
      const actual = `sha384-${createHash('sha384').update(readFileSync(path.join(outDir, file!))).digest('base64')}`;
      expect(integrity).toBe(actual);
      expect(directives.get('script-src')).toContain(`'${actual}'`);
    }
  });

  it('has no inline scripts or styles and no remote resources', () => {
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/<style/);
    expect(html).not.toMatch(/\s(src|href)="(https?:)?\/\//);
    const assets = readdirSync(path.join(outDir, 'assets'));
    expect(assets.some((name) => name.endsWith('.js'))).toBe(true);
  });
});
