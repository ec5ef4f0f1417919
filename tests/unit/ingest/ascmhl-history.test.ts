import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildAscMhlChain, c4Id, generationFileName } from '../../../src/main/core/ingest/ascmhl-history';
import { xxh64Reference } from './xxh64-reference';

const DIRECTORY_SCHEMA = path.resolve(__dirname, '../../fixtures/ascmhl/directory-v2.xsd');
const VERIFIER_DIR = path.resolve(__dirname, '../../helpers');

/**
 * The C4 id computed apart from Safehouse: Python's hashlib SHA-512 and a base58 conversion written here
 * from the C4 definition (alphabet without 0, O, I, l; big-endian digits; '1' pads to 88 digits).
 */
function c4ByPython(inputs: Buffer[]): string[] {
  const program = [
    'import hashlib, sys, json',
    "alphabet = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz'",
    'def c4(data):',
    "    n = int(hashlib.sha512(data).hexdigest(), 16)",
    "    out = ''",
    '    while n:',
    '        n, r = divmod(n, 58)',
    '        out = alphabet[r] + out',
    "    return 'c4' + '1' * (88 - len(out)) + out",
    'print(json.dumps([c4(bytes.fromhex(h)) for h in json.loads(sys.stdin.read())]))',
  ].join('\n');
  const run = spawnSync('python3', ['-c', program], { input: JSON.stringify(inputs.map((b) => b.toString('hex'))), encoding: 'utf8' });
  expect(run.error, 'python3 must be installed').toBeUndefined();
  expect(run.stderr).toBe('');
  return JSON.parse(run.stdout) as string[];
}

function xmllint(xml: string, schema: string) {
  const lint = spawnSync('xmllint', ['--noout', '--schema', schema, '-'], { input: xml, encoding: 'utf8' });
  expect(lint.error, 'xmllint (Debian: libxml2-utils) must be installed').toBeUndefined();
  return lint;
}

describe('C4 id', () => {
  it('equals an independent computation, padding included', () => {
    // 40 random inputs: about four in five SHA-512 values have fewer than 88 base58 digits, so padding is exercised.
    const inputs = [Buffer.alloc(0), Buffer.from('abc'), ...Array.from({ length: 40 }, (_, i) => randomBytes(i * 37))];
    const expected = c4ByPython(inputs);
    const ours = inputs.map((input) => c4Id(input));
    expect(ours).toEqual(expected);
    expect(ours.some((id) => id.startsWith('c41'))).toBe(true);
    for (const id of ours) expect(id).toMatch(/^c4[1-9A-HJ-NP-Za-km-z]{88}$/);
  });

  it('changes with a single flipped bit', () => {
    const bytes = randomBytes(4096);
    const flipped = Buffer.from(bytes);
    flipped[2048] = flipped[2048]! ^ 1;
    expect(c4Id(flipped)).not.toBe(c4Id(bytes));
  });
});

describe('generation file names', () => {
  const at = new Date('2026-03-04T05:06:07.890Z');

  it('follow the reference pattern NNNN_<folder>_<date>_<time>Z.mhl, in UTC', () => {
    const name = generationFileName(1, 'A002R2EC', at);
    expect(name).toBe('0001_A002R2EC_2026-03-04_050607Z.mhl');
    // How the reference tool recognises and numbers generation files (history.py: ^(\d{4,})(?:_(.+))?$ on the stem).
    const match = /^(\d{4,})(?:_(.+))?$/.exec(name.replace(/\.mhl$/, ''));
    expect(match?.[1]).toBe('0001');
    expect(generationFileName(12, 'x', at)).toMatch(/^0012_x_/);
  });

  it('keep only characters every file system accepts from the card label', () => {
    expect(generationFileName(1, 'Card offloaded 2026-03-04', at)).toBe('0001_Card_offloaded_2026-03-04_2026-03-04_050607Z.mhl');
    expect(generationFileName(1, '../Día 3: Ana/B', at)).toBe('0001_Dia_3_Ana_B_2026-03-04_050607Z.mhl');
    expect(generationFileName(1, '', at)).toBe('0001_card_2026-03-04_050607Z.mhl');
    expect(generationFileName(1, '日本', at)).toBe('0001_card_2026-03-04_050607Z.mhl');
    expect(generationFileName(1, 'x'.repeat(300), at)).toHaveLength('0001_'.length + 64 + '_2026-03-04_050607Z.mhl'.length);
    expect(() => generationFileName(0, 'x', at)).toThrow(/starts at 1/);
  });
});

