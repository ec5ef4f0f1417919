import { useEffect, useState, type ComponentType } from 'react';
import type { PanicResult, VaultStatus } from '../../shared/model';
import { callCore, onCoreEvent } from './safehouse';
import { VaultScreen } from './screens/VaultScreen';
import { OffloadScreen } from './screens/OffloadScreen';
import { LibraryScreen } from './screens/LibraryScreen';
import { SubjectsScreen } from './screens/SubjectsScreen';
import { SafetyScreen } from './screens/SafetyScreen';
import { ExportScreen } from './screens/ExportScreen';
import { forgetSyncSession, SyncScreen } from './screens/SyncScreen';
import { VaultBadge } from './components/VaultBadge';
import { ShortcutsHelp } from './components/ShortcutsHelp';
import { AppContext, type NavigationTarget, type ScreenId } from './navigation';

const screens = [
  { id: 'offload', label: 'Offload', role: 'Crew', Component: OffloadScreen },
  { id: 'library', label: 'Library', role: 'Everyone', Component: LibraryScreen },
  { id: 'subjects', label: 'Subjects', role: 'Producer', Component: SubjectsScreen },
  { id: 'safety', label: 'Safety', role: 'Producer', Component: SafetyScreen },
  { id: 'export', label: 'Export', role: 'Editor', Component: ExportScreen },
  { id: 'sync', label: 'Devices & sync', role: 'Crew, HQ', Component: SyncScreen },
] as const satisfies readonly { id: ScreenId; label: string; role: string; Component: ComponentType }[];

export function App() {
  const [status, setStatus] = useState<VaultStatus | null>(null);
  const [screen, setScreen] = useState<ScreenId>('offload');
  const [target, setTarget] = useState<NavigationTarget | null>(null);
  const [help, setHelp] = useState(false);
  const [panicked, setPanicked] = useState<PanicResult | null>(null);

  useEffect(() => {
    void callCore('vault.status', {}).then((result) => setStatus(result.ok ? result.value : { state: 'none' }));
    return onCoreEvent('vault.locked', () => {
      forgetSyncSession();
      void callCore('vault.status', {}).then((result) => result.ok && setStatus(result.value));
    });
  }, []);

  const unlocked = status?.state === 'unlocked';
  // Shortcuts for the whole window (listed in the help panel). None fires while typing in a field, except Alt ones.
  useEffect(() => {
    if (!unlocked) return;
    const onKey = (event: KeyboardEvent) => {
      const typing = event.target instanceof HTMLElement && event.target.matches('input, textarea, select, [contenteditable]');
      if (event.altKey && !event.ctrlKey && !event.metaKey) {
        const index = Number(event.key) - 1;
        if (Number.isInteger(index) && index >= 0 && index < screens.length) {
          event.preventDefault();
          setTarget({ screen: screens[index]!.id });
          setScreen(screens[index]!.id);
        } else if (event.key.toLowerCase() === 'l') {
          event.preventDefault();
          void callCore('vault.lock', {}).then((result) => result.ok && setStatus(result.value));
        }
      } else if (event.key === '?' && !typing && !document.querySelector('dialog[open]')) {
        event.preventDefault();
        setHelp(true);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [unlocked]);

  if (status === null) return <main className="loading" aria-busy="true">Opening Safehouse…</main>;

  if (status.state !== 'unlocked') {
    return (
      <VaultScreen
        status={status}
        panicked={panicked}
        onUnlocked={(vault) => {
          setPanicked(null);
          setStatus({ state: 'unlocked', vault });
        }}
      />
    );
  }

  const active = screens.find((entry) => entry.id === screen) ?? screens[0];
  const setAutoLock = async (minutes: number | null) => {
    const result = await callCore('vault.setAutoLock', { minutes });
    if (result.ok) setStatus({ state: 'unlocked', vault: result.value });
  };
  const lock = async () => {
    const result = await callCore('vault.lock', {});
    if (result.ok) setStatus(result.value);
  };

  const go = (next: NavigationTarget) => {
    setTarget(next);
    setScreen(next.screen);
  };
  const onPanicked = (result: PanicResult) => {
    setPanicked(result);
    setScreen('offload');
    void callCore('vault.status', {}).then((answer) => setStatus(answer.ok ? answer.value : { state: 'locked', dir: result.dir }));
  };

  return (
    <AppContext.Provider value={{ vault: status.vault, target, go, onPanicked }}>
    <div className="app-frame">
      <aside className="sidebar">
        <div className="brand">Safehouse</div>
        <nav aria-label="Main">
          <ul>
            {screens.map((entry) => (
              <li key={entry.id}>
                <button
                  type="button"
                  className="nav-item"
                  aria-current={entry.id === active.id ? 'page' : undefined}
                  onClick={() => go({ screen: entry.id })}
                >
                  <span className="nav-label">{entry.label}</span>
                  <span className="nav-role">{entry.role}</span>
                </button>
              </li>
            ))}
          </ul>
        </nav>
        <button type="button" className="link help-button" onClick={() => setHelp(true)}>
          Keyboard shortcuts (?)
        </button>
        <VaultBadge vault={status.vault} onLock={lock} onAutoLock={setAutoLock} />
      </aside>
      <main className="content" aria-labelledby="screen-title">
        <h1 id="screen-title">{active.label}</h1>
        <active.Component key={`${active.id}-${target?.subjectId ?? ''}-${target?.clipId ?? ''}-${target?.show ?? ''}`} />
      </main>
      {help && <ShortcutsHelp onClose={() => setHelp(false)} />}
    </div>
    </AppContext.Provider>
  );
}
