import { useEffect, useState } from 'react';
import type { MountedVolume } from '../../../shared/model';
import { callCore } from '../safehouse';

/**
 * Where a card comes from: a mounted volume the app found by itself, the folder picker, a typed path, or a
 * folder dropped on the window (handled by the screen). Scanning only reads the card.
 */
export function CardPicker({ busy, onScan }: { busy: boolean; onScan: (path: string) => void }) {
  const [path, setPath] = useState('');
  const [volumes, setVolumes] = useState<MountedVolume[] | null>(null);

  const refresh = () => void callCore('cards.volumes', {}).then((result) => setVolumes(result.ok ? result.value : []));
  useEffect(refresh, []);

  const choose = async () => {
    const result = await callCore('dialog.chooseFolder', { purpose: 'card' });
    if (result.ok && result.value.path) {
      setPath(result.value.path);
      onScan(result.value.path);
    }
  };

  return (
    <div className="card-source">
      <div className="volumes" role="group" aria-label="Mounted cards">
        <span className="muted">Mounted cards:</span>
        {volumes === null && <span className="muted">looking…</span>}
        {volumes?.length === 0 && <span className="muted">none found. Insert a card, or choose its folder below.</span>}
        {volumes?.map((volume) => (
          <button key={volume.path} type="button" className="volume" onClick={() => onScan(volume.path)} disabled={busy} title={volume.path}>
            {volume.name}
          </button>
        ))}
        <button type="button" className="link" onClick={refresh}>
          Look again
        </button>
      </div>
      <form
        className="row card-picker"
        onSubmit={(event) => {
          event.preventDefault();
          if (path.trim()) onScan(path.trim());
        }}
      >
        <label className="grow">
          Camera card folder
          <input name="card" value={path} onChange={(event) => setPath(event.target.value)} placeholder="/media/CARD" autoComplete="off" spellCheck={false} />
        </label>
        <button type="button" onClick={choose}>
          Choose…
        </button>
        <button type="submit" className="primary" disabled={!path.trim() || busy}>
          {busy ? 'Scanning…' : 'Scan card'}
        </button>
      </form>
      <p className="hint">You can also drop a card folder anywhere on this window.</p>
    </div>
  );
}
