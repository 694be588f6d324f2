import { useState, type FormEvent } from 'react';
import { LIMITS } from '../../../../src/domain/limits';
import { useApi, useSave } from '../../hooks';
import { Card } from '../Card';
import { ErrorNote } from '../ErrorNote';
import { TextAreaField } from '../Field';
import { Loading } from '../Loading';
import { SaveBar } from '../SaveBar';

const PATH = '/api/missed-call-text';
interface Setting {
  enabled: boolean;
  message: string;
}

function MissedCallTextForm({ saved }: { saved: Setting }) {
  const [value, setValue] = useState(saved);
  const save = useSave<Setting>(PATH, 'PUT', [PATH]);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(value);
  };
  return (
    <form onSubmit={onSubmit} className="stack">
      <label>
        <input type="checkbox" checked={value.enabled} onChange={(e) => setValue({ ...value, enabled: e.target.checked })} /> Text callers we missed
      </label>
      <TextAreaField
        label="Message"
        hint={`${value.message.length}/320 · {business} becomes your business name`}
        maxLength={LIMITS.missedCallText}
        value={value.message}
        onChange={(e) => setValue({ ...value, message: e.target.value })}
      />
      <SaveBar mutation={save} disabled={value.enabled === saved.enabled && value.message === saved.message} />
    </form>
  );
}

/** The text a caller gets when they hang up before anyone speaks with them. */
export function MissedCallTextCard() {
  const current = useApi<Setting>(PATH);
  return (
    <Card
      id="missed-call-text"
      title="Missed-call text"
      description="When someone hangs up before your assistant could help, we text them once from your business number (at most once a day per caller; never to blocked numbers or anyone who texted STOP). Needs the Pro plan and an approved text registration."
    >
      {current.isPending && <Loading />}
      <ErrorNote error={current.error} />
      {current.data && <MissedCallTextForm saved={current.data} />}
    </Card>
  );
}
