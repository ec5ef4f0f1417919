import { describe, expect, it } from 'vitest';
import { MATCH_THRESHOLD } from '../../../src/main/core/faces/proposals';
import { matchWords, timeRange } from '../../../src/renderer/src/match-words';

describe('a face-match score in words', () => {
  it('calls the measured same-person range a strong match and the rest of the proposals possible, with the number', () => {
    expect(matchWords(0.94)).toEqual({ label: 'Strong match', detail: '94% alike' });
    expect(matchWords(0.85).label).toBe('Strong match');
    expect(matchWords(0.849).label).toBe('Possible match');
    expect(matchWords(MATCH_THRESHOLD)).toEqual({ label: 'Possible match', detail: '70% alike' });
  });

  it('words a track time range in seconds', () => {
    expect(timeRange(0, 2)).toBe('0.0–2.0 s');
    expect(timeRange(12.34, 15.06)).toBe('12.3–15.1 s');
  });
});
