import { useEffect, useRef } from 'react';

const W = 900;
const PAD = { top: 14, right: 12, bottom: 26, left: 44 };

export interface BarSeries {
  key: string;
  label: string;
  /** The fill: a chart-series-N class (its `-bg` twin colours the legend). */
  className: string;
}

export interface BarDatum {
  /** Shown under the bar (every few bars when crowded). */
  label: string;
  values: Record<string, number>;
  /** The tooltip: a full sentence about this bar. */
  title: string;
}

/**
 * Stacked bars in SVG, no library: one bar per datum, its series stacked bottom up.
 * `summary` is what a screen reader hears instead of the picture; the legend names the series.
 */
export function BarChart({
  data,
  series,
  summary,
  height = 220,
  format = (n: number) => n.toLocaleString(),
}: {
  data: BarDatum[];
  series: BarSeries[];
  summary: string;
  height?: number;
  format?: (n: number) => string;
}) {
  // On a phone the chart scrolls sideways: start at the newest end.
  const scroller = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = scroller.current;
    if (el) el.scrollLeft = el.scrollWidth;
  }, [data.length]);
  const totals = data.map((d) => series.reduce((sum, s) => sum + (d.values[s.key] ?? 0), 0));
  const max = Math.max(...totals, 1);
  const plotW = W - PAD.left - PAD.right;
  const plotH = height - PAD.top - PAD.bottom;
  const slot = plotW / Math.max(data.length, 1);
  const barW = Math.max(Math.min(slot * 0.7, 48), 2);
  const y = (v: number) => PAD.top + plotH - (v / max) * plotH;
  const every = Math.max(1, Math.ceil(data.length / 8));

  return (
    <figure className="chart">
      {/* Focusable, so a keyboard can scroll it where it overflows (phone widths). */}
      <div className="chart-scroll" ref={scroller} tabIndex={0}>
        <svg viewBox={`0 0 ${W} ${height}`} role="img" aria-label={summary}>
          <line className="chart-axis" x1={PAD.left} x2={W - PAD.right} y1={y(0)} y2={y(0)} />
          <line className="chart-grid" x1={PAD.left} x2={W - PAD.right} y1={y(max)} y2={y(max)} />
          <text className="chart-label" x={PAD.left - 6} y={y(max) + 4} textAnchor="end">
            {format(max)}
          </text>
          <text className="chart-label" x={PAD.left - 6} y={y(0) + 4} textAnchor="end">
            0
          </text>
          {data.map((d, i) => {
            const x = PAD.left + slot * i + (slot - barW) / 2;
            let base = 0;
            return (
              <g key={i}>
                <title>{d.title}</title>
                {/* An invisible full-height target, so thin bars still show their tooltip. */}
                <rect x={PAD.left + slot * i} width={slot} y={PAD.top} height={plotH} fill="transparent" />
                {series.map((s) => {
                  const v = d.values[s.key] ?? 0;
                  if (v <= 0) return null;
                  const top = y(base + v);
                  const bottom = y(base);
                  base += v;
                  return <rect key={s.key} className={s.className} x={x} width={barW} y={top} height={Math.max(bottom - top, 1)} rx={2} />;
                })}
                {i % every === 0 && (
                  <text className="chart-label" x={x + barW / 2} y={height - 8} textAnchor="middle">
                    {d.label}
                  </text>
                )}
              </g>
            );
          })}
        </svg>
      </div>
      {series.length > 1 && (
        <figcaption className="chart-legend">
          {series.map((s) => (
            <span key={s.key} className="legend-swatch">
              <span className={`swatch ${s.className}-bg`} aria-hidden="true" />
              {s.label}
            </span>
          ))}
        </figcaption>
      )}
    </figure>
  );
}
