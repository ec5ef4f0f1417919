import { useState, type FormEvent } from 'react';
import { PROTECTIONS, type Protection, type SubjectDetail } from '../../../shared/model';
import { useApp } from '../navigation';
import { callCore } from '../safehouse';
import { protectionText } from './Badges';
import { Dialog } from './Dialog';
import { ErrorNotice } from './EmptyState';

/** A new person: a pseudonym everyone may see, and an optional real name sealed to HQ. */
export function SubjectCreateDialog({ onClose, onCreated }: { onClose: () => void; onCreated: (subject: SubjectDetail) => void }) {
  const { vault } = useApp();
  const [pseudonym, setPseudonym] = useState('');
  const [realName, setRealName] = useState('');
  const [protection, setProtection] = useState<Protection[]>(['face']);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const result = await callCore('subjects.create', {
      pseudonym: pseudonym.trim(),
      ...(realName.trim() ? { realName: realName.trim() } : {}),
      protection,
    });
    setBusy(false);
    if (result.ok) onCreated(result.value);
    else setError(result.error.message);
  };

  const toggle = (item: Protection) => setProtection((current) => (current.includes(item) ? current.filter((p) => p !== item) : [...current, item]));

  return (
    <Dialog title="Add a subject" onClose={onClose}>
      <form className="stack" onSubmit={submit}>
        <label>
          Pseudonym
          <input value={pseudonym} onChange={(event) => setPseudonym(event.target.value)} required maxLength={200} autoComplete="off" autoFocus />
          <span className="hint">Shown to everyone who works on the film, and in the audit trail. Never use a real name here.</span>
        </label>
        <label>
          Real name (optional)
          <input value={realName} onChange={(event) => setRealName(event.target.value)} maxLength={200} autoComplete="off" />
          <span className="hint">
            Sealed to HQ (the identity key): editors and crew never see it.
            {vault.canOpen.identity
              ? ' This vault can open identities, so it will be shown to you here.'
              : ' This is a field vault: once saved, the name cannot be read back on this laptop, only at HQ.'}
          </span>
        </label>
        <fieldset className="toggles">
          <legend>Protection</legend>
          {PROTECTIONS.map((item) => (
            <label key={item} className="check">
              <input type="checkbox" checked={protection.includes(item)} onChange={() => toggle(item)} />
              {protectionText[item]}
            </label>
          ))}
        </fieldset>
        {error && <ErrorNotice message={error} />}
        <div className="row end">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy || pseudonym.trim() === ''}>
            {busy ? 'Sealing…' : 'Add subject'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
