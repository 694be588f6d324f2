import { useState, type FormEvent } from 'react';
import type { BusinessHours } from '../../../../src/domain/hours';
import { fieldErrorsOf } from '../../api';
import { PROMPT_PATHS, useSave } from '../../hooks';
import type { BusinessHoursView } from '../../types';
import { Card } from '../Card';
import { SaveBar } from '../SaveBar';
import { copyMondayToWeekdays, TimeZoneSelect, toHours, toWeek, WeekEditor } from '../WeekEditor';

export function HoursCard({ data }: { data: BusinessHoursView }) {
  const [week, setWeek] = useState(() => toWeek(data.businessHours));
  const [timezone, setTimezone] = useState(data.timezone);
  const save = useSave<{ businessHours: BusinessHours; timezone: string }>('/api/business-hours', 'PUT', PROMPT_PATHS);
  const errors = fieldErrorsOf(save.error);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate({ businessHours: toHours(week), timezone });
  };

  return (
    <Card id="hours" title="Hours" description="When you are open. Outside these hours the assistant says so and takes a message.">
      <form onSubmit={onSubmit} className="stack">
        <TimeZoneSelect value={timezone} onChange={setTimezone} error={errors.timezone} />
        <WeekEditor week={week} onChange={setWeek} errors={errors} />
        <div className="save-row">
          <SaveBar mutation={save} />
          <button type="button" className="button button-quiet" onClick={() => setWeek(copyMondayToWeekdays)}>
            Copy Monday to Tue–Fri
          </button>
        </div>
      </form>
    </Card>
  );
}
