/** The fingerprint a recipient card claims, grouped as people read it aloud; the core checks it matches the keys. */
export function claimedFingerprint(card: string): string | null {
  try {
    const parsed = JSON.parse(card) as { fingerprint?: unknown };
    return typeof parsed.fingerprint === 'string' && /^[0-9a-f]{32}$/.test(parsed.fingerprint) ? (parsed.fingerprint.toUpperCase().match(/.{4}/g) ?? []).join(' ') : null;
  } catch {
    return null;
  }
}
