import { useState } from 'react';
import { Link } from 'react-router';
import { ApiError } from '../api';
import { Heatmap } from '../components/analytics/Heatmap';
import { BarChart } from '../components/BarChart';
import { Card } from '../components/Card';
import { ErrorNote } from '../components/ErrorNote';
import { Loading } from '../components/Loading';
import { PlanNote } from '../components/PlanNote';
import { SelectField } from '../components/SelectField';
import { formatDay, formatDuration, formatMinutes, formatPhone, humanize } from '../format';
import { useApi, useTitle } from '../hooks';
import type { Analytics as AnalyticsData } from '../types';

const RANGES = [7, 30, 90] as const;

/** A local calendar day, n days before today. */
function localDay(daysAgo: number) {
  const d = new Date();
  d.setDate(d.getDate() - daysAgo);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

const percent = (part: number, whole: number) => (whole ? Math.round((part / whole) * 100) : 0);

function Stat({ label, value, note }: { label: string; value: string; note?: string }) {
  return (
    <div className="stat">
      <span className="stat-label">{label}</span>
      <span className="stat-value">{value}</span>
      {note && <span className="muted small">{note}</span>}
    </div>
  );
}

function Report({ a }: { a: AnalyticsData }) {
  const { totals, businessHours: bh, outcomes, bookings } = a;
  const reasonMax = Math.max(1, ...a.endedReasons.map((r) => r.calls));
  const hourLabel = (h: number) => new Date(2000, 0, 1, h).toLocaleTimeString(undefined, { hour: 'numeric' });

  return (
    <>
      <div className="stats stats-four">
        <Stat label="Calls" value={totals.calls.toLocaleString()} note={`${formatMinutes(totals.minutes)} minutes`} />
        <Stat
          label="Average call"
          value={formatDuration(totals.averageDurationSeconds)}
          note={totals.p90DurationSeconds !== null ? `9 in 10 under ${formatDuration(totals.p90DurationSeconds)}` : undefined}
        />
        <Stat label="Booked" value={`${Math.round(bookings.bookingRate * 100)}%`} note={`${bookings.bookings} appointment${bookings.bookings === 1 ? '' : 's'}`} />
        <Stat label="Transferred" value={outcomes.transfers.toLocaleString()} note={`${outcomes.voicemail} voicemail · ${outcomes.hangUps} quick hang-ups`} />
      </div>

      <Card id="per-day" title="Calls per day" description={`In and out of business hours (${a.range.businessTimezone.replaceAll('_', ' ')}).`}>
        <BarChart
          summary={`${totals.calls} calls from ${formatDay(a.range.from)} to ${formatDay(a.range.to)}: ${bh.inHours} in business hours, ${bh.outOfHours} outside.`}
          series={[
            { key: 'inHours', label: 'In business hours', className: 'chart-series-1' },
            { key: 'outOfHours', label: 'Out of hours', className: 'chart-series-2' },
          ]}
          data={a.perDay.map((d) => ({
            label: formatDay(d.date),
            values: { inHours: d.inHours, outOfHours: d.outOfHours },
            title: `${formatDay(d.date)}: ${d.calls} call${d.calls === 1 ? '' : 's'} (${d.inHours} in hours, ${d.outOfHours} out of hours)`,
          }))}
        />
      </Card>

      <Card id="minutes" title="Minutes per day">
        <BarChart
          summary={`${formatMinutes(totals.minutes)} minutes from ${formatDay(a.range.from)} to ${formatDay(a.range.to)}.`}
          series={[{ key: 'minutes', label: 'Minutes', className: 'chart-series-1' }]}
          data={a.perDay.map((d) => ({ label: formatDay(d.date), values: { minutes: d.minutes }, title: `${formatDay(d.date)}: ${formatMinutes(d.minutes)} min` }))}
          format={formatMinutes}
          height={180}
        />
      </Card>

      <div className="grid-two">
        <Card id="hours-split" title="In vs out of hours">
          {!bh.configured && (
            <p className="note note-info">
              No opening hours are set, so every call counts as out of hours. <Link to="/dashboard/assistant#hours">Set your hours</Link>
            </p>
          )}
          <div className="split" role="img" aria-label={`${percent(bh.inHours, totals.calls)}% of calls in business hours, ${percent(bh.outOfHours, totals.calls)}% outside`}>
            <span className="chart-series-1-bg" style={{ flexGrow: bh.inHours }} />
            <span className="chart-series-2-bg" style={{ flexGrow: bh.outOfHours }} />
          </div>
          <dl className="summary">
            <dt>In business hours</dt>
            <dd>
              {bh.inHours} ({percent(bh.inHours, totals.calls)}%)
            </dd>
            <dt>Out of hours</dt>
            <dd>
              {bh.outOfHours} ({percent(bh.outOfHours, totals.calls)}%)
            </dd>
          </dl>
        </Card>

        <Card id="reasons" title="How calls ended">
          {a.endedReasons.length === 0 ? (
            <p className="empty">No calls in this range.</p>
          ) : (
            <ul className="hbars">
              {a.endedReasons.map((r) => (
                <li key={r.reason}>
                  <span className="hbar-label">{humanize(r.reason)}</span>
                  <span className="hbar-track" aria-hidden="true">
                    <span style={{ width: `${(r.calls / reasonMax) * 100}%` }} />
                  </span>
                  <span className="hbar-value">{r.calls}</span>
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>

      <Card
        id="busiest"
        title="Busiest hours"
        description={
          a.busiestHours.peak
            ? `Most calls come on ${humanize(a.busiestHours.peak.weekday)}s around ${hourLabel(a.busiestHours.peak.hour)} (${a.busiestHours.peak.calls} calls). Times in ${a.range.timezone.replaceAll('_', ' ')}.`
            : `Times in ${a.range.timezone.replaceAll('_', ' ')}.`
        }
      >
        <Heatmap weekdays={a.busiestHours.weekdays} grid={a.busiestHours.grid} timezone={a.range.timezone} />
      </Card>

      <Card id="repeat" title="Repeat callers" description={`${a.repeatCallers.count} number${a.repeatCallers.count === 1 ? '' : 's'} called more than once.`}>
        {a.repeatCallers.top.length === 0 ? (
          <p className="empty">Nobody called twice in this range.</p>
        ) : (
          <ul className="plain-list">
            {a.repeatCallers.top.map((c) => (
              <li key={c.number}>
                <strong>{formatPhone(c.number)}</strong> <span className="muted">· {c.calls} calls</span>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </>
  );
}

export function Analytics() {
  useTitle('Analytics');
  const [days, setDays] = useState<(typeof RANGES)[number]>(30);
  const analytics = useApi<AnalyticsData>(`/api/analytics?${new URLSearchParams({ from: localDay(days - 1), to: localDay(0) })}`);
  const planGate = analytics.error instanceof ApiError && analytics.error.code === 'PLAN_REQUIRED';

  return (
    <>
      <header className="page-header page-header-row">
        <div>
          <h1>Analytics</h1>
          <p className="muted">
            When people call, how long, and how calls end. <Link to="/dashboard/digest">Daily digest</Link>
          </p>
        </div>
        {!planGate && (
          <SelectField label="Period" value={days} onChange={(e) => setDays(Number(e.target.value) as (typeof RANGES)[number])}>
            {RANGES.map((r) => (
              <option key={r} value={r}>
                Last {r} days
              </option>
            ))}
          </SelectField>
        )}
      </header>
      {analytics.isPending && <Loading />}
      {planGate ? (
        <Card title="Analytics" aside={<PlanNote feature="analytics" />}>
          <ErrorNote error={analytics.error} />
          <p className="muted">
            See calls per day, busiest hours and how calls end. <Link to="/dashboard/billing">Compare plans</Link>
          </p>
        </Card>
      ) : (
        <ErrorNote error={analytics.error} />
      )}
      {analytics.data && <Report a={analytics.data} />}
    </>
  );
}
