import { useInfiniteQuery } from '@tanstack/react-query';
import { api } from '../../api';
import { formatDateTime } from '../../format';
import type { WebhookDelivery, WebhookDeliveryPage } from '../../types';
import { ErrorNote } from '../ErrorNote';
import { Loading } from '../Loading';
import { endpointPath } from './endpoints';
import { DataTable } from '../DataTable';

const STATUS: Record<WebhookDelivery['status'], { label: string; className: string }> = {
  delivered: { label: 'Delivered', className: 'status-completed' },
  pending: { label: 'Retrying', className: 'status-in_progress' },
  dead: { label: 'Failed', className: 'status-failed' },
};

export function DeliveryBadge({ status }: { status: WebhookDelivery['status'] }) {
  return <span className={`badge ${STATUS[status].className}`}>{STATUS[status].label}</span>;
}

/** What the receiver answered on the last attempt. */
export const responseOf = (d: WebhookDelivery) => (d.responseStatusCode !== null ? `HTTP ${d.responseStatusCode}` : (d.error ?? '—'));

/** An endpoint's delivery log, newest first, page by page; refreshed while a retry is due. */
export function useDeliveries(endpointId: string) {
  const path = `${endpointPath(endpointId)}/deliveries`;
  return useInfiniteQuery({
    // Starts with the path, so invalidating the path refetches every page.
    queryKey: [path, 'pages'],
    queryFn: ({ pageParam, signal }) => api<WebhookDeliveryPage>(pageParam ? `${path}?cursor=${encodeURIComponent(pageParam)}` : path, { signal }),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: (query) => (query.state.data?.pages.some((p) => p.deliveries.some((d) => d.status === 'pending')) ? 5000 : false),
  });
}

export function DeliveriesTable({ deliveries: query }: { deliveries: ReturnType<typeof useDeliveries> }) {
  if (query.isPending) return <Loading />;
  if (query.isError) return <ErrorNote error={query.error} />;
  const rows = query.data.pages.flatMap((p) => p.deliveries);
  if (rows.length === 0) return <p className="empty">No deliveries yet. Send a test event to try the endpoint.</p>;
  return (
    <>
      <DataTable columns={[{ label: 'Event' }, { label: 'Status' }, { label: 'Attempts', className: 'num' }, { label: 'Response' }, { label: 'Sent', className: 'col-optional' }, { label: 'Next retry' }]}>
        {rows.map((d) => (
          <tr key={d.id}>
            <td>
              <code>{d.eventType}</code>
            </td>
            <td>
              <DeliveryBadge status={d.status} />
            </td>
            <td className="num">{d.attempts}</td>
            <td className="delivery-response">{responseOf(d)}</td>
            <td className="nowrap col-optional">{formatDateTime(d.createdAt)}</td>
            <td className="nowrap">{formatDateTime(d.nextAttemptAt)}</td>
          </tr>
        ))}
      </DataTable>
      {query.hasNextPage && (
        <button type="button" className="button button-small load-more" onClick={() => query.fetchNextPage()} disabled={query.isFetchingNextPage}>
          {query.isFetchingNextPage ? 'Loading…' : 'Older deliveries'}
        </button>
      )}
    </>
  );
}
