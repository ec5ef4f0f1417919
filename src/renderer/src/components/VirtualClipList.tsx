import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { Clip } from '../../../shared/model';
import type { CallInput } from '../../../shared/api';
import { formatBytes, formatDuration, plural, visibleName } from '../format';
import { callCore } from '../safehouse';
import { ClipThumb } from './ClipThumb';

const PAGE_SIZE = 100;
const OVERSCAN = 4;

export type ClipFilter = Omit<CallInput<'clips.query'>, 'offset' | 'limit'>;
export type ClipLayout = 'list' | 'grid';
type SortKey = NonNullable<ClipFilter['sort']>;

const COLUMNS: { key: SortKey | null; label: string; className: string }[] = [
  { key: null, label: 'Preview', className: 'col-thumb' },
  { key: 'code', label: 'Clip', className: 'code' },
  { key: null, label: 'Original name', className: 'name' },
  { key: 'kind', label: 'Kind', className: 'kind' },
  { key: 'status', label: 'Status', className: 'status' },
  { key: null, label: 'Safety', className: 'safety' },
  { key: 'duration', label: 'Length', className: 'duration' },
  { key: 'size', label: 'Size', className: 'size' },
  { key: 'created', label: 'Offloaded', className: 'date' },
];

/**
 * The library, as a list with column headers (which sort) or a grid of thumbnails. Only the rows in view
 * exist in the DOM and only the pages in view are fetched (each a filtered, sorted SQL page from the core),
 * so 100,000 clips scroll as smoothly as 10. Arrow keys move between clips, Enter opens one.
 */
