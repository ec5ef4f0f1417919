import { useState, type FormEvent } from 'react';
import type { VaultStatus, VaultSummary } from '../../../shared/model';
import { ErrorNotice } from '../components/EmptyState';
import { passphraseStrength } from '../passphrase-strength';
import { callCore } from '../safehouse';

type Mode = 'unlock' | 'create';

export function VaultScreen({ status, onUnlocked }: { status: VaultStatus; onUnlocked: (vault: VaultSummary) => void }) {
  const [mode, setMode] = useState<Mode>(status.state === 'locked' ? 'unlock' : 'create');
  const [dir, setDir] = useState(status.state === 'locked' ? status.dir : '');
  const [passphrase, setPassphrase] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const strength = passphraseStrength(passphrase);

  const chooseFolder = async () => {
    const result = await callCore('dialog.chooseFolder', { purpose: 'vault' });
    if (result.ok && result.value.path) setDir(result.value.path);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    if (mode === 'create' && passphrase !== confirmation) {
      setError('The two passphrases differ. Type the same passphrase twice.');
      return;
    }
    setBusy(true);
    const result = mode === 'create' ? await callCore('vault.create', { dir, passphrase }) : await callCore('vault.unlock', { dir, passphrase });
    setBusy(false);
    setPassphrase('');
    setConfirmation('');
    if (result.ok) onUnlocked(result.value);
    else setError(result.error.message);
  };

  return (
    <main className="vault-screen">
      <h1>Safehouse</h1>
      <p className="lede">Footage and the people in it stay encrypted on this machine. Open a vault to begin.</p>
      <div className="tabs" role="tablist" aria-label="Vault">
        <button type="button" role="tab" aria-selected={mode === 'unlock'} onClick={() => setMode('unlock')}>
          Unlock a vault
        </button>
        <button type="button" role="tab" aria-selected={mode === 'create'} onClick={() => setMode('create')}>
          Create a vault
        </button>
      </div>
      <form onSubmit={submit} className="vault-form" aria-busy={busy}>
        <label>
          Vault folder
          <span className="row">
            <input name="dir" value={dir} onChange={(event) => setDir(event.target.value)} required autoComplete="off" />
            <button type="button" onClick={chooseFolder}>
              Choose…
            </button>
          </span>
        </label>
        <label>
          Passphrase
          <input name="passphrase" type="password" value={passphrase} onChange={(event) => setPassphrase(event.target.value)} required autoComplete="off" />
        </label>
        {mode === 'create' && (
          <>
            <div className={`strength strength-${strength.label.replace(' ', '-')}`}>
              <meter min={0} max={100} low={60} high={80} optimum={100} value={Math.min(strength.bits, 100)} aria-label="Passphrase strength" />
              <span>Strength: {strength.label}</span>
            </div>
            <label>
              Type it again
              <input name="confirmation" type="password" value={confirmation} onChange={(event) => setConfirmation(event.target.value)} required autoComplete="off" />
            </label>
          </>
        )}
        {error && <ErrorNotice message={error} />}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Deriving keys…' : mode === 'create' ? 'Create vault' : 'Unlock'}
        </button>
      </form>
    </main>
  );
}
