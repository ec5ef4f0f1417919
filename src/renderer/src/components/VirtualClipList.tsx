import { useCallback, useEffect, useRef, useState } from 'react';
import type { Clip } from '../../../shared/model';
import type { CallInput } from '../../../shared/api';
import { formatBytes, formatDuration } from '../format';
import { callCore } from '../safehouse';
import { ClipThumb } from './ClipThumb';

const ROW_HEIGHT = 44;
const PAGE_SIZE = 100;
const OVERSCAN = 8;

type Filter = Omit<CallInput<'clips.query'>, 'offset' | 'limit'>;

/**
 * The library list. Only the rows in view exist in the DOM, and only the pages in view are fetched (each
 * a filtered SQL page from the core), so 100,000 clips scroll as smoothly as 10.
 */
export function VirtualClipList({ filter, onOpen, selectedId }: { filter: Filter; onOpen: (clip: Clip) => void; selectedId: string | null }) {
  const [total, setTotal] = useState<number | null>(null);
  const [pages, setPages] = useState<Map<number, Clip[]>>(new Map());
  const [error, setError] = useState<string | null>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(600);
  const container = useRef<HTMLDivElement>(null);
  const requested = useRef(new Set<number>());
  const filterKey = JSON.stringify(filter);
  const filterKeyRef = useRef(filterKey);

  const loadPage = useCallback(
    async (page: number, generation: string) => {
      if (requested.current.has(page)) return;
      requested.current.add(page);
      const result = await callCore('clips.query', { ...(JSON.parse(generation) as Filter), offset: page * PAGE_SIZE, limit: PAGE_SIZE });
      if (generation !== filterKeyRef.current) return;
      if (!result.ok) {
        setError(result.error.message);
        return;
      }
      setTotal(result.value.total);
      setPages((previous) => new Map(previous).set(page, result.value.items));
    },
    [],
  );

  useEffect(() => {
    filterKeyRef.current = filterKey;
    requested.current = new Set();
    setPages(new Map());
    setTotal(null);
    setError(null);
    container.current?.scrollTo({ top: 0 });
    setScrollTop(0);
    void loadPage(0, filterKey);
  }, [filterKey, loadPage]);

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const observer = new ResizeObserver(() => setViewport(element.clientHeight));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min((total ?? 0) - 1, Math.ceil((scrollTop + viewport) / ROW_HEIGHT) + OVERSCAN);
  useEffect(() => {
    if (total === null) return;
    for (let page = Math.floor(first / PAGE_SIZE); page <= Math.floor(Math.max(last, 0) / PAGE_SIZE); page += 1) void loadPage(page, filterKey);
  }, [first, last, total, filterKey, loadPage]);

  if (error) return <div className="error-notice" role="alert">{error}</div>;
  if (total === 0) {
    const filtered = filterKey !== '{}';
    return (
      <div className="empty-state" role="status">
        <h2>{filtered ? 'No clips match these filters' : 'The library is empty'}</h2>
        <p>{filtered ? 'Change or clear the filters.' : 'Offload a camera card and its verified clips appear here.'}</p>
      </div>
    );
  }
  const rows = [];
  for (let index = first; index <= last; index += 1) {
    const clip = pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE];
    rows.push(
      <li key={clip?.id ?? `loading-${index}`} className="virtual-row" style={{ transform: `translateY(${index * ROW_HEIGHT}px)` }} aria-setsize={total ?? -1} aria-posinset={index + 1}>
        {clip ? (
          <button type="button" className={`clip-row ${clip.id === selectedId ? 'selected' : ''}`} onClick={() => onOpen(clip)}>
            <ClipThumb clipId={clip.id} kind={clip.kind} />
            <span className="code">{clip.code}</span>
            <span className="kind">{clip.kind}</span>
            <span className={`status status-${clip.status}`}>{clip.status}</span>
            <span className={`safety safety-${clip.safety}`}>{clip.safety}</span>
            <span className="duration">{formatDuration(clip.durationSeconds)}</span>
            <span className="size">{formatBytes(clip.sizeBytes)}</span>
            <span className="date">{clip.createdAt.slice(0, 10)}</span>
          </button>
        ) : (
          <span className="clip-row loading">Loading…</span>
        )}
      </li>,
    );
  }
  return (
    <div className="virtual-list" ref={container} onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)} aria-busy={total === null}>
      <p className="visually-hidden" role="status">
        {total === null ? 'Loading clips' : `${total} clips`}
      </p>
      <ul className="virtual-spacer" style={{ height: `${(total ?? 0) * ROW_HEIGHT}px` }} aria-label="Clips">
        {rows}
      </ul>
    </div>
  );
}
