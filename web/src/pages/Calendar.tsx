import { useState, type FormEvent } from 'react';
import { useMutation } from '@tanstack/react-query';
import { api, fieldErrorsOf } from '../api';
import { Card } from '../components/Card';
import { ConfirmButton } from '../components/ConfirmButton';
import { ErrorNote } from '../components/ErrorNote';
import { TextField } from '../components/Field';
import { Loading } from '../components/Loading';
import { PlanNote, UpgradeNote } from '../components/PlanNote';
import { SaveBar } from '../components/SaveBar';
import { SelectField } from '../components/SelectField';
import { formatDateTime } from '../format';
import { PROMPT_PATHS, useApi, useInvalidate, useIsManager, useTitle } from '../hooks';
import type { CalendarEventType, CalendarStatus, CalendarTest } from '../types';

const STATUS_PATH = '/api/calendar/status';

/** The diagnostics' four steps, in the order the server runs them. */
const TEST_STEPS: Array<[string, string]> = [
  ['org_lookup', 'Calendar connection found'],
  ['plan_check', 'Plan includes calendar booking'],
  ['credential_decrypt', 'Stored API key readable'],
  ['cal_com_api', 'Cal.com answers for the event type'],
];

/** The key first; then the account's event types to pick from (Cal.com's ids are not something people know). */
function ConnectForm() {
  const invalidate = useInvalidate();
  const [apiKey, setApiKey] = useState('');
  const [eventTypeId, setEventTypeId] = useState('');
  const eventTypes = useMutation({
    mutationFn: (key: string) => api<CalendarEventType[]>('/api/calendar/event-types', { method: 'POST', body: { apiKey: key } }),
    onSuccess: (types) => setEventTypeId(types[0] ? String(types[0].id) : ''),
  });
  const connect = useMutation({
    mutationFn: () => api('/api/calendar/connect', { method: 'POST', body: { provider: 'CAL_COM', apiKey: apiKey.trim(), eventTypeId: Number(eventTypeId) } }),
    onSuccess: () => invalidate(STATUS_PATH, ...PROMPT_PATHS),
  });
  const errors = { ...fieldErrorsOf(eventTypes.error), ...fieldErrorsOf(connect.error) };
  const listed = eventTypes.data;
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (listed?.length) connect.mutate();
    else eventTypes.mutate(apiKey.trim());
  };
  return (
    <form onSubmit={onSubmit} className="stack narrow">
      <TextField
        label="Cal.com API key"
        type="password"
        autoComplete="off"
        required
        placeholder="cal_live_…"
        value={apiKey}
        onChange={(e) => {
          setApiKey(e.target.value);
          // Another key is another account: its event types are read again.
          eventTypes.reset();
          connect.reset();
        }}
        hint="In Cal.com: Settings → Developer → API keys. Stored encrypted."
        error={errors.apiKey}
      />
      {!listed?.length ? (
        <>
          {listed && <p className="note">This Cal.com account has no event types yet. Create one in Cal.com (the kind of appointment callers book), then try again.</p>}
          {eventTypes.error && !errors.apiKey ? <ErrorNote error={eventTypes.error} /> : null}
          <div className="save-bar">
            <button type="submit" className="button button-primary" disabled={!apiKey.trim() || eventTypes.isPending}>
              {eventTypes.isPending ? 'Looking up…' : 'Find my event types'}
            </button>
          </div>
        </>
      ) : (
        <>
          <SelectField
            label="Appointment callers book"
            value={eventTypeId}
            onChange={(e) => setEventTypeId(e.target.value)}
            hint="Your Cal.com event types. The assistant offers free times of this one."
            error={errors.eventTypeId}
          >
            {listed.map((et) => (
              <option key={et.id} value={et.id}>
                {et.title} ({et.length} min)
              </option>
            ))}
          </SelectField>
          <SaveBar mutation={connect} label="Connect" disabled={!eventTypeId} />
        </>
      )}
    </form>
  );
}

