import { useState } from 'react';
import { Link } from 'react-router';
import { Card } from '../components/Card';
import { ErrorNote } from '../components/ErrorNote';
import { FollowUpActions } from '../components/FollowUpActions';
import { Loading } from '../components/Loading';
import { useApi, useInvalidate, USAGE_PATH, useTitle } from '../hooks';
import type { FollowUpPage, Usage } from '../types';

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : '');

export function FollowUps() {
  useTitle('Follow-ups');
  const [status, setStatus] = useState<'open' | 'done'>('open');
  const path = `/api/follow-ups?status=${status}&limit=100`;
  const list = useApi<FollowUpPage>(path);
  const usage = useApi<Usage>(USAGE_PATH);
  const invalidate = useInvalidate();
  const refresh = () => void invalidate(`/api/follow-ups?status=open&limit=100`, `/api/follow-ups?status=done&limit=100`, USAGE_PATH);
  // Urgent first, then newest (the API pages newest first).
  const rows = [...(list.data?.followUps ?? [])].sort((a, b) => Number(b.urgent) - Number(a.urgent));
  return (
    <>
      <header className="page-header">
        <h1>Follow-ups</h1>
        <p className="muted">Callers who asked to be called back, urgent calls and voicemails.</p>
      </header>
      <div className="tabs" role="tablist">
        {(['open', 'done'] as const).map((s) => (
          <button key={s} type="button" role="tab" aria-selected={status === s} className={`button ${status === s ? 'button-primary' : ''}`} onClick={() => setStatus(s)}>
            {s === 'open' ? 'Open' : 'Done'}
          </button>
        ))}
      </div>
      <Card title={status === 'open' ? 'Waiting for you' : 'Done'}>
        {list.isPending && <Loading />}
        {list.isError && <ErrorNote error={list.error} />}
        {list.data && !rows.length && <p className="empty">{status === 'open' ? 'Nothing to follow up. Nice.' : 'Nothing done yet.'}</p>}
        <ul className="follow-ups">
          {rows.map((f) => (
            <li key={f.callId} className="follow-up">
              <p>
                {f.urgent && <span className="badge badge-urgent">Urgent</span>} <strong>{f.callerName ?? f.customerNumber ?? 'Unknown caller'}</strong>{' '}
                <span className="muted small">{when(f.startedAt ?? f.createdAt)}</span>
              </p>
              <p>{f.reason ?? (f.voicemail ? 'Left a voicemail.' : '')}</p>
              <p className="muted small">
                {f.voicemail && 'Voicemail · '}
                {f.assigneeName ? `Assigned to ${f.assigneeName} · ` : ''}
                {f.doneAt ? `Done ${when(f.doneAt)}${f.note ? `: ${f.note}` : ''} · ` : ''}
                <Link to={`/dashboard/calls/${f.callId}`}>Open the call</Link>
              </p>
              <FollowUpActions item={f} sms={usage.data?.features.sms ?? false} onChange={refresh} />
            </li>
          ))}
        </ul>
      </Card>
    </>
  );
}
