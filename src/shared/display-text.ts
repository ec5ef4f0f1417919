/**
 * Printing names a card, a person or an attacker chose (file names, card labels, pseudonyms) without letting
 * them steer the terminal or the page. A name is data: a newline in it must not forge a line of a report, an
 * ANSI escape must not recolour or clear the screen, and a bidi override must not make "gpj.exe" read as
 * "exe.jpg". Pure and dependency-free: the CLI and the window use the same functions.
 */

// C0 controls (incl. ESC, newline, tab), DEL and C1 controls; line/paragraph separators; bidi marks,
// embeddings, overrides and isolates; invisible format characters that hide or join text (zero-width
// space/non-joiner, word joiner and invisible operators, byte-order mark); lone surrogates (not text).
const UNSAFE_CLASS =
  '\\u0000-\\u001f\\u007f-\\u009f\\u061c\\u200b\\u200c\\u200e\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2060-\\u2064\\u2066-\\u2069\\ufeff';
const unsafeInName = new RegExp(`[${UNSAFE_CLASS}\\\\]|[\\ud800-\\udfff]`, 'gu');
// For whole lines of output we wrote ourselves: everything above except the newline and tab that lay them out.
const unsafeInOutput = new RegExp(`[${UNSAFE_CLASS.replace('\\u0000-\\u001f', '\\u0000-\\u0008\\u000b-\\u001f')}]|[\\ud800-\\udfff]`, 'gu');

const hex = (c: string): string => (c.codePointAt(0) ?? 0).toString(16);

/**
 * A printable, unambiguous form of a name: `\n`, `\r`, `\t`, `\\` and `\u{202e}` for every other unsafe
 * character. Different names stay different (the backslash itself is escaped), and a name without unsafe
 * characters is returned as it is.
 */
export function displayName(name: string): string {
  return name.replace(unsafeInName, (c) => {
    if (c === '\\') return '\\\\';
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    return `\\u{${hex(c)}}`;
  });
}

/** A name in double quotes, as the CLI lists file names: `"DCIM/a\"b.MOV"`. */
export function quotedName(name: string): string {
  return `"${displayName(name).replace(/"/g, '\\"')}"`;
}

/**
 * Last line of defence for text output: escapes every unsafe character except the newlines and tabs the
 * output is laid out with. Names must still go through displayName (a newline inside a name is unsafe).
 */
export function terminalText(text: string): string {
  return text.replace(unsafeInOutput, (c) => `\\u{${hex(c)}}`);
}

/**
 * The same for JSON text: unsafe characters can only occur inside JSON strings, where `\uXXXX` stands for
 * exactly the same character, so the output still parses to the identical value.
 */
export function terminalJson(json: string): string {
  return json.replace(unsafeInOutput, (c) => {
    const code = c.codePointAt(0) ?? 0;
    // Lone surrogates are matched one at a time; \t and \n never occur raw in JSON.stringify output.
    return `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
