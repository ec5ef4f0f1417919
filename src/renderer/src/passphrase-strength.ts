/**
 * A rough strength estimate for the meter: bits from length and character variety, with a penalty for
 * repeats. It guides; the core enforces the minimum length.
 */
export function passphraseStrength(passphrase: string): { bits: number; label: 'too short' | 'weak' | 'fair' | 'strong' } {
  if (passphrase.length < 12) return { bits: 0, label: 'too short' };
  let pool = 0;
  if (/[a-z]/.test(passphrase)) pool += 26;
  if (/[A-Z]/.test(passphrase)) pool += 26;
  if (/[0-9]/.test(passphrase)) pool += 10;
  if (/[^A-Za-z0-9]/.test(passphrase)) pool += 33;
  const distinct = new Set(passphrase).size;
  const effectiveLength = Math.min(passphrase.length, distinct * 2);
  const bits = Math.round(effectiveLength * Math.log2(Math.max(pool, 2)));
  return { bits, label: bits >= 80 ? 'strong' : bits >= 60 ? 'fair' : 'weak' };
}
