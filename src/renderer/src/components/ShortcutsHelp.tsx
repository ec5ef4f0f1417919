import { Dialog } from './Dialog';

/** Every keyboard shortcut, in one place; opened with ? or the sidebar button. */
export const SHORTCUTS: { keys: string; what: string }[] = [
  { keys: 'Alt+1 … Alt+6', what: 'Go to Offload, Library, Subjects, Safety, Export, Devices & sync' },
  { keys: 'Alt+L', what: 'Lock the vault now' },
  { keys: '?', what: 'Show this list' },
  { keys: 'Escape', what: 'Close a dialog or the open clip' },
  { keys: '↑ ↓ (← → in the grid)', what: 'Library: move between clips' },
  { keys: 'Home / End, Page Up / Page Down', what: 'Library: first or last clip, a screen at a time' },
  { keys: 'Enter', what: 'Library: open the clip; forms: confirm' },
  { keys: 'Tab / Shift+Tab', what: 'Move between controls' },
];

export function ShortcutsHelp({ onClose }: { onClose: () => void }) {
  return (
    <Dialog title="Keyboard shortcuts" onClose={onClose}>
      <table className="clip-table shortcuts">
        <thead>
          <tr>
            <th scope="col">Keys</th>
            <th scope="col">What they do</th>
          </tr>
        </thead>
        <tbody>
          {SHORTCUTS.map((shortcut) => (
            <tr key={shortcut.keys}>
              <td>
                <kbd>{shortcut.keys}</kbd>
              </td>
              <td>{shortcut.what}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="row end">
        <button type="button" data-autofocus onClick={onClose}>
          Close
        </button>
      </div>
    </Dialog>
  );
}
