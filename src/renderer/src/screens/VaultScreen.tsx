import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { PanicResult, VaultKind, VaultStatus, VaultSummary } from '../../../shared/model';
import { ErrorNotice } from '../components/EmptyState';
import { FingerprintCheck } from '../components/FingerprintCheck';
import { passphraseStrength } from '../passphrase-strength';
import { claimedFingerprint } from '../recipient-card';
import { callCore } from '../safehouse';
import { windowMessage } from '../window-messages';

type Mode = 'unlock' | 'create';

export function VaultScreen({ status, panicked = null, onUnlocked }: { status: VaultStatus; panicked?: PanicResult | null; onUnlocked: (vault: VaultSummary) => void }) {
  const [mode, setMode] = useState<Mode>(status.state === 'locked' ? 'unlock' : 'create');
  const [dir, setDir] = useState(status.state === 'locked' ? status.dir : '');
  const [passphrase, setPassphrase] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [kind, setKind] = useState<VaultKind>('normal');
  const [hqCard, setHqCard] = useState('');
  const [comparedFingerprint, setComparedFingerprint] = useState(false);
  const [understood, setUnderstood] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const passphraseField = useRef<HTMLInputElement>(null);
  const strength = passphraseStrength(mode === 'create' ? passphrase : '');
  const fingerprint = kind === 'field' ? claimedFingerprint(hqCard) : null;

  const chooseFolder = async () => {
    const result = await callCore('dialog.chooseFolder', { purpose: 'vault' });
    if (result.ok && result.value.path) setDir(result.value.path);
  };

  const fail = (message: string) => {
    setError(message);
    // Focus stays where the fix is typed: the passphrase, selected so it can be typed again at once.
    requestAnimationFrame(() => {
      passphraseField.current?.focus();
      passphraseField.current?.select();
    });
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    if (mode === 'create') {
      if (!strength.acceptable) return fail('This passphrase is too easy to guess. A seized laptop gives an attacker unlimited tries: use four or more unrelated words.');
      if (passphrase !== confirmation) return fail('The two passphrases differ. Type the same passphrase twice.');
      if (kind === 'field' && !fingerprint) return setError('Paste HQ’s recipient card (the text HQ sent you) to create a field vault.');
    }
    setBusy(true);
    const result =
      mode === 'create'
        ? await callCore('vault.create', { dir, passphrase, kind, ...(kind === 'field' ? { hqRecipientCard: hqCard } : {}) })
        : await callCore('vault.unlock', { dir, passphrase });
    setBusy(false);
    if (result.ok) {
      setPassphrase('');
      setConfirmation('');
      onUnlocked(result.value);
    } else {
      setPassphrase('');
      setConfirmation('');
      fail(windowMessage(result.error));
    }
  };

  const canCreate = strength.acceptable && understood && passphrase === confirmation && (kind === 'normal' || (fingerprint !== null && comparedFingerprint));

  return (
    <main className="vault-screen">
      <h1>Safehouse</h1>
      {panicked ? <AfterPanic result={panicked} /> : <p className="lede">Footage and the people in it stay encrypted on this machine. Open a vault to begin.</p>}
      <div className="tabs" role="tablist" aria-label="Vault">
        <button type="button" role="tab" aria-selected={mode === 'unlock'} onClick={() => setMode('unlock')}>
          Unlock a vault
        </button>
        <button type="button" role="tab" aria-selected={mode === 'create'} onClick={() => setMode('create')}>
          Create a vault
        </button>
      </div>
      {mode === 'create' && (
        <section className="first-run" aria-labelledby="first-run-title">
          <h2 id="first-run-title">Before you create a vault</h2>
          <p>
            <strong>Nobody can recover a lost passphrase: not you, not HQ, not the makers of Safehouse.</strong> If it is forgotten, every clip in the vault is lost
            for good. Learn it by heart, or keep a copy somewhere safe and away from this laptop.
          </p>
          <p className="hint">Choose a passphrase of several unrelated words. If you are ever made to unlock the vault, a field vault shows proxies only.</p>
        </section>
      )}
      <form onSubmit={submit} className="vault-form" aria-busy={busy}>
        <label>
          Vault folder
          <span className="row">
            <input name="dir" value={dir} onChange={(event) => setDir(event.target.value)} required autoComplete="off" spellCheck={false} />
            <button type="button" onClick={chooseFolder}>
              Choose…
            </button>
          </span>
        </label>
        {mode === 'create' && (
          <fieldset>
            <legend>Kind of vault</legend>
            <label className="check explained">
              <input type="radio" name="kind" value="normal" checked={kind === 'normal'} onChange={() => setKind('normal')} />
              <span>
                Normal vault
                <span className="hint">Opens everything with this passphrase: masters, proxies and identities. For HQ and the edit suite.</span>
              </span>
            </label>
            <label className="check explained">
              <input type="radio" name="kind" value="field" checked={kind === 'field'} onChange={() => setKind('field')} />
              <span>
                Field vault (from HQ’s card)
                <span className="hint">Write-only for the crew: masters and identities are sealed to HQ, so a seized, unlocked laptop shows proxies and nothing else.</span>
              </span>
            </label>
            {kind === 'field' && (
              <div className="stack">
                <label>
                  HQ’s recipient card
                  <textarea name="hqCard" rows={5} value={hqCard} onChange={(event) => setHqCard(event.target.value)} spellCheck={false} placeholder="Paste the card HQ sent you" />
                </label>
                {hqCard.trim() !== '' &&
                  (fingerprint ? (
                    <FingerprintCheck fingerprint={fingerprint} withWhom="HQ" compared={comparedFingerprint} onCompared={setComparedFingerprint} />
                  ) : (
                    <ErrorNotice message="This does not look like a recipient card. Paste the whole card HQ sent, from the first { to the last }." />
                  ))}
              </div>
            )}
          </fieldset>
        )}
        <label>
          Passphrase
          <input ref={passphraseField} name="passphrase" type="password" value={passphrase} onChange={(event) => setPassphrase(event.target.value)} required autoComplete="off" />
        </label>
        {mode === 'create' && (
          <>
            <div className={`strength strength-${strength.label.replace(' ', '-')}`}>
              <meter min={0} max={100} low={50} high={75} optimum={100} value={strength.percent} aria-label="Passphrase strength" />
              <span>Strength: {strength.label}</span>
            </div>
            {passphrase && strength.advice.length > 0 && (
              <ul className="hint advice" aria-label="How to make it stronger">
                {strength.advice.map((line) => (
                  <li key={line}>{line}</li>
                ))}
              </ul>
            )}
            <label>
              Type it again
              <input name="confirmation" type="password" value={confirmation} onChange={(event) => setConfirmation(event.target.value)} required autoComplete="off" />
            </label>
            <label className="check">
              <input type="checkbox" checked={understood} onChange={(event) => setUnderstood(event.target.checked)} />
              I understand that if this passphrase is lost, the footage is lost.
            </label>
          </>
        )}
        {error && <ErrorNotice message={error} />}
        <button type="submit" className="primary" disabled={busy || (mode === 'create' && !understood)}>
          {busy ? 'Deriving keys…' : mode === 'create' ? (kind === 'field' ? 'Create field vault' : 'Create vault') : 'Unlock'}
        </button>
        {mode === 'create' && !canCreate && understood && !error && passphrase && <p className="hint">The vault can be created once the passphrase is strong enough and typed the same twice.</p>}
      </form>
    </main>
  );
}

/** What the window shows after the panic button: what was destroyed, what still holds, and that it is final. */
function AfterPanic({ result }: { result: PanicResult }) {
  const heading = useRef<HTMLHeadingElement>(null);
  // The dialog that asked is gone with the vault: focus lands on what happened, so a screen reader says it.
  useEffect(() => heading.current?.focus(), []);
  const at = new Date(result.at).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
  return (
    <section className="after-panic" role="status" aria-labelledby="after-panic-title">
      <h2 id="after-panic-title" ref={heading} tabIndex={-1}>
        The vault’s keys are destroyed on this laptop
      </h2>
      <p>
        At {at} the vault was locked and its keys were destroyed. No passphrase opens it on this laptop any more: not the clips, not the proxies, not the subjects. This cannot
        be undone.
      </p>
      <p>Footage already pushed to HQ still opens there.{result.signed ? ' The vault folder keeps a record of the panic signed by this laptop, so HQ can check what happened.' : ''}</p>
    </section>
  );
}
