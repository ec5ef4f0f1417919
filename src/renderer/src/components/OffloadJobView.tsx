import type { IngestProgress, OffloadJob } from '../../../shared/model';
import { formatBytes, formatTimeLeft, visibleName } from '../format';
import { ProgressBar } from './ProgressBar';

const stepLabels: Record<IngestProgress['step'], string> = {
  scan: 'scanning',
  hash: 'reading and hashing',
  metadata: 'scanning metadata',
  sanitize: 'removing metadata',
  prove: 'proving clean',
  encrypt: 'encrypting',
  verify: 'reading back and verifying',
  proxy: 'making proxy',
  done: 'done',
};

/** A running (or paused) card: overall and per-file progress, speed, time left, pause and cancel. */
export function OffloadJobView({
  job,
  overall,
  files,
  onPause,
  onCancel,
}: {
  job: OffloadJob;
  overall: IngestProgress | null;
  files: IngestProgress[];
  onPause: (paused: boolean) => void;
  onCancel: () => void;
}) {
  const paused = job.state === 'paused';
  const stopping = job.cancelRequested;
  const heading = stopping ? 'Stopping after the files in progress…' : paused ? 'Paused' : 'Offloading';
  return (
    <section className="offload-job" aria-labelledby={`job-${job.id}`}>
      <div className="row toolbar">
        <h2 id={`job-${job.id}`} className="grow">
          {heading}: {job.label || job.path}
        </h2>
        {!stopping && (
          <button type="button" onClick={() => onPause(!paused)}>
            {paused ? 'Resume' : 'Pause'}
          </button>
        )}
        {!stopping && (
          <button type="button" className="danger" onClick={onCancel}>
            Cancel offload…
          </button>
        )}
      </div>
      {paused && <p className="hint">Files already being copied finish first; no new file starts until you resume. Nothing copied so far is lost.</p>}
      {!overall ? (
        <p aria-busy="true">Scanning the card and preparing the vault…</p>
      ) : (
        <div className="offload-progress">
          <ProgressBar
            label={`Card: ${overall.filesDone} of ${overall.filesTotal} files`}
            value={overall.bytesDone}
            max={overall.bytesTotal}
            detail={`${formatBytes(overall.bytesDone)} of ${formatBytes(overall.bytesTotal)} · ${overall.megabytesPerSecond.toFixed(1)} MB/s · ${paused ? 'paused' : formatTimeLeft(overall.etaSeconds)}`}
          />
          <ul className="file-progress" aria-label="Files in progress">
            {files.map((file) => (
              <li key={file.file}>
                <ProgressBar label={`${visibleName(file.file ?? '')} (${stepLabels[file.step]})`} value={file.fileBytesDone} max={file.fileBytesTotal} detail={formatBytes(file.fileBytesTotal)} />
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
