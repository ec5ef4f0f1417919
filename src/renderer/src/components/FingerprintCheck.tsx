/**
 * A pasted card's fingerprint, and the box a person ticks once they have read it aloud with the other side:
 * the step that catches a swapped card. Used wherever a card is pasted (a field vault from HQ's card, HQ
 * enrolling a laptop), so both say it the same way.
 */
export function FingerprintCheck({ fingerprint, withWhom, compared, onCompared }: { fingerprint: string; withWhom: string; compared: boolean; onCompared: (compared: boolean) => void }) {
  return (
    <>
      <p>
        Fingerprint: <strong className="mono fingerprint">{fingerprint}</strong>
      </p>
      <label className="check">
        <input type="checkbox" checked={compared} onChange={(event) => onCompared(event.target.checked)} />I read this fingerprint with {withWhom} over a phone
        call or in person, and it matches.
      </label>
    </>
  );
}
