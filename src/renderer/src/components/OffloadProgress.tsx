import type { IngestProgress } from '../../../shared/model';
import { formatBytes } from '../format';
import { ProgressBar } from './ProgressBar';

const stepLabels: Record<IngestProgress['step'], string> = {
  scan: 'scanning',
  hash: 'reading and hashing',
  metadata: 'scanning metadata',
  sanitize: 'removing metadata',
  prove: 'proving clean',
  encrypt: 'encrypting',
  verify: 'verifying',
  proxy: 'making proxy',
  done: 'done',
};

function eta(seconds: number | null): string {
  if (seconds === null) return 'estimating…';
  if (seconds < 60) return `${seconds}s left`;
  return `${Math.floor(seconds / 60)}m ${seconds % 60}s left`;
}

export function OffloadProgress({ overall, files }: { overall: IngestProgress | null; files: Record<string, IngestProgress> }) {
  if (!overall) return <p aria-busy="true">Starting the offload…</p>;
  const active = Object.values(files).filter((file) => file.step !== 'done');
  return (
    <div className="offload-progress" aria-live="polite">
      <ProgressBar
        label={`Card: ${overall.filesDone} of ${overall.filesTotal} files`}
        value={overall.bytesDone}
        max={overall.bytesTotal}
        detail={`${formatBytes(overall.bytesDone)} of ${formatBytes(overall.bytesTotal)} · ${overall.megabytesPerSecond} MB/s · ${eta(overall.etaSeconds)}`}
      />
      {active.map((file) => (
        <ProgressBar key={file.file} label={`${file.file} (${stepLabels[file.step]})`} value={file.fileBytesDone} max={file.fileBytesTotal} />
      ))}
    </div>
  );
}