describe('ascmhl_chain.xml', () => {
  const first = Buffer.from('<hashlist>one</hashlist>\n');
  const second = Buffer.from('<hashlist>two</hashlist>\n');
  const chain = buildAscMhlChain([
    { sequenceNumber: 1, fileName: '0001_CARD_2026-03-04_050607Z.mhl', bytes: first },
    { sequenceNumber: 2, fileName: '0002_CARD_2026-03-05_050607Z.mhl', bytes: second },
  ]);

  it('validates against the ASC MHL directory schema rules', () => {
    const lint = xmllint(chain, DIRECTORY_SCHEMA);
    expect(lint.stderr).toMatch(/validates/);
    expect(lint.status).toBe(0);
  });

  it('records each generation in order with the C4 id of its bytes', () => {
    const entries = [...chain.matchAll(/<hashlist sequencenr="(\d+)">\s*<path>([^<]+)<\/path>\s*<c4>([^<]+)<\/c4>/g)].map((m) => [m[1], m[2], m[3]]);
    expect(entries).toEqual([
      ['1', '0001_CARD_2026-03-04_050607Z.mhl', c4ByPython([first])[0]],
      ['2', '0002_CARD_2026-03-05_050607Z.mhl', c4ByPython([second])[0]],
    ]);
    expect(chain.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<ascmhldirectory xmlns="urn:ASC:MHL:DIRECTORY:v2.0">\n')).toBe(true);
  });

  it('is refused by the schema when an entry is wrong', () => {
    for (const broken of [
      chain.replace('sequencenr="2"', 'sequencenr="1"'),
      chain.replace('<path>0002_CARD', '<path>sub/0002_CARD'),
      chain.replace(/<c4>c4(.)/, '<c4>c40'),
      chain.replace(/<c4>[^<]+<\/c4>/, '<c4></c4>'),
    ]) {
      expect(xmllint(broken, DIRECTORY_SCHEMA).status).not.toBe(0);
    }
  });

  it('lists only files of the ascmhl folder itself', () => {
    expect(() => buildAscMhlChain([{ sequenceNumber: 1, fileName: '../0001_x.mhl', bytes: first }])).toThrow(/own folder/);
    expect(() => buildAscMhlChain([{ sequenceNumber: 1, fileName: '0001_x.xml', bytes: first }])).toThrow(/own folder/);
  });
});

describe('the ascmhl verify stand-in (tests/helpers/ascmhl_verify.py)', () => {
  it('hashes as the references do: its XXH64 against the spec transcription, its C4 against c4Id, at every length class', () => {
    // Lengths around the XXH64 stripe (32), lane (8) and word (4) boundaries, and a multi-stripe input.
    const inputs = [0, 1, 3, 4, 7, 8, 31, 32, 33, 63, 64, 100, 4099].map((length) => randomBytes(length));
    const program = `import sys, json\nsys.path.insert(0, ${JSON.stringify(VERIFIER_DIR)})\nimport ascmhl_verify as v\nprint(json.dumps([[v.xxh64(bytes.fromhex(h)), v.c4_id(bytes.fromhex(h))] for h in json.loads(sys.stdin.read())]))`;
    const run = spawnSync('python3', ['-c', program], { input: JSON.stringify(inputs.map((b) => b.toString('hex'))), encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual(inputs.map((input) => [xxh64Reference(input), c4Id(input)]));
  });
});
