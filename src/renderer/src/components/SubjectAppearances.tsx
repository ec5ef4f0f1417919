import { useState } from 'react';
import type { SubjectDetail } from '../../../shared/model';
import { callCore } from '../safehouse';
import { ErrorNotice } from './EmptyState';

/** Where a subject appears: clip, when, and whether a region track covers them. */
export function SubjectAppearances({ subject, onRemoved }: { subject: SubjectDetail; onRemoved: () => void }) {
  const [error, setError] = useState<string | null>(null);
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
          {subject.appearances.map((appearance) => (
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
      {error && <ErrorNotice message={error} />}
    </>
  );
}
