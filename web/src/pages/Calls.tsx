import { useInfiniteQuery } from '@tanstack/react-query';
import { api } from '../api';
import { Card } from '../components/Card';
import { CallTable } from '../components/CallTable';
import { ErrorNote } from '../components/ErrorNote';
import { Loading } from '../components/Loading';
import { useTitle } from '../hooks';
import type { CallPage } from '../types';

const PAGE_SIZE = 25;

export function Calls() {
  useTitle('Calls');
  const calls = useInfiniteQuery({
    queryKey: ['/api/calls'],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam, signal }) => {
      const query = new URLSearchParams({ limit: String(PAGE_SIZE), ...(pageParam ? { cursor: pageParam } : {}) });
      return api<CallPage>(`/api/calls?${query}`, { signal });
    },
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });

  if (calls.isPending) return <Loading />;
  if (calls.isError && !calls.data) return <ErrorNote error={calls.error} />;
  const rows = calls.data.pages.flatMap((p) => p.calls);

  return (
    <>
      <header className="page-header">
        <h1>Calls</h1>
        <p className="muted">Every call your assistant answered, newest first.</p>
      </header>
      <Card title={`${rows.length}${calls.hasNextPage ? '+' : ''} calls`}>
        {rows.length ? <CallTable calls={rows} /> : <p className="empty">No calls yet.</p>}
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
