import type { SafetyCounts } from '../../../shared/model';

const segments = [
  { key: 'cleared', label: 'Cleared', className: 'seg-cleared' },
  { key: 'needsReview', label: 'Needs review', className: 'seg-needs-review' },
  { key: 'blocked', label: 'Blocked', className: 'seg-blocked' },
] as const;

const RADIUS = 60;
const CIRCUMFERENCE = 2 * Math.PI * RADIUS;

/** A donut of cleared / needs-review / blocked, with the numbers beside it (the chart is a picture of them). */
export function SafetyChart({ counts }: { counts: SafetyCounts }) {
  const total = counts.cleared + counts.needsReview + counts.blocked;
  let offset = 0;
  const description = segments.map((s) => `${counts[s.key]} ${s.label.toLowerCase()}`).join(', ');
  return (
    <figure className="safety-chart">
      <svg viewBox="0 0 160 160" width="160" height="160" role="img" aria-label={`Clips by safety status: ${description}`}>
        <circle cx="80" cy="80" r={RADIUS} className="seg-track" fill="none" strokeWidth="22" />
        {total > 0 &&
          segments.map((s) => {
            const length = (counts[s.key] / total) * CIRCUMFERENCE;
            const circle = (
              <circle
                key={s.key}
                cx="80"
                cy="80"
                r={RADIUS}
                fill="none"
                strokeWidth="22"
                className={s.className}
                strokeDasharray={`${length} ${CIRCUMFERENCE - length}`}
                strokeDashoffset={-offset}
                transform="rotate(-90 80 80)"
              />
            );
            offset += length;
            return length > 0 ? circle : null;
          })}
        {/* Five or more digits get a smaller size so they stay inside the ring. */}
        <text x="80" y="78" textAnchor="middle" className={`chart-total ${total >= 10_000 ? 'long' : ''}`}>
          {total.toLocaleString('en')}
        </text>
        <text x="80" y="98" textAnchor="middle" className="chart-caption">
          clips
        </text>
      </svg>
      <figcaption>
        <dl className="safety-counts">
          {segments.map((s) => (
            <div key={s.key} className={`count ${s.className.replace('seg-', '')}`}>
              <dt>
                <span className={`swatch ${s.className}`} aria-hidden="true" />
                {s.label}
              </dt>
              <dd>{counts[s.key].toLocaleString('en')}</dd>
            </div>
          ))}
        </dl>
      </figcaption>
    </figure>
  );
}