function StatusCard({ status }: { status: CalendarStatus }) {
  const manager = useIsManager();
  const invalidate = useInvalidate();
  const disconnect = useMutation({
    mutationFn: () => api('/api/calendar/disconnect', { method: 'POST' }),
    onSuccess: () => invalidate(STATUS_PATH, ...PROMPT_PATHS),
  });
  return (
    <Card
      id="connection"
      title="Cal.com"
      description={
        status.connected
          ? 'Your assistant checks free times and books appointments while it talks.'
          : 'Once connected, your assistant checks free times and books appointments while it talks.'
      }
      aside={status.connected ? <span className="badge status-completed">Connected</span> : !status.canEdit && <PlanNote feature="calendar" />}
    >
      {status.connected ? (
        <>
          <dl className="summary">
            <dt>Event type</dt>
            <dd>
              <code>{status.config?.eventTypeId ?? '—'}</code>
            </dd>
            <dt>Connected</dt>
            <dd>{formatDateTime(status.connectedAt)}</dd>
          </dl>
          {manager && (
            <div className="save-bar">
              <ConfirmButton
                label="Disconnect"
                question="Stop booking appointments?"
                confirmLabel="Yes, disconnect"
                onConfirm={() => disconnect.mutate()}
                pending={disconnect.isPending}
              />
            </div>
          )}
          <ErrorNote error={disconnect.error} />
        </>
      ) : !status.canEdit ? (
        <UpgradeNote feature="calendar">
          Booking appointments comes with the <PlanNote feature="calendar" />.
        </UpgradeNote>
      ) : manager ? (
        <ConnectForm />
      ) : (
        <p className="empty">No calendar connected. An owner or admin can connect one.</p>
      )}
    </Card>
  );
}

/** Keyed by the connection (Calendar below): a result from before connecting or disconnecting is not shown after it. */
function TestCard() {
  const test = useMutation({ mutationFn: () => api<CalendarTest>('/api/calendar/test') });
  const byName = new Map(test.data?.steps.map((s) => [s.name, s]));
  return (
    <Card
      id="test"
      title="Test the connection"
      description="Runs the same checks the assistant does before it books."
      aside={
        <button type="button" className="button" onClick={() => test.mutate()} disabled={test.isPending}>
          {test.isPending ? 'Testing…' : 'Run test'}
        </button>
      }
    >
      <ErrorNote error={test.error} />
      {test.data ? (
        <>
          <ol className="checks" aria-label="Test steps">
            {TEST_STEPS.map(([name, label]) => {
              const step = byName.get(name);
              const state = !step ? 'skipped' : step.ok ? 'ok' : 'failed';
              return (
                <li key={name} className={`check-${state}`}>
                  <span className="check-icon" aria-hidden="true">
                    {state === 'ok' ? '✓' : state === 'failed' ? '✕' : '–'}
                  </span>
                  <span>
                    <strong>{label}</strong>
                    <span className="visually-hidden"> — {state}</span>
                    {step?.error && <span className="check-error">{step.error}</span>}
                    {state === 'skipped' && <span className="muted small"> Not run: an earlier check failed.</span>}
                  </span>
                </li>
              );
            })}
          </ol>
          <p className={`note ${test.data.ok ? 'note-success' : 'note-error'}`} role="status">
            {test.data.ok ? 'Everything works: callers can book.' : 'Booking does not work yet: see the failed check.'} <span className="small">({formatDateTime(test.data.timestamp)})</span>
          </p>
        </>
      ) : (
        <p className="muted">Not run yet.</p>
      )}
    </Card>
  );
}

export function Calendar() {
  useTitle('Calendar');
  const status = useApi<CalendarStatus>(STATUS_PATH);
  return (
    <>
      <header className="page-header">
        <h1>Calendar</h1>
        <p className="muted">Let your assistant book appointments into your Cal.com calendar.</p>
      </header>
      {status.isPending ? <Loading /> : status.isError ? <ErrorNote error={status.error} /> : <StatusCard status={status.data} />}
      <TestCard key={status.data?.connectedAt ?? 'not-connected'} />
    </>
  );
}
