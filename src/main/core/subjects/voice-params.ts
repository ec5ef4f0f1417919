import { randomInt } from 'node:crypto';
import type { UnlockedVault } from '../vault/vault';

/**
 * Secret voice-disguise parameters, drawn at random once per subject and sealed to the identity class.
 * A fixed, published shift (the old ×0.75) is undone by shifting back; with parameters drawn per person
 * and kept at HQ, knowing the method is not enough — an attacker must search for them, and the search is
 * only as good as their recordings of whom they suspect (docs/proxies.md says what that still allows).
 */
export interface VoiceParams {
  v: 1;
  /** Pitch ratio, 3–6 semitones up or down. */
  pitch: number;
  /** Formant (spectral envelope) ratio, 8–18 % up or down, drawn independently of the pitch. */
  formant: number;
}

const STEPS = 1_000_000;
/** Uniform in [lo, hi) from the OS CSPRNG. */
const uniform = (lo: number, hi: number) => lo + ((hi - lo) * randomInt(STEPS)) / STEPS;
const sign = () => (randomInt(2) === 0 ? -1 : 1);

export function drawVoiceParams(): VoiceParams {
  const semitones = sign() * uniform(3, 6);
  return { v: 1, pitch: 2 ** (semitones / 12), formant: 1 + sign() * uniform(0.08, 0.18) };
}

/** Pure: a stored value is used only if it is within the ranges drawn (a corrupted row must not pass through). */
export function isVoiceParams(value: unknown): value is VoiceParams {
  const p = value as Partial<VoiceParams> | null;
  const semis = typeof p?.pitch === 'number' ? Math.abs(12 * Math.log2(p.pitch)) : NaN;
  const formant = typeof p?.formant === 'number' ? Math.abs(p.formant - 1) : NaN;
  return p?.v === 1 && semis >= 3 - 1e-9 && semis <= 6 + 1e-9 && formant >= 0.08 - 1e-9 && formant <= 0.18 + 1e-9;
}

/**
 * The subject's parameters, drawn and sealed on first use. Null when this vault cannot open the identity
 * class (a field vault): the caller then mutes instead, never disguises with guessable values.
 */
export async function voiceParamsFor(vault: UnlockedVault, subjectId: string): Promise<VoiceParams | null> {
  if (!vault.info.canOpen.identity) return null;
  const catalog = await vault.catalog();
  const read = async () => {
    const row = await catalog.get<{ params_sealed: Uint8Array }>('SELECT params_sealed FROM voice_params WHERE subject_id = ?', [subjectId]);
    if (!row) return undefined;
    const parsed: unknown = JSON.parse(vault.openText(row.params_sealed));
    return isVoiceParams(parsed) ? parsed : null;
  };
  const existing = await read();
  if (existing !== undefined) return existing;
  const sealed = vault.sealValue('identity', JSON.stringify(drawVoiceParams()));
  // INSERT OR IGNORE then read back: two proxy jobs racing for a new subject end up with the same parameters.
  await catalog.run('INSERT OR IGNORE INTO voice_params (subject_id, params_sealed, created_at) VALUES (?, ?, ?)', [subjectId, Buffer.from(sealed), new Date().toISOString()]);
  return (await read()) ?? null;
}
