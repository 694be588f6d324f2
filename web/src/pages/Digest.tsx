import { useState } from 'react';
import { Link } from 'react-router';
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { api } from '../api';
import { Card } from '../components/Card';
import { ErrorNote } from '../components/ErrorNote';
import { TextField } from '../components/Field';
import { Loading } from '../components/Loading';
import { formatDay, formatDuration, formatMinutes, formatPhone, formatShortDate, humanize } from '../format';
import { useApi, useInvalidate, useTitle } from '../hooks';
import type { Digest as DigestData, DigestCall } from '../types';

const PREFS_PATH = '/api/me/preferences';

function EmailOptIn() {
  const prefs = useApi<{ dailyDigest: boolean }>(PREFS_PATH);
  const invalidate = useInvalidate();
  const save = useMutation({
    mutationFn: (dailyDigest: boolean) => api(PREFS_PATH, { method: 'PUT', body: { dailyDigest } }),
    onSuccess: () => invalidate(PREFS_PATH),
  });
  if (!prefs.data) return <ErrorNote error={prefs.error} />;
  const on = save.isPending ? save.variables : prefs.data.dailyDigest;
  return (
    <>
      <label className="switch">
        <input type="checkbox" checked={on} onChange={(e) => save.mutate(e.target.checked)} disabled={save.isPending} />
        Email me this every morning at 7
      </label>
      <ErrorNote error={save.error} />
    </>
  );
}

const OUTCOME_CLASS: Record<DigestCall['outcome'], string> = {
  answered: 'status-completed',
  transferred: 'status-in_progress',
  voicemail: '',
  'hang-up': 'status-failed',
};

function CallList({ calls }: { calls: DigestCall[] }) {
  return (
    <ol className="digest-calls">
      {calls.map((c) => (
        <li key={c.id}>
          <span className="digest-time">{c.time}</span>
          <span className="digest-body">
            <Link to={`/dashboard/calls/${c.id}`}>{formatPhone(c.customerNumber)}</Link>{' '}
            <span className={`badge ${OUTCOME_CLASS[c.outcome]}`}>{humanize(c.outcome)}</span>{' '}
            <span className="muted small">{formatDuration(c.durationSeconds)}</span>
            {c.summary && <span className="block muted">{c.summary}</span>}
          </span>
        </li>
      ))}
    </ol>
  );
}

/** Today on this device's clock, YYYY-MM-DD (en-CA writes it so): no later day can have calls. */
const localToday = () => new Intl.DateTimeFormat('en-CA').format(new Date());

/** The daily email as a page: pick a day, read what happened. It opens on the latest day that has calls (the server's default). */
export function Digest() {
  useTitle('Daily digest');
  const [date, setDate] = useState('');
  const digest = useQuery({
    queryKey: ['/api/digest', date],
    queryFn: ({ signal }) => api<DigestData>(`/api/digest${date ? `?date=${date}` : ''}`, { signal }),
    placeholderData: keepPreviousData,
  });
  const d = digest.data;

  return (
    <>
      <header className="page-header page-header-row">
        <div>
          <h1>Daily digest</h1>
          <p className="muted">{d ? `${d.organizationName} · ${formatDay(d.date)}` : 'A day at a glance.'}</p>
        </div>
        <TextField label="Day" type="date" value={date || d?.date || ''} max={localToday()} onChange={(e) => setDate(e.target.value)} />
      </header>
      <EmailOptIn />
      {digest.isPending && <Loading />}
      <ErrorNote error={digest.error} />
      {d && (
        <>
          <div className="stats stats-four">
            <div className="stat">
              <span className="stat-label">Calls</span>
              <span className="stat-value">{d.totals.calls}</span>
              <span className="muted small">{formatMinutes(d.totals.minutes)} minutes</span>
            </div>
            <div className="stat">
              <span className="stat-label">Bookings</span>
              <span className="stat-value">{d.totals.bookings}</span>
            </div>
            <div className="stat">
              <span className="stat-label">Missed</span>
              <span className="stat-value">{d.missed.length}</span>
              <span className="muted small">
                {d.totals.hangUps} hang-ups · {d.totals.voicemail} voicemail
              </span>
            </div>
            <div className="stat">
              <span className="stat-label">Minutes left</span>
              <span className="stat-value">{formatMinutes(d.minutes.left)}</span>
              <span className="muted small">
                of {formatMinutes(d.minutes.included)} until {formatShortDate(d.minutes.cycleEnd)}
              </span>
            </div>
          </div>
          {d.missed.length > 0 && (
            <Card id="missed" title="Call these people back" description="Callers who hung up quickly or left a voicemail.">
              <CallList calls={d.missed} />
            </Card>
          )}
          {d.bookings.length > 0 && (
            <Card id="bookings" title="Appointments booked">
              <ul className="plain-list">
                {d.bookings.map((b) => (
                  <li key={`${b.startsAt}-${b.attendeeName}`}>
                    <strong>{b.attendeeName}</strong> <span className="muted">· {b.startsAtLocal}</span>
                    {b.attendeePhone && <span className="muted"> · {formatPhone(b.attendeePhone)}</span>}
                  </li>
                ))}
              </ul>
            </Card>
          )}
          <Card id="calls" title="Calls" description={`Times in ${d.timezone.replaceAll('_', ' ')}.`}>
            {d.calls.length ? <CallList calls={d.calls} /> : <p className="empty">No calls this day.</p>}
            {d.moreCalls > 0 && (
              <p className="muted small">
                And {d.moreCalls} more: see <Link to="/dashboard/calls">all calls</Link>.
              </p>
            )}
          </Card>
        </>
      )}
    </>
  );
}
