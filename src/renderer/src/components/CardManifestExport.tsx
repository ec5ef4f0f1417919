import { useState, type FormEvent } from 'react';
import { plural } from '../format';
import { callCore } from '../safehouse';
import { ErrorNotice } from './EmptyState';

type SaveState = { state: 'idle' } | { state: 'saving' } | { state: 'saved'; folder: string; files: number; leftOut: number } | { state: 'error'; message: string };

/**
 * The card's ASC MHL, as the `ascmhl` folder other offload tools read: every file on the card with its hashes.
 * Copied onto the card's root (or next to a copy of it), any ASC MHL tool can check the whole card later.
 */
export function CardManifestExport({ cardId }: { cardId: string }) {
  const [outDir, setOutDir] = useState('');
  const [save, setSave] = useState<SaveState>({ state: 'idle' });
  const choose = async () => {
    const answer = await callCore('dialog.chooseFolder', { purpose: 'export' });
    if (answer.ok && answer.value.path) setOutDir(answer.value.path);
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSave({ state: 'saving' });
    const result = await callCore('card.exportMhlFolder', { cardId, outDir: outDir.trim() });
    setSave(result.ok ? { state: 'saved', folder: result.value.folder, files: result.value.files, leftOut: result.value.leftOut } : { state: 'error', message: result.error.message });
  };
  return (
    <form className="card-manifest" onSubmit={(event) => void submit(event)} aria-labelledby={`manifest-${cardId}`}>
      <h4 id={`manifest-${cardId}`}>Card manifest (ASC MHL)</h4>
      <p className="hint">Lists every file on the card with its hashes, so any ASC MHL tool can check the card or a copy of it later.</p>
      <div className="row wrap">
        <label className="grow">
          Save into folder (outside the vault)
          <input value={outDir} onChange={(event) => setOutDir(event.target.value)} required autoComplete="off" placeholder="/media/CARD" />
        </label>
        <button type="button" onClick={() => void choose()}>
          Choose…
        </button>
        <button type="submit" disabled={save.state === 'saving' || outDir.trim() === ''}>
          {save.state === 'saving' ? 'Saving…' : 'Save manifest'}
        </button>
      </div>
      <div role="status" aria-live="polite">
        {save.state === 'saved' && (
          <p className="ok">
            Saved {save.folder}: it lists {plural(save.files, 'file')}.{' '}
            {save.leftOut > 0 && `${plural(save.leftOut, 'file')} could not be listed (links, unreadable files or names a manifest cannot hold), so a check of the card will name them. `}
            Copy the ascmhl folder onto the card's top folder to check the card itself.
          </p>
        )}
      </div>
      {save.state === 'error' && <ErrorNotice message={save.message} />}
    </form>
  );
}
