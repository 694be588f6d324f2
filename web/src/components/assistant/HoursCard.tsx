import { useMemo, useState, type FormEvent } from 'react';
import type { BusinessHours, DayHours, Weekday } from '../../../../src/domain/hours';
import { fieldErrorsOf } from '../../api';
import { PROMPT_PATHS, useSave } from '../../hooks';
import type { BusinessHoursView } from '../../types';
import { Card } from '../Card';
import { SaveBar } from '../SaveBar';

/** Same order as the server's WEEKDAYS (importing it would bring zod into the bundle). */
const WEEKDAYS: readonly Weekday[] = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const DEFAULT_DAY = { open: '09:00', close: '17:00' };

type Week = Record<Weekday, { closed: boolean; open: string; close: string }>;

/** Days the server left out are closed. */
const toWeek = (hours: BusinessHours): Week =>
  Object.fromEntries(
    WEEKDAYS.map((d) => {
      const h = hours[d];
      return [d, { closed: !h || h.closed, open: h?.open ?? DEFAULT_DAY.open, close: h?.close ?? DEFAULT_DAY.close }];
    }),
  ) as Week;

const toHours = (week: Week): BusinessHours =>
  Object.fromEntries(WEEKDAYS.map((d) => [d, week[d].closed ? { closed: true } : ({ open: week[d].open, close: week[d].close, closed: false } satisfies DayHours)]));

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function timeZones(current: string): string[] {
  const all = Intl.supportedValuesOf('timeZone');
  return all.includes(current) ? all : [current, ...all];
}

export function HoursCard({ data }: { data: BusinessHoursView }) {
  const [week, setWeek] = useState(() => toWeek(data.businessHours));
  const [timezone, setTimezone] = useState(data.timezone);
  const zones = useMemo(() => timeZones(data.timezone), [data.timezone]);
  const save = useSave<{ businessHours: BusinessHours; timezone: string }>('/api/business-hours', 'PUT', PROMPT_PATHS);
  const errors = fieldErrorsOf(save.error);

  const setDay = (day: Weekday, change: Partial<Week[Weekday]>) => setWeek((w) => ({ ...w, [day]: { ...w[day], ...change } }));
  const copyMondayToWeekdays = () => setWeek((w) => ({ ...w, tuesday: w.monday, wednesday: w.monday, thursday: w.monday, friday: w.monday }));
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate({ businessHours: toHours(week), timezone });
  };

  return (
    <Card id="hours" title="Hours" description="When you are open. Outside these hours the assistant says so and takes a message.">
      <form onSubmit={onSubmit} className="stack">
        <div className="field field-narrow">
          <label htmlFor="timezone">Time zone</label>
          <select id="timezone" value={timezone} onChange={(e) => setTimezone(e.target.value)}>
            {zones.map((z) => (
              <option key={z} value={z}>
                {z.replaceAll('_', ' ')}
              </option>
            ))}
          </select>
          {errors.timezone && <span className="field-error">{errors.timezone}</span>}
        </div>
        <table className="hours">
          <caption className="visually-hidden">Opening hours per day</caption>
          <tbody>
            {WEEKDAYS.map((day) => {
              const d = week[day];
              const error = errors[`businessHours.${day}.close`] ?? errors[`businessHours.${day}`];
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
        <div className="save-row">
          <SaveBar mutation={save} />
          <button type="button" className="button button-quiet" onClick={copyMondayToWeekdays}>
            Copy Monday to Tue–Fri
          </button>
        </div>
      </form>
    </Card>
  );
}
