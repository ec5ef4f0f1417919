import { useState } from 'react';
import type { CallInput } from '../../../shared/api';
import type { Clip, ClipKind, ClipStatus } from '../../../shared/model';
import { ClipDetail } from '../components/ClipDetail';
import { VirtualClipList } from '../components/VirtualClipList';
import { useCoreQuery } from '../useCore';

const statuses: ClipStatus[] = ['verified', 'quarantined', 'failed'];
const kinds: ClipKind[] = ['video', 'audio', 'still'];

/** Everyone: every clip in the vault, filtered by card, date, subject and status, with its report. */
export function LibraryScreen() {
  const [status, setStatus] = useState<ClipStatus | ''>('');
  const [kind, setKind] = useState<ClipKind | ''>('');
  const [cardId, setCardId] = useState('');
  const [subjectId, setSubjectId] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [selected, setSelected] = useState<Clip | null>(null);
  const [cards] = useCoreQuery('cards.list', {});
  const [subjects] = useCoreQuery('subjects.list', {});

  const filter: Omit<CallInput<'clips.query'>, 'offset' | 'limit'> = {
    ...(status ? { statuses: [status] } : {}),
    ...(kind ? { kinds: [kind] } : {}),
    ...(cardId ? { cardId } : {}),
    ...(subjectId ? { subjectId } : {}),
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
  };

  return (
    <section className="screen library">
      <form className="filters" aria-label="Filter clips" onSubmit={(event) => event.preventDefault()}>
        <FilterSelect label="Status" value={status} onChange={(value) => setStatus(value as ClipStatus | '')} anyLabel="All" options={statuses.map((value) => ({ value, label: value }))} />
        <FilterSelect label="Kind" value={kind} onChange={(value) => setKind(value as ClipKind | '')} anyLabel="All" options={kinds.map((value) => ({ value, label: value }))} />
        <FilterSelect
          label="Card"
          value={cardId}
          onChange={setCardId}
          anyLabel="All cards"
          options={cards.state === 'ready' ? cards.value.map((card) => ({ value: card.id, label: `${card.label || card.id} (${card.clipCount})` })) : []}
        />
        <FilterSelect
          label="Subject"
          value={subjectId}
          onChange={setSubjectId}
          anyLabel="Anyone"
          options={subjects.state === 'ready' ? subjects.value.map((subject) => ({ value: subject.id, label: subject.pseudonym })) : []}
        />
        <label>
          From
          <input type="date" value={from} onChange={(event) => setFrom(event.target.value)} />
        </label>
        <label>
          To
          <input type="date" value={to} onChange={(event) => setTo(event.target.value)} />
        </label>
      </form>
      <div className="library-body">
        <VirtualClipList filter={filter} onOpen={setSelected} selectedId={selected?.id ?? null} />
        {selected && <ClipDetail clip={selected} onClose={() => setSelected(null)} />}
      </div>
    </section>
  );
}

/** One library filter: a labelled select whose empty value means "any". */
function FilterSelect({ label, value, onChange, anyLabel, options }: { label: string; value: string; onChange: (value: string) => void; anyLabel: string; options: { value: string; label: string }[] }) {
  return (
    <label>
      {label}
      <select value={value} onChange={(event) => onChange(event.target.value)}>
        <option value="">{anyLabel}</option>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </label>
  );
}
