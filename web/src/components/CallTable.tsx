import { Link } from 'react-router';
import { formatDateTime, formatDuration, formatPhone, humanize } from '../format';
import type { CallOutcome, CallStatus } from '../types';
import { DataTable } from './DataTable';

export interface CallRowData {
  id: string;
  status: CallStatus;
  customerNumber: string | null;
  startedAt: string | null;
  durationSeconds: number | null;
  summary: string | null;
  outcome?: CallOutcome | null;
}

export function StatusBadge({ status }: { status: CallStatus }) {
  return <span className={`badge status status-${status.toLowerCase()}`}>{humanize(status)}</span>;
}

/**
 * Calls newest first; each row opens the call's page. `cards` lays each row out as a card
 * at phone width (caller, time, length, outcome) instead of a table that scrolls sideways.
 */
export function CallTable({ calls, cards = false }: { calls: CallRowData[]; cards?: boolean }) {
  const columns = [{ label: 'Caller' }, { label: 'When' }, { label: 'Length' }, { label: 'Status' }, ...(cards ? [{ label: 'Outcome' }] : []), { label: 'Summary', className: 'col-summary' }];
  return (
    <DataTable columns={columns} className={cards ? 'call-cards' : undefined}>
      {calls.map((c) => (
        <tr key={c.id}>
          <td>
            <Link to={`/dashboard/calls/${c.id}`} className="row-link">
              {formatPhone(c.customerNumber)}
            </Link>
          </td>
          <td className="nowrap">{formatDateTime(c.startedAt)}</td>
          <td className="num">{formatDuration(c.durationSeconds)}</td>
          <td>
            <StatusBadge status={c.status} />
          </td>
          {cards && <td className="col-outcome">{c.outcome ? humanize(c.outcome.category) : <span className="muted">—</span>}</td>}
          <td className="col-summary muted">{c.summary ?? '—'}</td>
        </tr>
      ))}
    </DataTable>
  );
}
