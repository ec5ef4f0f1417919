import type { Subject, SubjectSafetyReport } from '../../../shared/model';
import { ConsentBadge, ProtectionBadges } from './Badges';

/** Every subject with their consent, protection and how many clips still leave them unprotected. */
export function SubjectList({
  subjects,
  safety,
  selectedId,
  onSelect,
}: {
  subjects: Subject[];
  safety: Map<string, SubjectSafetyReport>;
  selectedId: string | null;
  onSelect: (id: string) => void;
}) {
  return (
    <ul className="subject-list" aria-label="Subjects">
      {subjects.map((subject) => {
        const report = safety.get(subject.id);
        const unprotected = report?.unprotectedClipCount ?? 0;
        return (
          <li key={subject.id}>
            <button
              type="button"
              className={`subject-item ${subject.id === selectedId ? 'selected' : ''}`}
              aria-current={subject.id === selectedId ? 'true' : undefined}
              onClick={() => onSelect(subject.id)}
            >
              <span className="subject-name">{subject.pseudonym}</span>
              <span className="badges">
                <ConsentBadge state={subject.consent?.state ?? 'unrecorded'} />
                <ProtectionBadges protection={subject.protection} />
              </span>
              <span className={`unprotected ${unprotected > 0 ? 'warn' : 'ok'}`}>
                {report ? `${report.clips.length} clip${report.clips.length === 1 ? '' : 's'} · ` : ''}
                {unprotected === 0 ? 'none unprotected' : `${unprotected} unprotected`}
              </span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}
