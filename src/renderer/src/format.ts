export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '—';
  const whole = Math.round(seconds);
  const minutes = Math.floor(whole / 60);
  return `${minutes}:${String(whole % 60).padStart(2, '0')}`;
}

/** Time left as a person reads it: "45 s", "12 min", "2 h 05 min"; never "899m 50s". */
export function formatTimeLeft(seconds: number | null): string {
  if (seconds === null) return 'estimating time left…';
  if (seconds <= 0) return 'finishing';
  if (seconds < 60) return `about ${Math.max(5, Math.round(seconds / 5) * 5)} s left`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `about ${minutes} min left`;
  return `about ${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min left`;
}

/** "1 clip", "2 clips": never "1 entries". */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString('en')} ${count === 1 ? one : many}`;
}

const NAMED_ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * A file name as it can be read safely: control characters (a newline in a name) and bidirectional
 * overrides (which can make "gpj.exe" read as "exe.jpg") are shown as escapes, never interpreted.
 */
export function visibleName(name: string): string {
  return name.replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (char) => NAMED_ESCAPES[char] ?? `\\u{${char.codePointAt(0)!.toString(16)}}`);
}

/**
 * A clip's reason as a person reads it: the core's sentence, with a tool's raw message (ffmpeg, ffprobe)
 * moved out into `detail` so it can sit behind a "technical detail" disclosure instead of in the sentence.
 */
export function humanReason(reason: string): { text: string; detail: string | null } {
  const match = /^(not readable as \w+|metadata could not be removed|the cleaned copy failed the proof|the cleaned photo failed the proof): (.+?)(\. The original is kept.*)?$/s.exec(reason);
  if (!match) return { text: reason, detail: null };
  return { text: `${match[1]}${match[3] ?? '.'}`, detail: match[2]! };
}
