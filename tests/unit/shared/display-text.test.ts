import { describe, expect, it } from 'vitest';
import { displayName, quotedName, terminalJson, terminalText } from '../../../src/shared/display-text';

/** Names are printed safely everywhere: one rule per row, for the CLI and the window alike. */
describe('displayName', () => {
  const rows: [string, string, string][] = [
    ['plain ASCII is unchanged', 'DCIM/100APPLE/IMG_0001.MOV', 'DCIM/100APPLE/IMG_0001.MOV'],
    ['non-Latin letters and emoji are unchanged', 'Интервью/ساحة/😀.mp4', 'Интервью/ساحة/😀.mp4'],
    ['newline', 'a\nb', 'a\\nb'],
    ['carriage return', 'a\rb', 'a\\rb'],
    ['tab', 'a\tb', 'a\\tb'],
    ['NUL', 'a\u0000b', 'a\\u{0}b'],
    ['ESC (ANSI colour / clear screen)', '\u001b[2Jx', '\\u{1b}[2Jx'],
    ['DEL', 'a\u007fb', 'a\\u{7f}b'],
    ['C1 control (CSI)', 'a\u009bb', 'a\\u{9b}b'],
    ['C1 control (NEL)', 'a\u0085b', 'a\\u{85}b'],
    ['backslash is escaped so escapes stay unambiguous', 'a\\nb', 'a\\\\nb'],
    ['LRE', 'a\u202ab', 'a\\u{202a}b'],
    ['RLE', 'a\u202bb', 'a\\u{202b}b'],
    ['PDF', 'a\u202cb', 'a\\u{202c}b'],
    ['LRO', 'a\u202db', 'a\\u{202d}b'],
    ['RLO ("gpj.exe" read as "exe.jpg")', 'clip\u202egpj.exe', 'clip\\u{202e}gpj.exe'],
    ['LRI', 'a\u2066b', 'a\\u{2066}b'],
    ['RLI', 'a\u2067b', 'a\\u{2067}b'],
    ['FSI', 'a\u2068b', 'a\\u{2068}b'],
    ['PDI', 'a\u2069b', 'a\\u{2069}b'],
    ['LRM', 'a\u200eb', 'a\\u{200e}b'],
    ['RLM', 'a\u200fb', 'a\\u{200f}b'],
    ['Arabic letter mark', 'a\u061cb', 'a\\u{61c}b'],
    ['line separator', 'a\u2028b', 'a\\u{2028}b'],
    ['paragraph separator', 'a\u2029b', 'a\\u{2029}b'],
    ['zero-width space', 'a\u200bb', 'a\\u{200b}b'],
    ['byte-order mark', '\ufeffa', '\\u{feff}a'],
    ['lone surrogate', 'a\ud800b', 'a\\u{d800}b'],
    ['a valid surrogate pair is a character, kept', 'a\u{1f600}b', 'a\u{1f600}b'],
  ];
  it.each(rows)('%s', (_what, input, expected) => {
    expect(displayName(input)).toBe(expected);
  });

  it('leaves no unsafe character in any output, and keeps distinct names distinct', () => {
    const inputs = rows.map((row) => row[1]);
    const outputs = inputs.map(displayName);
    for (const out of outputs) expect(out).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/);
    expect(new Set(outputs).size).toBe(new Set(inputs).size);
  });
});

describe('quotedName, terminalText and terminalJson', () => {
  it('quotes a name and escapes its quotes', () => {
    expect(quotedName('say "hi"\n')).toBe('"say \\"hi\\"\\n"');
  });

  it('terminalText keeps the layout (newline, tab) and escapes everything else unsafe', () => {
    expect(terminalText('line 1\n\tline \u202e2\u001b[31m\n')).toBe('line 1\n\tline \\u{202e}2\\u{1b}[31m\n');
  });

  it.each([
    ['bidi override', { file: 'x\u202egpj.exe' }],
    ['isolates and marks', { label: '\u2066a\u2069\u200e\u200f' }],
    ['C1 and separators', { note: 'a\u0085\u009b\u2028\u2029' }],
    ['controls JSON already escapes', { name: 'a\nb\u0000\u001b' }],
  ])('terminalJson leaves exact JSON (%s): same value back, no raw unsafe character', (_what, value) => {
    const out = terminalJson(JSON.stringify(value));
    expect(JSON.parse(out)).toEqual(value);
    expect(out).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/);
  });
});
