import { formatMinutes, formatShortDate } from '../format';
import type { Usage } from '../types';

const W = 900;
const H = 240;
const PAD = { top: 16, right: 16, bottom: 28, left: 40 };

const dayKey = (d: Date) => d.toISOString().slice(0, 10);

/** Every calendar day of the cycle, as YYYY-MM-DD. */
function cycleDays(start: string, end: string): string[] {
  const days: string[] = [];
  const last = dayKey(new Date(end));
  for (let d = new Date(`${dayKey(new Date(start))}T00:00:00Z`); dayKey(d) <= last && days.length < 62; d.setUTCDate(d.getUTCDate() + 1)) {
    days.push(dayKey(d));
  }
  return days;
}

/**
 * Minutes over the billing cycle: a bar per day, the running total as a line, and the
 * plan's limit as a dashed line, so "how close am I" reads at a glance. Days still to
 * come stay empty.
 */
export function UsageChart({ usage }: { usage: Usage }) {
  const { snapshot, history } = usage;
  const days = cycleDays(snapshot.currentCycleStart, snapshot.currentCycleEnd);
  const perDay = new Map(history.map((h) => [h.date, h.minutes]));
  const today = history.at(-1)?.date ?? dayKey(new Date());

  let total = 0;
  const points = days.filter((d) => d <= today).map((date) => ({ date, minutes: perDay.get(date) ?? 0, total: (total += perDay.get(date) ?? 0) }));
  const max = Math.max(snapshot.minutesLimit, total, 1) * 1.1;

  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const slot = plotW / Math.max(days.length, 1);
  const x = (i: number) => PAD.left + slot * i + slot / 2;
  const y = (minutes: number) => PAD.top + plotH - (minutes / max) * plotH;
  const line = points.map((p, i) => `${i ? 'L' : 'M'}${x(i).toFixed(1)},${y(p.total).toFixed(1)}`).join(' ');
  const area = points.length ? `${line} L${x(points.length - 1).toFixed(1)},${y(0)} L${x(0).toFixed(1)},${y(0)} Z` : '';
  const labels = [0, Math.floor((days.length - 1) / 2), days.length - 1].filter((i, k, all) => all.indexOf(i) === k);

  const summary = `${formatMinutes(snapshot.minutesUsed)} of ${formatMinutes(snapshot.minutesLimit)} minutes used this cycle, from ${formatShortDate(snapshot.currentCycleStart)} to ${formatShortDate(snapshot.currentCycleEnd)}.`;

  return (
    <figure className="chart">
      {/* Focusable, so a keyboard can scroll it where it overflows (phone widths). */}
      <div className="chart-scroll" tabIndex={0}>
        <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={summary}>
          <line className="chart-axis" x1={PAD.left} x2={W - PAD.right} y1={y(0)} y2={y(0)} />
          <line className="chart-limit" x1={PAD.left} x2={W - PAD.right} y1={y(snapshot.minutesLimit)} y2={y(snapshot.minutesLimit)} />
          <text className="chart-label" x={PAD.left - 6} y={y(snapshot.minutesLimit) + 4} textAnchor="end">
            {formatMinutes(snapshot.minutesLimit)}
          </text>
          <text className="chart-label" x={PAD.left - 6} y={y(0) + 4} textAnchor="end">
            0
          </text>
          {points.map((p, i) => (
            <rect key={p.date} className="chart-bar" x={x(i) - slot * 0.3} width={slot * 0.6} y={y(p.minutes)} height={y(0) - y(p.minutes)}>
              <title>{`${formatShortDate(`${p.date}T12:00:00Z`)}: ${formatMinutes(p.minutes)} min (total ${formatMinutes(p.total)})`}</title>
            </rect>
          ))}
          {area && <path className="chart-area" d={area} />}
          {line && <path className="chart-line" d={line} />}
          {points.length > 0 && <circle className="chart-dot" cx={x(points.length - 1)} cy={y(total)} r={4} />}
          {labels.map((i) => (
            <text key={i} className="chart-label" x={x(i)} y={H - 8} textAnchor="middle">
              {formatShortDate(`${days[i]}T12:00:00Z`)}
            </text>
          ))}
        </svg>
      </div>
      <figcaption className="chart-legend">
        <span className="legend legend-line">Minutes used (running total)</span>
        <span className="legend legend-bar">Minutes per day</span>
        <span className="legend legend-limit">Plan limit</span>
      </figcaption>
    </figure>
  );
}
