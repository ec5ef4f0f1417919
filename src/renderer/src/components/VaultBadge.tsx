import type { KeyClass, VaultSummary } from '../../../shared/model';

const classLabels: Record<KeyClass, string> = {
  master: 'masters',
  proxy: 'proxies',
  identity: 'identities',
};

/** Always visible: which vault is open, what kind, and what this machine can and cannot open. */
export function VaultBadge({ vault, onLock }: { vault: VaultSummary; onLock: () => void }) {
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
      <div className="vault-autolock">
        {vault.autoLockMinutes === null ? 'Auto-lock off' : `Locks after ${vault.autoLockMinutes} min idle`}
      </div>
      <button type="button" className="lock-button" onClick={onLock}>
        Lock vault
      </button>
    </section>
  );
}
