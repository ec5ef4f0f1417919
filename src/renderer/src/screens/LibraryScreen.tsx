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
        <label>
          Status
          <select value={status} onChange={(event) => setStatus(event.target.value as ClipStatus | '')}>
            <option value="">All</option>
            {statuses.map((value) => (
              <option key={value} value={value}>
                {value}
              </option>
            ))}
          </select>
        </label>
        <label>
          Kind
          <select value={kind} onChange={(event) => setKind(event.target.value as ClipKind | '')}>
            <option value="">All</option>
            {kinds.map((value) => (
              <option key={value} value={value}>
                {value}
              </option>
            ))}
          </select>
        </label>
        <label>
          Card
          <select value={cardId} onChange={(event) => setCardId(event.target.value)}>
            <option value="">All cards</option>
            {cards.state === 'ready' &&
              cards.value.map((card) => (
                <option key={card.id} value={card.id}>
                  {card.label || card.id} ({card.clipCount})
                </option>
              ))}
          </select>
        </label>
        <label>
          Subject
          <select value={subjectId} onChange={(event) => setSubjectId(event.target.value)}>
            <option value="">Anyone</option>
            {subjects.state === 'ready' &&
              subjects.value.map((subject) => (
                <option key={subject.id} value={subject.id}>
                  {subject.pseudonym}
                </option>
              ))}
          </select>
        </label>
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
