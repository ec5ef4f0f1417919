import type { UnlockedVault } from '../vault/vault';

/**
 * Whether the camera's start timecode goes out with masters (`export master`) and proxies (burn-in and
 * manifest). It is kept by default: editors conform the edit to it, and it is not a place. But cameras set
 * it to the time of day, so it tells when a scene was shot; where that alone could identify a meeting,
 * HQ drops it for the whole vault. The clip's own sealed summary always keeps it (HQ can change its mind).
 */
export type TimecodePolicy = 'keep' | 'drop';

const SETTING = 'timecode-policy';

export async function readTimecodePolicy(vault: UnlockedVault): Promise<TimecodePolicy> {
  const catalog = await vault.catalog();
  const row = await catalog.get<{ value_sealed: Uint8Array }>('SELECT value_sealed FROM settings WHERE key = ?', [SETTING]);
  if (!row) return 'keep';
  // Fails closed: a setting that cannot be read as "keep" drops the timecode.
  return Buffer.from(vault.openValue(row.value_sealed)).toString('utf8') === 'keep' ? 'keep' : 'drop';
}

/** HQ only: the policy is part of what leaves the vault, like the masters themselves. */
export async function writeTimecodePolicy(vault: UnlockedVault, policy: TimecodePolicy): Promise<TimecodePolicy> {
  const catalog = await vault.catalog();
  const sealed = vault.sealValue('proxy', Buffer.from(policy, 'utf8'));
  await catalog.run('INSERT INTO settings (key, value_sealed) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value_sealed = excluded.value_sealed', [SETTING, Buffer.from(sealed)]);
  return policy;
}

/** The start timecode to write into an exported master, or null (none recorded, or the vault drops it). */
export async function exportTimecode(vault: UnlockedVault, clipId: string): Promise<string | null> {
  if ((await readTimecodePolicy(vault)) === 'drop') return null;
  const catalog = await vault.catalog();
  const row = await catalog.get<{ summary_sealed: Uint8Array | null }>('SELECT summary_sealed FROM clips WHERE id = ?', [clipId]);
  if (!row?.summary_sealed) return null;
  const summary = JSON.parse(vault.openText(row.summary_sealed)) as { timecode?: unknown };
  const tc = typeof summary.timecode === 'string' ? summary.timecode : null;
  // Only a well-formed SMPTE value goes on the ffmpeg command line.
  return tc && /^\d{2}:\d{2}:\d{2}[:;.]\d{2}$/.test(tc) ? tc.replace('.', ':') : null;
}
