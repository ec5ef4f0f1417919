import { useState } from 'react';
import type { Clip, ClipOutcome } from '../../../shared/model';
import { callCore } from '../safehouse';
import { ErrorNotice } from './EmptyState';
import { ReasonText } from './ReasonText';

type RetryState = { state: 'idle' } | { state: 'running' } | { state: 'done'; outcome: ClipOutcome } | { state: 'error'; message: string };

/**
 * A quarantined clip whose original is in the vault can be cleaned again from that original, without the card:
 * after an update that reads more formats, or when the crew believes the quarantine was wrong. The core swaps
 * the clip's record only once the new result is verified, so a retry that fails changes nothing.
 */
export function RetryClean({ clip, onChanged }: { clip: Clip; onChanged: (clip: Clip) => void }) {
  const [retry, setRetry] = useState<RetryState>({ state: 'idle' });
  const run = async () => {
    setRetry({ state: 'running' });
    const result = await callCore('clip.retry', { id: clip.id });
    if (!result.ok) {
      setRetry({ state: 'error', message: result.error.message });
      return;
    }
    setRetry({ state: 'done', outcome: result.value });
    const fresh = await callCore('clip.get', { id: clip.id });
    if (fresh.ok) onChanged(fresh.value);
  };
  return (
    <div className="retry-clean">
      {retry.state !== 'done' || retry.outcome.status !== 'verified' ? (
        <>
          <p>The original is kept, sealed in the vault. Safehouse can try to clean it again from there; the card is not needed.</p>
          <button type="button" className="primary" onClick={() => void run()} disabled={retry.state === 'running'} aria-describedby={`retry-${clip.id}-status`}>
            {retry.state === 'running' ? 'Cleaning again…' : 'Try cleaning it again'}
          </button>
        </>
      ) : null}
      <div id={`retry-${clip.id}-status`} role="status" aria-live="polite">
        {retry.state === 'running' && <p aria-busy="true">Cleaning {clip.code} from its sealed original. A long clip can take a few minutes; you can keep working.</p>}
        {retry.state === 'done' && retry.outcome.status === 'verified' && <p className="ok">{clip.code} is now clean, proven and verified. Nothing else changed.</p>}
        {retry.state === 'done' && retry.outcome.status !== 'verified' && (
          <div>
            {clip.code} still could not be cleaned, so it stays quarantined with its original kept.{' '}
            {retry.outcome.reason && retry.outcome.reason !== clip.reason && <ReasonText reason={retry.outcome.reason} />}
          </div>
        )}
      </div>
      {retry.state === 'error' && <ErrorNotice message={retry.message} />}
    </div>
  );
}
