import { useEffect, useState } from 'react';
import type { Clip, ClipKind, ClipStatus } from '../../../shared/model';
import { ClipDetail } from '../components/ClipDetail';
import { VirtualClipList, type ClipFilter, type ClipLayout } from '../components/VirtualClipList';
import { useApp } from '../navigation';
import { callCore } from '../safehouse';
import { useCoreQuery } from '../useCore';

const statuses: ClipStatus[] = ['verified', 'quarantined', 'failed'];
const kinds: ClipKind[] = ['video', 'audio', 'still'];

/** Everyone: every clip in the vault, searched, sorted and filtered, as a list or a grid, with its report and proxy. */
export function LibraryScreen() {
  const { target } = useApp();
  const [search, setSearch] = useState('');
  const [appliedSearch, setAppliedSearch] = useState('');
  const [sort, setSort] = useState<{ key: NonNullable<ClipFilter['sort']>; descending: boolean }>({ key: 'code', descending: false });
  const [layout, setLayout] = useState<ClipLayout>('list');
  const [status, setStatus] = useState<ClipStatus | ''>('');
  const [kind, setKind] = useState<ClipKind | ''>('');
  const [cardId, setCardId] = useState('');
  const [subjectId, setSubjectId] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [selected, setSelected] = useState<Clip | null>(null);
  const [cards] = useCoreQuery('cards.labels', {});
  const [subjects] = useCoreQuery('subjects.list', {});

  // A link from another screen (a safety fix) opens its clip here.
  useEffect(() => {
    if (target?.clipId) void callCore('clip.get', { id: target.clipId }).then((result) => result.ok && setSelected(result.value));
  }, [target?.clipId]);
  // Typing searches after a short pause, not on every key.
  useEffect(() => {
    const timer = window.setTimeout(() => setAppliedSearch(search.trim()), 200);
    return () => window.clearTimeout(timer);
  }, [search]);
  // Escape closes the open clip, wherever focus is on this screen.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape' && selected && !document.querySelector('dialog[open]')) setSelected(null);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [selected]);

  const filter: ClipFilter = {
    ...(appliedSearch ? { search: appliedSearch } : {}),
    ...(sort.key !== 'code' || sort.descending ? { sort: sort.key, descending: sort.descending } : {}),
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
        <label className="search">
          Search
          <input type="search" value={search} onChange={(event) => setSearch(event.target.value)} placeholder="Clip code, card or subject" autoComplete="off" />
        </label>
        <FilterSelect label="Status" value={status} onChange={(value) => setStatus(value as ClipStatus | '')} anyLabel="All" options={statuses.map((value) => ({ value, label: value }))} />
        <FilterSelect label="Kind" value={kind} onChange={(value) => setKind(value as ClipKind | '')} anyLabel="All" options={kinds.map((value) => ({ value, label: value }))} />
        <FilterSelect
          label="Card"
          value={cardId}
          onChange={setCardId}
          anyLabel="All cards"
          options={cards.state === 'ready' ? cards.value.map((card) => ({ value: card.id, label: `${card.label || `Card of ${card.createdAt.slice(0, 10)}`} (${card.clipCount})` })) : []}
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
        <div role="radiogroup" aria-label="Show as" className="segmented layout-toggle">
          {(['list', 'grid'] as const).map((option) => (
            <label key={option} className={`check ${layout === option ? 'chosen' : ''}`}>
              <input type="radio" name="layout" checked={layout === option} onChange={() => setLayout(option)} />
              {option === 'list' ? 'List' : 'Grid'}
            </label>
          ))}
        </div>
      </form>
      <div className={`library-body ${selected ? 'with-detail' : ''}`}>
        <VirtualClipList
          filter={filter}
          layout={layout}
          onSort={(key) => setSort((previous) => ({ key, descending: previous.key === key ? !previous.descending : false }))}
          onOpen={setSelected}
          selectedId={selected?.id ?? null}
          updatedClip={selected}
        />
        {selected && <ClipDetail key={selected.id} clip={selected} onClose={() => setSelected(null)} onChanged={setSelected} />}
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
