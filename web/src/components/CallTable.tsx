import { Link } from 'react-router';
import { formatDateTime, formatDuration, formatPhone, humanize } from '../format';
import type { CallStatus } from '../types';
import { DataTable } from './DataTable';

export interface CallRowData {
  id: string;
  status: CallStatus;
  customerNumber: string | null;
  startedAt: string | null;
  durationSeconds: number | null;
  summary: string | null;
}

export function StatusBadge({ status }: { status: CallStatus }) {
  return <span className={`badge status status-${status.toLowerCase()}`}>{humanize(status)}</span>;
}

/** Calls newest first; each row opens the call's page. */
export function CallTable({ calls }: { calls: CallRowData[] }) {
  return (
    <DataTable columns={[{ label: 'Caller' }, { label: 'When' }, { label: 'Length' }, { label: 'Status' }, { label: 'Summary', className: 'col-summary' }]}>
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
          <td className="col-summary muted">{c.summary ?? '—'}</td>
        </tr>
      ))}
    </DataTable>
  );
}
