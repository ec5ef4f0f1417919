import { describe, expect, it } from 'vitest';
import { csvCell, manifestCsv } from '../../../src/main/core/proxies/manifest';

describe('export manifest', () => {
  it('quotes commas, quotes and newlines, and defuses spreadsheet formulas', () => {
    expect(csvCell('C0001')).toBe('C0001');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"');
    expect(csvCell('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvCell('-1+1')).toBe("'-1+1");
    expect(csvCell(null)).toBe('');
    expect(csvCell(12.5)).toBe('12.5');
  });

  it('has only neutral columns', () => {
    const csv = manifestCsv([{ clipId: 'id1', code: 'C0003', file: 'C0003.mp4', durationSeconds: 12.3456, timecode: null, mode: 'regions' }]);
    expect(csv).toBe('clip_code,duration_seconds,source_timecode,proxy_file,protection\r\nC0003,12.346,,C0003.mp4,regions\r\n');
    expect(csv).not.toContain('id1');
  });
});
