import { useEffect, useState } from 'react';
import type { KeyClass, VaultSummary } from '../../../shared/model';
import { onCoreEvent } from '../safehouse';

const classLabels: Record<KeyClass, string> = {
  master: 'masters',
  proxy: 'proxies',
  identity: 'identities',
};

/** Always visible: which vault is open, what kind, and what this machine can and cannot open. */
export function VaultBadge({ vault, onLock, onAutoLock }: { vault: VaultSummary; onLock: () => void; onAutoLock: (minutes: number | null) => void }) {
  const classes = Object.keys(classLabels) as KeyClass[];
  return (
    <section className="vault-badge" aria-label="Vault">
      <div className="vault-kind">{vault.kind === 'field' ? 'Field vault (write-only)' : 'Vault'}</div>
      <ul className="vault-can-open">
        {classes.map((cls) => (
          <li key={cls} className={vault.canOpen[cls] ? 'can' : 'cannot'}>
            {vault.canOpen[cls] ? 'Opens' : 'Cannot open'} {classLabels[cls]}
          </li>
        ))}
      </ul>
      <label className="vault-autolock">
        Lock when idle for
        <select value={vault.autoLockMinutes === null ? 'off' : String(vault.autoLockMinutes)} onChange={(event) => onAutoLock(event.target.value === 'off' ? null : Number(event.target.value))}>
          {[5, 15, 30, 60].map((minutes) => (
            <option key={minutes} value={minutes}>
              {minutes} minutes
            </option>
          ))}
          <option value="off">never (not recommended)</option>
        </select>
      </label>
      {vault.autoLockMinutes !== null && <IdleCountdown minutes={vault.autoLockMinutes} />}
      <button type="button" className="lock-button" onClick={onLock}>
        Lock vault
      </button>
    </section>
  );
}

/**
 * How long until the vault locks itself, as this window sees it: any key, click, offload or sync progress starts
 * the count again (the core counts the same activity, so it locks no earlier than shown).
 */
function IdleCountdown({ minutes }: { minutes: number }) {
  const [lastActive, setLastActive] = useState(() => Date.now());
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const active = () => setLastActive(Date.now());
    window.addEventListener('keydown', active);
    window.addEventListener('pointerdown', active);
    const stopProgress = onCoreEvent('offload.progress', active);
    const stopSync = onCoreEvent('sync.progress', active);
    const timer = window.setInterval(() => setNow(Date.now()), 15_000);
    return () => {
      window.removeEventListener('keydown', active);
      window.removeEventListener('pointerdown', active);
      stopProgress();
      stopSync();
      window.clearInterval(timer);
    };
  }, []);
  const left = Math.max(1, Math.ceil((lastActive + minutes * 60_000 - Math.max(now, lastActive)) / 60_000));
  return (
    <p className="vault-autolock-left" aria-live="off">
      Locks itself in about {left} min if left alone.
    </p>
  );
}