export function VirtualClipList({
  filter,
  layout,
  onSort,
  onOpen,
  selectedId,
  updatedClip,
}: {
  filter: ClipFilter;
  layout: ClipLayout;
  onSort: (key: SortKey) => void;
  onOpen: (clip: Clip) => void;
  selectedId: string | null;
  /** A clip changed in the detail view (a retry): its row shows the new state without reloading the list. */
  updatedClip?: Clip | null;
}) {
  const [total, setTotal] = useState<number | null>(null);
  const [pages, setPages] = useState<Map<number, Clip[]>>(new Map());
  const [error, setError] = useState<string | null>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [size, setSize] = useState({ width: 800, height: 600 });
  const [focusIndex, setFocusIndex] = useState<number | null>(null);
  const container = useRef<HTMLDivElement>(null);
  const requested = useRef(new Set<number>());
  const filterKey = JSON.stringify(filter);
  const filterKeyRef = useRef(filterKey);

  const perRow = layout === 'grid' ? Math.max(1, Math.floor((size.width - 8) / 200)) : 1;
  // A tile is a 16:9 thumbnail plus three lines of text, whatever width the window gives it.
  const rowHeight = layout === 'grid' ? Math.round(((size.width - 8) / perRow - 24) * (9 / 16) + 96) : 64;

  const loadPage = useCallback(async (page: number, generation: string) => {
    if (requested.current.has(page)) return;
    requested.current.add(page);
    const result = await callCore('clips.query', { ...(JSON.parse(generation) as ClipFilter), offset: page * PAGE_SIZE, limit: PAGE_SIZE });
    if (generation !== filterKeyRef.current) return;
    if (!result.ok) {
      setError(result.error.message);
      return;
    }
    setTotal(result.value.total);
    setPages((previous) => new Map(previous).set(page, result.value.items));
  }, []);

  useEffect(() => {
    filterKeyRef.current = filterKey;
    requested.current = new Set();
    setPages(new Map());
    setTotal(null);
    setError(null);
    setFocusIndex(null);
    container.current?.scrollTo({ top: 0 });
    setScrollTop(0);
    void loadPage(0, filterKey);
  }, [filterKey, loadPage]);

  useEffect(() => {
    if (!updatedClip) return;
    setPages((previous) => {
      for (const [page, items] of previous) {
        const index = items.findIndex((item) => item.id === updatedClip.id);
        if (index >= 0 && items[index] !== updatedClip) return new Map(previous).set(page, items.with(index, updatedClip));
      }
      return previous;
    });
  }, [updatedClip]);

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const observer = new ResizeObserver(() => setSize({ width: element.clientWidth, height: element.clientHeight }));
    observer.observe(element);
    return () => observer.disconnect();
  }, [total === 0]);

  const rowCount = Math.ceil((total ?? 0) / perRow);
  const firstRow = Math.max(0, Math.floor(scrollTop / rowHeight) - OVERSCAN);
  const lastRow = Math.min(rowCount - 1, Math.ceil((scrollTop + size.height) / rowHeight) + OVERSCAN);
  const first = firstRow * perRow;
  const last = Math.min((total ?? 0) - 1, (lastRow + 1) * perRow - 1);
  useEffect(() => {
    if (total === null) return;
    for (let page = Math.floor(first / PAGE_SIZE); page <= Math.floor(Math.max(last, 0) / PAGE_SIZE); page += 1) void loadPage(page, filterKey);
  }, [first, last, total, filterKey, loadPage]);

  // Keyboard focus follows focusIndex: scroll it into view, then focus its button once it is rendered.
  useEffect(() => {
    if (focusIndex === null) return;
    const element = container.current;
    if (!element) return;
    const top = Math.floor(focusIndex / perRow) * rowHeight;
    if (top < element.scrollTop) element.scrollTop = top;
    else if (top + rowHeight > element.scrollTop + element.clientHeight) element.scrollTop = top + rowHeight - element.clientHeight;
    element.querySelector<HTMLButtonElement>(`[data-index="${focusIndex}"]`)?.focus();
  }, [focusIndex, pages, perRow, rowHeight, scrollTop]);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (total === null || total === 0) return;
    const current = Number((document.activeElement as HTMLElement | null)?.dataset['index'] ?? focusIndex ?? -1);
    const step: Record<string, number> = { ArrowDown: perRow, ArrowUp: -perRow, ArrowRight: layout === 'grid' ? 1 : 0, ArrowLeft: layout === 'grid' ? -1 : 0, PageDown: perRow * 8, PageUp: -perRow * 8 };
    let next: number | null = null;
    if (event.key in step && step[event.key] !== 0) next = current < 0 ? 0 : current + step[event.key]!;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = total - 1;
    if (next === null) return;
    event.preventDefault();
    setFocusIndex(Math.min(Math.max(next, 0), total - 1));
  };

  if (error) return <div className="error-notice" role="alert">{error}</div>;
  if (total === 0) {
    const filtered = filterKey !== '{}' && Object.keys(JSON.parse(filterKey) as object).some((key) => key !== 'sort' && key !== 'descending');
    return (
      <div className="empty-state" role="status">
        <h2>{filtered ? 'No clips match these filters' : 'The library is empty'}</h2>
        <p>{filtered ? 'Change or clear the search and filters.' : 'Offload a camera card and its verified clips appear here.'}</p>
      </div>
    );
  }

  const cells = [];
  for (let index = first; index <= last; index += 1) {
    const clip = pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE];
    const top = Math.floor(index / perRow) * rowHeight;
    const left = layout === 'grid' ? `${(index % perRow) * (100 / perRow)}%` : '0';
    const style = { transform: `translateY(${top}px)`, left, width: layout === 'grid' ? `${100 / perRow}%` : undefined, height: rowHeight };
    cells.push(
      <li key={clip?.id ?? `loading-${index}`} className="virtual-row" style={style} aria-setsize={total ?? -1} aria-posinset={index + 1}>
        {clip ? (
          <button
            type="button"
            data-index={index}
            tabIndex={index === (focusIndex ?? 0) ? 0 : -1}
            className={`${layout === 'grid' ? 'clip-tile' : 'clip-row'} ${clip.id === selectedId ? 'selected' : ''}`}
            onClick={() => {
              setFocusIndex(index);
              onOpen(clip);
            }}
          >
            <ClipThumb clipId={clip.id} kind={clip.kind} />
            <span className="code">{clip.code}</span>
            <span className="name" title={visibleName(clip.originalName)}>
              {visibleName(clip.originalName.split('/').pop() ?? '')}
            </span>
            {layout === 'list' && <span className="kind">{clip.kind}</span>}
            <span className={`status status-${clip.status}`}>{clip.status}</span>
            <span className={`safety safety-${clip.safety}`}>{clip.safety}</span>
            {layout === 'list' && (
              <>
                <span className="duration">{formatDuration(clip.durationSeconds)}</span>
                <span className="size">{formatBytes(clip.sizeBytes)}</span>
                <span className="date">{clip.createdAt.slice(0, 10)}</span>
              </>
            )}
          </button>
        ) : (
          <span className="clip-row loading">Loading…</span>
        )}
      </li>,
    );
  }
  return (
    <div className="clip-browser">
      {layout === 'list' && (
        <div className="clip-row clip-header" role="group" aria-label="Sort by">
          {COLUMNS.map((column) =>
            column.key ? (
              <button
                key={column.label}
                type="button"
                className={`column ${column.className}`}
                onClick={() => onSort(column.key!)}
                aria-pressed={(filter.sort ?? 'code') === column.key}
              >
                {column.label}
                {(filter.sort ?? 'code') === column.key && <span aria-label={filter.descending ? ', descending' : ', ascending'}>{filter.descending ? ' ▼' : ' ▲'}</span>}
              </button>
            ) : (
              <span key={column.label} className={`column ${column.className}`}>
                {column.label}
              </span>
            ),
          )}
        </div>
      )}
      <div className="virtual-list" ref={container} onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)} onKeyDown={onKeyDown} aria-busy={total === null}>
        <p className="visually-hidden" role="status">
          {total === null ? 'Loading clips' : plural(total, 'clip')}
        </p>
        <ul className={`virtual-spacer layout-${layout}`} style={{ height: `${rowCount * rowHeight}px` }} aria-label="Clips">
          {cells}
        </ul>
      </div>
    </div>
  );
}
