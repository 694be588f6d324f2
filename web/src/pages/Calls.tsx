import { useState } from 'react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { api } from '../api';
import { Card } from '../components/Card';
import { CallTable } from '../components/CallTable';
import { ErrorNote } from '../components/ErrorNote';
import { Loading } from '../components/Loading';
import { useTitle } from '../hooks';
import { humanize } from '../format';
import type { CallPage } from '../types';

const PAGE_SIZE = 25;

const STATUSES = ['', 'COMPLETED', 'FAILED', 'IN_PROGRESS'] as const;
const CATEGORIES = ['', 'appointment', 'question', 'quote', 'complaint', 'spam', 'other'] as const;
const FOLLOW_UPS = [
  ['', 'Any'],
  ['open', 'Open'],
  ['done', 'Done'],
] as const;

/** The filters as the list and the export both read them (empty ones left out). */
const filterQuery = (f: Record<string, string>) => Object.fromEntries(Object.entries(f).filter(([, v]) => v !== ''));

export function Calls() {
  useTitle('Calls');
  const [filters, setFilters] = useState({ q: '', status: '', category: '', followUp: '', direction: '', from: '', to: '' });
  const [typed, setTyped] = useState('');
  const set = (key: keyof typeof filters) => (value: string) => setFilters((f) => ({ ...f, [key]: value }));
  const active = filterQuery(filters);
  const calls = useInfiniteQuery({
    queryKey: ['/api/calls', active],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam, signal }) => {
      const query = new URLSearchParams({ ...active, limit: String(PAGE_SIZE), ...(pageParam ? { cursor: pageParam } : {}) });
      return api<CallPage>(`/api/calls?${query}`, { signal });
    },
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });

  const rows = calls.data?.pages.flatMap((p) => p.calls) ?? [];
  const filtering = Object.keys(active).length > 0;

  return (
    <>
      <header className="page-header">
        <h1>Calls</h1>
        <p className="muted">Every call your assistant answered, newest first.</p>
      </header>
      <form
        className="call-filters"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          set('q')(typed.trim());
        }}
      >
        <input type="search" aria-label="Search calls" placeholder="Number, name or words said" value={typed} onChange={(e) => setTyped(e.target.value)} />
        <button type="submit" className="button">Search</button>
        <Chips label="Status" value={filters.status} onChange={set('status')} options={STATUSES.map((s) => [s, s === '' ? 'All' : humanize(s)])} />
        <Chips label="Outcome" value={filters.category} onChange={set('category')} options={CATEGORIES.map((c) => [c, c === '' ? 'Any outcome' : humanize(c)])} />
        <Chips label="Follow-up" value={filters.followUp} onChange={set('followUp')} options={FOLLOW_UPS.map(([v, l]) => [v, v === '' ? 'Any follow-up' : `Follow-up ${l.toLowerCase()}`])} />
        <select aria-label="Direction" value={filters.direction} onChange={(e) => set('direction')(e.target.value)}>
          <option value="">Both directions</option>
          <option value="inbound">Inbound</option>
          <option value="outbound">Outbound</option>
        </select>
        <label>
          From <input type="date" value={filters.from} onChange={(e) => set('from')(e.target.value)} />
        </label>
        <label>
          To <input type="date" value={filters.to} onChange={(e) => set('to')(e.target.value)} />
        </label>
        <a className="button" href={`/api/calls/export.csv?${new URLSearchParams(active)}`} download>
          Export CSV
        </a>
      </form>
      {calls.isPending && <Loading />}
      {calls.isError && !calls.data && <ErrorNote error={calls.error} />}
      <Card title={`${rows.length}${calls.hasNextPage ? '+' : ''} calls`}>
        {rows.length ? <CallTable calls={rows} cards /> : <p className="empty">{filtering ? 'No calls match these filters.' : 'No calls yet.'}</p>}
        {calls.isFetchNextPageError && <ErrorNote error={calls.error} />}
        {calls.hasNextPage && (
          <div className="load-more">
            <button type="button" className="button" onClick={() => calls.fetchNextPage()} disabled={calls.isFetchingNextPage}>
              {calls.isFetchingNextPage ? 'Loading…' : 'Load more'}
            </button>
          </div>
        )}
      </Card>
    </>
  );
}

/** A row of toggle chips, one of them pressed (the empty value means "any"). */
function Chips({ label, value, options, onChange }: { label: string; value: string; options: ReadonlyArray<readonly [string, string]>; onChange: (v: string) => void }) {
  return (
    <div className="chips" role="group" aria-label={label}>
      {options.map(([v, text]) => (
        <button key={v || 'any'} type="button" className={`chip${value === v ? ' chip-on' : ''}`} aria-pressed={value === v} onClick={() => onChange(v)}>
          {text}
        </button>
      ))}
    </div>
  );
}
