import { useState } from 'react';
import type { SubjectDetail } from '../../../shared/model';
import { plural } from '../format';
import { callCore } from '../safehouse';
import { ErrorNotice } from './EmptyState';

/** Rows shown before "Show all": someone in hundreds of clips must not push the tagger off the page. */
const FIRST_ROWS = 10;

/** Where a subject appears: clip, when, and whether a region track covers them. */
export function SubjectAppearances({ subject, onRemoved }: { subject: SubjectDetail; onRemoved: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const [showAll, setShowAll] = useState(false);
  if (subject.appearances.length === 0) return <p className="muted">Not tagged in any clip yet.</p>;
  const remove = async (id: string) => {
    const result = await callCore('appearances.remove', { id });
    if (result.ok) onRemoved();
    else setError(result.error.message);
  };
  return (
    <>
      <table className="clip-table" aria-label="Appearances">
        <thead>
          <tr>
            <th scope="col">Clip</th>
            <th scope="col">When</th>
            <th scope="col">Region track</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {(showAll ? subject.appearances : subject.appearances.slice(0, FIRST_ROWS)).map((appearance) => (
            <tr key={appearance.id}>
              <td>{appearance.clipCode}</td>
              <td>{appearance.ranges.length === 0 ? 'Whole clip' : appearance.ranges.map((r) => `${r.from.toFixed(1)}–${r.to.toFixed(1)} s`).join(', ')}</td>
              <td>
                {appearance.regions.length === 0
                  ? subject.protection.includes('face')
                    ? 'None: whole frame hidden'
                    : 'None'
                  : `${appearance.regions.length} keyframe${appearance.regions.length === 1 ? '' : 's'}`}
              </td>
              <td>
                <button type="button" onClick={() => void remove(appearance.id)} aria-label={`Remove appearance in ${appearance.clipCode}`}>
                  Remove
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {!showAll && subject.appearances.length > FIRST_ROWS && (
        <button type="button" onClick={() => setShowAll(true)}>
          Show all {plural(subject.appearances.length, 'appearance')}
        </button>
      )}
      {error && <ErrorNotice message={error} />}
    </>
  );
}
