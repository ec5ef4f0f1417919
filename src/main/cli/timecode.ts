/**
 * Parses a time on the command line: plain seconds ("12", "12.5") or HH:MM:SS / MM:SS with an optional
 * decimal fraction of a second ("00:01:02.5"). Frames are not accepted: their meaning depends on the
 * clip's frame rate, and a wrong guess would shift a protected range. Returns seconds; throws a message
 * a person can act on.
 */
export function parseTimecode(text: string): number {
  const value = text.trim();
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value);
  const match = /^(?:(\d+):)?(\d{1,2}):(\d{2})(\.\d+)?$/.exec(value);
  if (!match) throw new Error(`"${text}" is not a time: use seconds (75.5) or HH:MM:SS[.fraction] (00:01:15.5).`);
  const [, h, m, s, fraction] = match;
  const minutes = Number(m);
  const seconds = Number(s);
  if (h !== undefined && minutes > 59) throw new Error(`"${text}": minutes must be 0–59.`);
  if (seconds > 59) throw new Error(`"${text}": seconds must be 0–59.`);
  return Number(h ?? 0) * 3600 + minutes * 60 + seconds + (fraction ? Number(fraction) : 0);
}
