import { useState, type FormEvent } from 'react';
import { PROMPT_PATHS, useApi, useSave } from '../../hooks';
import type { AfterHoursMode } from '../../types';
import { Card } from '../Card';
import { ErrorNote } from '../ErrorNote';
import { Loading } from '../Loading';
import { RadioChoices, type Choice } from '../RadioChoices';
import { SaveBar } from '../SaveBar';

const PATH = '/api/after-hours';

/** In the words of the prompt's hours section, which each mode rewrites. */
const MODES: Record<AfterHoursMode, Choice> = {
  'take-message': { label: 'Take a message', hint: 'Says you are closed and takes the caller’s name, number and reason for a call back. No transfers.' },
  'transfer-anyway': { label: 'Transfer anyway', hint: 'Helps as usual and transfers callers who ask for a person, as during opening hours.' },
  'book-only': { label: 'Book appointments', hint: 'No transfers: offers to book an appointment, or takes a message if the caller prefers.' },
};

function AfterHoursForm({ saved }: { saved: AfterHoursMode }) {
  const [mode, setMode] = useState(saved);
  const save = useSave<{ afterHours: AfterHoursMode }>(PATH, 'PUT', PROMPT_PATHS);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate({ afterHours: mode });
  };
  return (
    <form onSubmit={onSubmit} className="stack">
      <RadioChoices legend="Outside business hours" name="after-hours" options={MODES} value={mode} onChange={setMode} />
      <SaveBar mutation={save} disabled={mode === saved} />
    </form>
  );
}

/** What the assistant does when a call comes in outside opening hours. */
export function AfterHoursCard() {
  const current = useApi<{ afterHours: AfterHoursMode }>(PATH);
  return (
    <Card id="after-hours" title="After hours" description="What the assistant does when someone calls outside the opening hours set on the Assistant page.">
      {current.isPending && <Loading />}
      <ErrorNote error={current.error} />
      {current.data && <AfterHoursForm saved={current.data.afterHours} />}
    </Card>
  );
}
