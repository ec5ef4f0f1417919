import { describe, expect, it } from 'vitest';
import { passphraseStrength } from '../../../src/renderer/src/passphrase-strength';

describe('passphrase strength (zxcvbn) with the minimum the app enforces', () => {
  it.each([
    ['', false, 'too short'],
    ['short1!', false, 'too short'],
    // The reported bugs: rated strong, and allowed to create a vault.
    ['Password1234!', false, 'very weak'],
    ['aaaaaaaaaaaa', false, 'very weak'],
    ['qwertyuiop123', false, 'very weak'],
    ['correct horse battery staple', true, 'strong'],
    ['blue anchor mosaic tundra', true, 'strong'],
  ])('%j → acceptable %s (%s)', (passphrase, acceptable, label) => {
    const strength = passphraseStrength(passphrase);
    expect(strength.acceptable).toBe(acceptable);
    expect(strength.label).toBe(label);
    if (!acceptable && passphrase) expect(strength.advice.length).toBeGreaterThan(0);
  });

  it('the meter grows with strength', () => {
    expect(passphraseStrength('Password1234!').percent).toBeLessThan(passphraseStrength('correct horse battery staple').percent);
  });
});
