import type { Weekday } from '../../types';

const HOURS = Array.from({ length: 24 }, (_, h) => h);
const hourLabel = (h: number) => (h === 0 ? '12a' : h < 12 ? `${h}a` : h === 12 ? '12p' : `${h - 12}p`);
const dayLabel = (d: Weekday) => d.charAt(0).toUpperCase() + d.slice(1, 3);

/**
 * Calls by weekday and hour: a table (so it reads cell by cell), each cell tinted by its
 * share of the busiest cell, with the count for screen readers and in the tooltip.
 */
export function Heatmap({ weekdays, grid, timezone }: { weekdays: Weekday[]; grid: number[][]; timezone: string }) {
  const max = Math.max(1, ...grid.flat());
  return (
    // Focusable, so a keyboard can scroll it where it overflows (phone widths).
    <div className="heatmap-wrap" tabIndex={0}>
      <table className="heatmap">
        <caption className="visually-hidden">Calls by weekday and hour ({timezone})</caption>
        <thead>
          <tr>
            <td />
            {HOURS.map((h) => (
              <th key={h} scope="col" className="heatmap-hour">
                {h % 3 === 0 ? hourLabel(h) : <span className="visually-hidden">{hourLabel(h)}</span>}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {weekdays.map((day, d) => (
            <tr key={day}>
              <th scope="row">{dayLabel(day)}</th>
              {HOURS.map((h) => {
                const n = grid[d]?.[h] ?? 0;
                return (
                  <td key={h} title={`${dayLabel(day)} ${hourLabel(h)}: ${n} call${n === 1 ? '' : 's'}`}>
                    <span className="heat" style={{ opacity: n ? 0.18 + 0.82 * (n / max) : undefined }} data-empty={n === 0 || undefined} />
                    <span className="visually-hidden">{n}</span>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
