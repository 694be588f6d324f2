import { useMemo } from 'react';
import type { BusinessHours, DayHours, Weekday } from '../../../src/domain/hours';

/** Same order as the server's WEEKDAYS (importing it would bring zod into the bundle). */
export const WEEKDAYS: readonly Weekday[] = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const DEFAULT_DAY = { open: '09:00', close: '17:00' };

export type Week = Record<Weekday, { closed: boolean; open: string; close: string }>;

/** Days the server left out are closed. */
export const toWeek = (hours: BusinessHours): Week =>
  Object.fromEntries(
    WEEKDAYS.map((d) => {
      const h = hours[d];
      return [d, { closed: !h || h.closed, open: h?.open ?? DEFAULT_DAY.open, close: h?.close ?? DEFAULT_DAY.close }];
    }),
  ) as Week;

export const toHours = (week: Week): BusinessHours =>
  Object.fromEntries(WEEKDAYS.map((d) => [d, week[d].closed ? { closed: true } : ({ open: week[d].open, close: week[d].close, closed: false } satisfies DayHours)]));

/** Monday to Friday 9 to 5: the starting point when nothing is known. */
export const OFFICE_WEEK: Week = toWeek(
  Object.fromEntries(WEEKDAYS.map((d, i) => [d, i < 5 ? { ...DEFAULT_DAY, closed: false } : { closed: true }])) as BusinessHours,
);

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Every IANA zone the browser knows, with `current` first if the browser does not know it. */
export function timeZones(current: string): string[] {
  const all = Intl.supportedValuesOf('timeZone');
  return all.includes(current) ? all : [current, ...all];
}

/** The browser's own zone: the best first guess for a new business. */
export const browserTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'America/New_York';

/**
 * A week of opening hours: an open/closed switch and two times per day. `errors` are the
 * API's field errors keyed under `prefix` (`businessHours.monday.close`).
 */
export function WeekEditor({
  week,
  onChange,
  errors = {},
  prefix = 'businessHours',
}: {
  week: Week;
  onChange: (week: Week) => void;
  errors?: Record<string, string>;
  prefix?: string;
}) {
  const setDay = (day: Weekday, change: Partial<Week[Weekday]>) => onChange({ ...week, [day]: { ...week[day], ...change } });
  return (
    <table className="hours">
      <caption className="visually-hidden">Opening hours per day</caption>
      <tbody>
        {WEEKDAYS.map((day) => {
          const d = week[day];
          const error = errors[`${prefix}.${day}.close`] ?? errors[`${prefix}.${day}`];
          return (
            <tr key={day}>
              <th scope="row">{capitalize(day)}</th>
              <td>
                <label className="switch">
                  <input type="checkbox" checked={!d.closed} onChange={(e) => setDay(day, { closed: !e.target.checked })} />
                  {d.closed ? 'Closed' : 'Open'}
                </label>
              </td>
              <td className="hours-times">
                {!d.closed && (
                  <>
                    <input type="time" aria-label={`${capitalize(day)} opens`} value={d.open} required onChange={(e) => setDay(day, { open: e.target.value })} />
                    <span aria-hidden="true">–</span>
                    <input type="time" aria-label={`${capitalize(day)} closes`} value={d.close} required onChange={(e) => setDay(day, { close: e.target.value })} />
                  </>
                )}
                {error && <span className="field-error">{error}</span>}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** Copies Monday's hours to Tuesday–Friday. */
export const copyMondayToWeekdays = (w: Week): Week => ({ ...w, tuesday: w.monday, wednesday: w.monday, thursday: w.monday, friday: w.monday });

/** The time-zone select, labelled. */
export function TimeZoneSelect({ value, onChange, error, id = 'timezone' }: { value: string; onChange: (zone: string) => void; error?: string; id?: string }) {
  const zones = useMemo(() => timeZones(value), [value]);
  return (
    <div className="field field-narrow">
      <label htmlFor={id}>Time zone</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)} aria-invalid={!!error}>
        {zones.map((z) => (
          <option key={z} value={z}>
            {z.replaceAll('_', ' ')}
          </option>
        ))}
      </select>
      {error && <span className="field-error">{error}</span>}
    </div>
  );
}
