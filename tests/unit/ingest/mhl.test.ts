import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { buildAscMhl, mhlCanRepresent } from '../../../src/main/core/ingest/mhl';

interface XmlNode {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  text: string;
}

function decode(s: string): string {
  if (/&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);)/i.test(s)) throw new Error(`bad entity in ${JSON.stringify(s)}`);
  if (/[<]/.test(s)) throw new Error('raw < in text');
  return s.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);/gi, (_, e: string) => {
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    if (named[e]) return named[e];
    return String.fromCodePoint(e[1]?.toLowerCase() === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
  });
}

/** Minimal well-formedness check for the XML subset the MHL writer produces (elements, attributes, text). */
function parseXml(xml: string): XmlNode {
  const prolog = /^<\?xml version="1\.0" encoding="UTF-8"\?>\n/;
  if (!prolog.test(xml)) throw new Error('missing XML declaration');
  const body = xml.replace(prolog, '');
  const token = /<(\/?)([A-Za-z][\w.-]*)((?:\s+[A-Za-z][\w:.-]*="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  const root: XmlNode = { name: '#doc', attrs: {}, children: [], text: '' };
  const stack = [root];
  let m: RegExpExecArray | null;
  let consumed = 0;
  while ((m = token.exec(body))) {
    consumed = token.lastIndex;
    const top = stack[stack.length - 1]!;
    if (m[5] !== undefined) {
      top.text += decode(m[5]);
      continue;
    }
    const [, close, name, rawAttrs, selfClose] = m;
    if (close) {
      if (top.name !== name) throw new Error(`</${name}> closes <${top.name}>`);
      stack.pop();
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const a of (rawAttrs ?? '').matchAll(/([A-Za-z][\w:.-]*)="([^"]*)"/g)) {
      if (a[1]! in attrs) throw new Error('duplicate attribute');
      attrs[a[1]!] = decode(a[2]!);
    }
    const node: XmlNode = { name: name!, attrs, children: [], text: '' };
    top.children.push(node);
    if (!selfClose) stack.push(node);
  }
  if (consumed !== body.length) throw new Error(`not well-formed near ${JSON.stringify(body.slice(consumed, consumed + 40))}`);
  if (stack.length !== 1 || root.children.length !== 1 || root.text.trim() !== '') throw new Error('unbalanced document');
  return root.children[0]!;
}

const child = (n: XmlNode | undefined, name: string) => n?.children.find((c) => c.name === name);

const tricky = 'DCIM/100CANON/R&D <"take" \'2\'>\n日本 -rf.MOV';
const input = {
  createdAt: new Date('2024-05-06T07:08:09.123Z'),
  toolVersion: '0.1.0',
  files: [
    { relPath: 'PRIVATE/M4ROOT/CLIP/C0001.MP4', size: 1234, mtime: Date.UTC(2024, 0, 2, 3, 4, 5), xxh64: '0123456789abcdef' },
    { relPath: tricky, size: 0, mtime: new Date('2023-01-01T00:00:00Z'), xxh64: 'ef46db3751d8e999' },
  ],
};

describe('ASC MHL v2 export', () => {
  it('is well-formed, in schema order, and round-trips every path and hash', () => {
    const doc = parseXml(buildAscMhl(input));
    expect(doc).toMatchObject({ name: 'hashlist', attrs: { version: '2.0', xmlns: 'urn:ASC:MHL:v2.0' } });
    expect(doc.children.map((c) => c.name)).toEqual(['creatorinfo', 'processinfo', 'hashes']);
    const creator = child(doc, 'creatorinfo')!;
    expect(creator.children.map((c) => [c.name, c.text])).toEqual([
      ['creationdate', '2024-05-06T07:08:09Z'],
      ['hostname', 'redacted'],
      ['tool', 'Safehouse'],
    ]);
    expect(child(creator, 'tool')?.attrs).toEqual({ version: '0.1.0' });
    expect(child(child(doc, 'processinfo'), 'process')?.text).toBe('in-place');
    const hashes = child(doc, 'hashes')!.children.map((h) => ({
      path: child(h, 'path')!.text,
      attrs: child(h, 'path')!.attrs,
      xxh64: child(h, 'xxh64')!.text,
      action: child(h, 'xxh64')!.attrs.action,
    }));
    expect(hashes).toEqual([
      { path: tricky, attrs: { size: '0', lastmodificationdate: '2023-01-01T00:00:00Z' }, xxh64: 'ef46db3751d8e999', action: 'original' },
      { path: 'PRIVATE/M4ROOT/CLIP/C0001.MP4', attrs: { size: '1234', lastmodificationdate: '2024-01-02T03:04:05Z' }, xxh64: '0123456789abcdef', action: 'original' },
    ]);
  });

  it('escapes markup and keeps newlines as character references', () => {
    const xml = buildAscMhl(input);
    expect(xml).toContain('R&#38;D &#60;&#34;take&#34; &#39;2&#39;&#62;&#10;日本 -rf.MOV</path>');
  });

  it('carries no host name, user name, home folder, location or local time zone', () => {
    const xml = buildAscMhl(input);
    const { username, homedir } = os.userInfo();
    for (const secret of [os.hostname(), username, homedir]) expect(xml).not.toContain(secret);
    expect(xml).not.toMatch(/<(author|location|comment)\b/);
    expect(xml.match(/\d{4}-\d\d-\d\dT[\d:]+(Z|[+-]\d\d:\d\d)/g)?.every((t) => t.endsWith('Z'))).toBe(true);
  });

  it('rejects what it cannot write truthfully', () => {
    const bad = (patch: object) => () => buildAscMhl({ ...input, files: [{ ...input.files[0]!, ...patch }] });
    expect(mhlCanRepresent('a\u0001b.MP4')).toBe(false);
    expect(mhlCanRepresent('a\nb.MP4')).toBe(true);
    expect(bad({ relPath: 'a\u0001b.MP4' })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(bad({ xxh64: 'EF46DB3751D8E99' })).toThrow(/xxh64/);
    expect(bad({ relPath: '../etc/passwd' })).toThrow(/relative/);
    expect(bad({ size: -1 })).toThrow(/size/);
    expect(bad({ mtime: Number.NaN })).toThrow(/date/);
  });
});
