import { useState } from 'react';
import { PROTECTIONS, type Protection, type SubjectDetail } from '../../../shared/model';
import { callCore } from '../safehouse';
import { protectionText } from './Badges';
import { ErrorNotice } from './EmptyState';

const explanations: Record<Protection, string> = {
  face: 'Covered by a solid or coarse mask over a region track; the whole frame is hidden until a track is drawn.',
  voice:
    'The voice is disguised with pitch and formant shifts drawn at random for this person and kept secret (muted while unreviewed). Someone with recordings of them and speaker-recognition software may still match it: where the voice alone could identify them, mute it.',
  name: 'Their real name never appears in proxies, manifests or exports.',
  location: 'Location data is stripped; also check that places in the picture do not identify them.',
  exclude: 'They must not be shown at all: every clip they appear in is blocked.',
  'mute-voice': 'Their voice is silenced wherever they appear: recommended where the voice alone could identify them.',
};

/** What must be hidden about a subject; each change rebuilds the proxies of their clips. */
export function ProtectionToggles({ subject, onChanged }: { subject: SubjectDetail; onChanged: (subject: SubjectDetail) => void }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const toggle = async (item: Protection) => {
    const next = subject.protection.includes(item) ? subject.protection.filter((p) => p !== item) : [...subject.protection, item];
    setBusy(true);
    setError(null);
    const result = await callCore('subjects.setProtection', { id: subject.id, protection: next });
    setBusy(false);
    if (result.ok) onChanged(result.value);
    else setError(result.error.message);
  };

  return (
    <section className="panel-section" aria-labelledby="protection-title">
      <h3 id="protection-title">Protection</h3>
      <fieldset className="toggles" aria-busy={busy}>
        <legend className="visually-hidden">Protection for {subject.pseudonym}</legend>
        {PROTECTIONS.map((item) => (
          <label key={item} className="check explained">
            <input type="checkbox" checked={subject.protection.includes(item)} onChange={() => void toggle(item)} disabled={busy} />
            <span>
              <strong>{protectionText[item]}</strong>
              <span className="hint">{explanations[item]}</span>
            </span>
          </label>
        ))}
      </fieldset>
      {error && <ErrorNotice message={error} />}
    </section>
  );
}
