import { useMutation } from '@tanstack/react-query';
import { minimumTierFor, PLANS } from '../../../../src/domain/plans';
import { api } from '../../api';
import { formatCents, formatDay, formatMinutes, humanize } from '../../format';
import { USAGE_PATH, useInvalidate } from '../../hooks';
import type { BillingHistory } from '../../types';
import { BarChart } from '../BarChart';
import { Card } from '../Card';
import { ErrorNote } from '../ErrorNote';
import { PlanNote } from '../PlanNote';
import { DataTable } from '../DataTable';

export const HISTORY_PATH = '/api/billing/history';

/** Minutes past the plan: the switch, this cycle so far, and the weekly charges as a chart and a table. */
export function OverageCard({ history, allowed, canManage }: { history: BillingHistory; allowed: boolean; canManage: boolean }) {
  const invalidate = useInvalidate();
  const toggle = useMutation({
    mutationFn: (enabled: boolean) => api('/api/billing/overage', { method: 'PUT', body: { enabled } }),
    onSuccess: () => invalidate(HISTORY_PATH, USAGE_PATH),
  });
  const { currentOverage: now, records } = history;
  const weeks = [...records].reverse();
  const enabled = toggle.isPending ? toggle.variables : now.overageEnabled;

  return (
    <Card
      id="overage"
      title="Overage"
      description={`With overage on, your assistant keeps answering after the included minutes; extra minutes are billed weekly at ${formatCents(now.rateCentsPerMin)} a minute. Off, it stops taking calls until the next cycle.`}
      aside={!allowed && <PlanNote feature="overage" />}
    >
      {allowed && canManage ? (
        <label className="switch switch-large">
          <input type="checkbox" checked={enabled} onChange={(e) => toggle.mutate(e.target.checked)} disabled={toggle.isPending} />
          <span>
            <strong>Keep answering past my minutes</strong>
            <span className="muted small block">{enabled ? 'On' : 'Off'}</span>
          </span>
        </label>
      ) : (
        <p className="muted">
          Overage is {now.overageEnabled ? 'on' : 'off'}.{' '}
          {!allowed ? `It comes with the ${PLANS[minimumTierFor('overage')].label} plan.` : 'An owner or admin can change it.'}
        </p>
      )}
      <ErrorNote error={toggle.error} />
      <div className="stats stats-compact">
        <div className="stat">
          <span className="stat-label">Overage this cycle</span>
          <span className="stat-value">{formatMinutes(now.totalOverageMinutes)} min</span>
        </div>
        <div className="stat">
          <span className="stat-label">Not billed yet</span>
          <span className="stat-value">{formatMinutes(now.unbilledMinutes)} min</span>
          <span className="muted small">about {formatCents(now.estimatedCostCents)}</span>
        </div>
      </div>
      {weeks.length === 0 ? (
        <p className="empty">No overage billed yet.</p>
      ) : (
        <>
          <BarChart
            summary={`Overage billed over the last ${weeks.length} week${weeks.length === 1 ? '' : 's'}: ${formatMinutes(weeks.reduce((s, w) => s + w.overageMinutes, 0))} minutes in all.`}
            series={[{ key: 'minutes', label: 'Overage minutes', className: 'chart-series-1' }]}
            data={weeks.map((w) => ({
              label: formatDay(w.weekStart),
              values: { minutes: w.overageMinutes },
              title: `Week of ${formatDay(w.weekStart)}: ${formatMinutes(w.overageMinutes)} min, ${formatCents(w.amountCents)} (${humanize(w.status)})`,
            }))}
            format={(n) => `${formatMinutes(n)}`}
            height={180}
          />
          <DataTable columns={[{ label: 'Week' }, { label: 'Minutes' }, { label: 'Amount' }, { label: 'Status' }]}>
            {records.map((r) => (
              <tr key={r.id}>
                <td className="nowrap">
                  {formatDay(r.weekStart)} – {formatDay(r.weekEnd)}
                </td>
                <td className="num">{formatMinutes(r.overageMinutes)}</td>
                <td className="num">{formatCents(r.amountCents)}</td>
                <td>
                  <span className={`badge overage-${r.status.toLowerCase()}`}>{humanize(r.status)}</span>
                </td>
              </tr>
            ))}
          </DataTable>
        </>
      )}
    </Card>
  );
}
