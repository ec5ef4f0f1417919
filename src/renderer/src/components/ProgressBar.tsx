/** An accessible progress bar: the numbers are in the DOM for screen readers and tests, not only the width. */
export function ProgressBar({ label, value, max, detail }: { label: string; value: number; max: number; detail?: string }) {
  const percent = max > 0 ? Math.min(100, Math.floor((value / max) * 100)) : 0;
  return (
    <div className="progress">
      <div className="progress-label">
        <span>{label}</span>
        <span>
          {percent}%{detail ? ` · ${detail}` : ''}
        </span>
      </div>
      <div className="progress-track" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent}>
        <progress className="progress-fill" max={100} value={percent} />
      </div>
    </div>
  );
}
