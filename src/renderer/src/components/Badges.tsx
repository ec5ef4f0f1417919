import type { ConsentState, Protection, SafetyStatus } from '../../../shared/model';

const consentText: Record<ConsentState | 'unrecorded', string> = {
  unrecorded: 'No consent recorded',
  pending: 'Consent pending',
  given: 'Consent given',
  conditional: 'Conditional consent',
  withdrawn: 'Consent withdrawn',
};

export const protectionText: Record<Protection, string> = {
  face: 'Hide face',
  voice: 'Alter voice',
  name: 'Hide name',
  location: 'Hide location',
  exclude: 'Do not show at all',
  'mute-voice': 'Mute voice',
};

const safetyText: Record<SafetyStatus, string> = { cleared: 'Cleared', 'needs-review': 'Needs review', blocked: 'Blocked' };

/** A coloured pill whose words carry the meaning, so colour is never the only signal. */
export function ConsentBadge({ state }: { state: ConsentState | 'unrecorded' }) {
  return <span className={`badge consent-${state}`}>{consentText[state]}</span>;
}

export function SafetyBadge({ safety }: { safety: SafetyStatus }) {
  return <span className={`badge safety-badge-${safety}`}>{safetyText[safety]}</span>;
}

export function ProtectionBadges({ protection }: { protection: readonly Protection[] }) {
  if (protection.length === 0) return <span className="badge muted">No protection asked</span>;
  return (
    <>
      {protection.map((item) => (
        <span key={item} className={`badge protect-${item}`}>
          {protectionText[item]}
        </span>
      ))}
    </>
  );
}
