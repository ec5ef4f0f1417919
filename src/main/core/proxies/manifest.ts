import type { ExportedClip } from '../../../shared/model';

/**
 * The editor's relink manifest. Only neutral fields: clip code, duration, camera timecode, proxy file name
 * and how it is masked. Never an original file name, path, card label, place or person.
 */

/**
 * RFC 4180 quoting, plus a leading apostrophe for cells a spreadsheet would run as a formula
 * (= + - @ tab CR): the manifest is opened in Excel/LibreOffice.
 */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

export const MANIFEST_COLUMNS = ['clip_code', 'duration_seconds', 'source_timecode', 'proxy_file', 'protection'] as const;

export function manifestCsv(clips: readonly ExportedClip[]): string {
  const lines = [MANIFEST_COLUMNS.join(',')];
  for (const clip of clips) {
    const duration = clip.durationSeconds === null ? null : Math.round(clip.durationSeconds * 1000) / 1000;
    lines.push([clip.code, duration, clip.timecode, clip.file, clip.mode].map(csvCell).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
