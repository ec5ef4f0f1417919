import type { KeyClass, VaultSummary } from '../../../shared/model';

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
      <button type="button" className="lock-button" onClick={onLock}>
        Lock vault
      </button>
    </section>
  );
}
