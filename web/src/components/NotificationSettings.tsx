import { useEffect, useState, type FormEvent } from 'react';
import { fieldErrorsOf } from '../api';
import { useApi, useSave } from '../hooks';
import { Card } from './Card';
import { ErrorNote } from './ErrorNote';
import { TextField } from './Field';
import { Loading } from './Loading';
import { SaveBar } from './SaveBar';

interface Preferences {
  email: boolean;
  sms: boolean;
  smsNumber: string | null;
  trigger: 'every_call' | 'follow_up_only' | 'off';
  quietHours: { start: string; end: string } | null;
}
const PATH = '/api/notifications/preferences';

/** The Account page's panel: how this user hears about calls. */
export function NotificationSettings() {
  const saved = useApi<{ preferences: Preferences }>(PATH);
  const save = useSave<Preferences>(PATH);
  const [form, setForm] = useState<Preferences | null>(null);
  useEffect(() => {
    if (saved.data) setForm(saved.data.preferences);
  }, [saved.data]);
  if (saved.isError) return <ErrorNote error={saved.error} />;
  if (!form) return <Loading />;
  const errors = fieldErrorsOf(save.error);
  const set = (patch: Partial<Preferences>) => setForm({ ...form, ...patch });
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    save.mutate({ ...form!, smsNumber: form!.smsNumber || null });
  }
  return (
    <Card id="notifications" title="Notifications" description="Hear about calls the moment they end. Quiet hours hold texts until they are over (your business's time zone); email goes at once.">
      <form onSubmit={onSubmit} className="stack narrow">
        <fieldset>
          <legend>Tell me about</legend>
          {(
            [
              ['follow_up_only', 'Calls that need a follow-up'],
              ['every_call', 'Every call'],
              ['off', 'Nothing'],
            ] as const
          ).map(([value, label]) => (
            <label key={value} className="check">
              <input type="radio" name="trigger" checked={form.trigger === value} onChange={() => set({ trigger: value })} /> {label}
            </label>
          ))}
        </fieldset>
        <label className="check">
          <input type="checkbox" checked={form.email} onChange={(e) => set({ email: e.target.checked })} /> By email
        </label>
        <label className="check">
          <input type="checkbox" checked={form.sms} onChange={(e) => set({ sms: e.target.checked })} /> By text (Pro plan, after A2P registration)
        </label>
        {form.sms && <TextField label="Text me at" type="tel" value={form.smsNumber ?? ''} error={errors.smsNumber} placeholder="+15551234567" onChange={(e) => set({ smsNumber: e.target.value })} />}
        <label className="check">
          <input type="checkbox" checked={Boolean(form.quietHours)} onChange={(e) => set({ quietHours: e.target.checked ? { start: '21:00', end: '07:00' } : null })} /> Quiet hours for texts
        </label>
        {form.quietHours && (
          <div className="row">
            <TextField label="From" type="time" value={form.quietHours.start} onChange={(e) => set({ quietHours: { ...form.quietHours!, start: e.target.value } })} />
            <TextField label="Until" type="time" value={form.quietHours.end} onChange={(e) => set({ quietHours: { ...form.quietHours!, end: e.target.value } })} />
          </div>
        )}
        <SaveBar mutation={save} />
        {save.isError && !Object.keys(errors).length && <ErrorNote error={save.error} />}
      </form>
    </Card>
  );
}
