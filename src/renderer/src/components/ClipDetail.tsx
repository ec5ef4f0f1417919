import { useState } from 'react';
import type { Clip } from '../../../shared/model';
import { formatBytes, formatDuration } from '../format';
import { useCoreQuery } from '../useCore';
import { ErrorNotice } from './EmptyState';
import { FaceReview } from './FaceReview';
import { ProxyPlayer } from './ProxyPlayer';
import { ReasonText } from './ReasonText';
import { RetryClean } from './RetryClean';

/** One clip: what it is, and its sanitization report (what was found and removed, the proof). */
export function ClipDetail({ clip, onClose, onChanged }: { clip: Clip; onClose: () => void; onChanged: (clip: Clip) => void }) {
  // The report is read again when the clip changes (a retry swaps its record).
  const [report] = useCoreQuery('clip.report', { id: clip.id }, clip.status === 'verified' ? 1 : 0);
  // Offered for the clip as it was opened, so the outcome of a retry stays in view after the clip turns verified.
  const [retryOffered] = useState(clip.status === 'quarantined' && clip.originalKept);
  return (
    <aside className="clip-detail" aria-label={`Clip ${clip.code}`}>
      <div className="row">
        <h2 className="grow">{clip.code}</h2>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
      <dl className="facts">
        <dt>Original name</dt>
        <dd>{clip.originalName || '—'}</dd>
        <dt>Kind</dt>
        <dd>{clip.kind}</dd>
        <dt>Status</dt>
        <dd className={`status status-${clip.status}`}>{clip.status}</dd>
        <dt>Safety</dt>
        <dd className={`safety safety-${clip.safety}`}>{clip.safety}</dd>
        <dt>Duration</dt>
        <dd>{formatDuration(clip.durationSeconds)}</dd>
        <dt>Size on card</dt>
        <dd>{formatBytes(clip.sizeBytes)}</dd>
        <dt>Streams kept</dt>
        <dd>{clip.streams.map((stream) => `${stream.type} ${stream.codec}${stream.width ? ` ${stream.width}×${stream.height}` : ''}`).join(', ') || '—'}</dd>
      </dl>
      {clip.reason && (
        <div className="error-notice" role="alert">
          <ReasonText reason={clip.reason} />
        </div>
      )}
      {retryOffered && <RetryClean clip={clip} onChanged={onChanged} />}
      {/* Proxies are made from the cleaned master: a quarantined clip has none. */}
      {clip.kind !== 'still' && clip.status === 'verified' && <ProxyPlayer clipId={clip.id} />}
      {clip.kind === 'video' && clip.status === 'verified' && <FaceReview clipId={clip.id} durationSeconds={clip.durationSeconds} />}
      <h3>Sanitization report</h3>
      {report.state === 'loading' && <p aria-busy="true">Opening the report…</p>}
      {report.state === 'error' && <ErrorNotice message={report.error.message} />}
      {report.state === 'ready' && (
        <div className="report">
          <p>
            Found and removed: {report.value.findings.location} location, {report.value.findings.identity} identity, {report.value.findings.device} device
            fields.
          </p>
          {report.value.fields.length > 0 && (
            <ul className="fields">
              {report.value.fields.map((field) => (
                <li key={field}>{field}</li>
              ))}
            </ul>
          )}
          {report.value.sidecarsLeftOnCard.length > 0 && (
            <p>Left on the card, not copied: {report.value.sidecarsLeftOnCard.map((sidecar) => sidecar.file).join(', ')}</p>
          )}
          <p>
            Proof of cleanliness:{' '}
            {report.value.proof === null ? 'not run (the original was kept, quarantined)' : report.value.proof.clean ? 'passed' : `failed: ${report.value.proof.problems.join('; ')}`}
          </p>
          {report.value.timecode && <p>Source timecode: {report.value.timecode}</p>}
        </div>
      )}
    </aside>
  );
}
