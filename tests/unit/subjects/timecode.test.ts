import { describe, expect, it } from 'vitest';
import { parseTimecode } from '../../../src/main/cli/timecode';

describe('parseTimecode', () => {
  it.each([
    ['0', 0],
    ['12', 12],
    ['12.5', 12.5],
    ['01:15', 75],
    ['00:01:15', 75],
    ['01:00:00', 3600],
    ['00:01:02.5', 62.5],
    [' 00:00:03.25 ', 3.25],
    ['100:00:00', 360000],
  ])('%s → %d s', (text, seconds) => {
    expect(parseTimecode(text)).toBe(seconds);
  });

  it.each(['', 'abc', '-3', '1:2:3:4', '00:60:00', '00:00:60', '00:1:5', '12.', '00:00:01:12'])('refuses %j', (text) => {
    expect(() => parseTimecode(text)).toThrow();
  });
});
