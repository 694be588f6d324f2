import { useState, type FormEvent } from 'react';
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { minimumTierFor, PLANS } from '../../../../src/domain/plans';
import { LIMITS } from '../../../../src/domain/limits';
import { api, fieldErrorsOf } from '../../api';
import { formatDateTime, formatPhone, humanize } from '../../format';
import type { A2pStatusView, SmsDirection, SmsLogPage } from '../../types';
import { Card } from '../Card';
import { ErrorNote } from '../ErrorNote';
import { TextAreaField, TextField } from '../Field';
import { Loading } from '../Loading';
import { PlanGate } from '../PlanNote';
import { SaveBar } from '../SaveBar';
import { SelectField } from '../SelectField';
import { DataTable } from '../DataTable';

export const SMS_LOGS_PATH = '/api/sms/logs';
const PAGE_SIZE = 20;

/** GSM-7 texts split every 153 characters once past 160; others (emoji, accents) every 67 past 70. */
function segments(body: string) {
  if (!body) return 0;
  // Close enough to the GSM-7 alphabet for an estimate: plain ASCII and the common European letters.
  const gsm = /^[\n\r\x20-\x7E£¥èéùìòÇØøÅåÆæßÉÄÖÑÜ§¿äöñüà€]*$/.test(body);
  const [single, multi] = gsm ? [160, 153] : [70, 67];
  return body.length <= single ? 1 : Math.ceil(body.length / multi);
}

function Composer({ onSent }: { onSent: () => void }) {
  const [to, setTo] = useState('');
  const [body, setBody] = useState('');
  const send = useMutation({
    mutationFn: () => api<{ messageSid: string; status: string }>('/api/sms/send', { method: 'POST', body: { to: to.trim(), body } }),
    onSuccess: () => {
      setBody('');
      onSent();
    },
  });
  const errors = fieldErrorsOf(send.error);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    send.mutate();
  };
  const parts = segments(body);
  return (
    <form onSubmit={onSubmit} className="stack composer">
      <TextField label="To" type="tel" autoComplete="off" required placeholder="+15551234567" value={to} onChange={(e) => setTo(e.target.value)} error={errors.to} hint="In international format, starting with +." />
      <TextAreaField
        label="Message"
        rows={3}
        required
        maxLength={LIMITS.smsBody}
        value={body}
        onChange={(e) => setBody(e.target.value)}
        error={errors.body}
        hint={parts > 1 ? `Sent as ${parts} messages` : undefined}
      />
      <SaveBar mutation={send} label="Send" disabled={!to.trim() || !body.trim()} />
      {send.isSuccess && (
        <span className="saved" role="status">
          Sent ({humanize(send.data.status)})
        </span>
      )}
    </form>
  );
}

/** Text messages from the business number: the composer (once registered) and the log. */
export function SmsCard({ a2p }: { a2p: A2pStatusView }) {
  const [page, setPage] = useState(1);
  const [direction, setDirection] = useState<SmsDirection | ''>('');
  const logs = useQuery({
    queryKey: [SMS_LOGS_PATH, page, direction],
    queryFn: ({ signal }) =>
      api<SmsLogPage>(`${SMS_LOGS_PATH}?${new URLSearchParams({ page: String(page), limit: String(PAGE_SIZE), ...(direction ? { direction } : {}) })}`, { signal }),
    placeholderData: keepPreviousData,
  });
  const canSend = a2p.hasSmsSubscription && a2p.status === 'CAMPAIGN_APPROVED';
  const p = logs.data?.pagination;

  return (
    <Card id="sms" title="Text messages" description="Messages sent and received on your number." aside={!a2p.hasSmsSubscription && <PlanGate feature="sms" />}>
      {canSend ? (
        <Composer onSent={() => (page === 1 ? logs.refetch() : setPage(1))} />
      ) : (
        <p className="muted small">
          {a2p.hasSmsSubscription
            ? 'Sending opens once your SMS registration below is approved: US carriers block unregistered business texts.'
            : `Sending texts comes with the ${PLANS[minimumTierFor('sms')].label} plan, after a one-time carrier registration.`}
        </p>
      )}
      <div className="log-toolbar">
        <h3>Message log</h3>
        <SelectField
          label="Show"
          value={direction}
          onChange={(e) => {
            setDirection(e.target.value as SmsDirection | '');
            setPage(1);
          }}
        >
          <option value="">All messages</option>
          <option value="INBOUND">Received</option>
          <option value="OUTBOUND">Sent</option>
        </SelectField>
      </div>
      {logs.isPending && <Loading />}
      <ErrorNote error={logs.error} />
      {logs.data &&
        (logs.data.logs.length === 0 ? (
          <p className="empty">No messages{direction ? ' of this kind' : ''} yet.</p>
        ) : (
          <DataTable className="sms-log" columns={[{ label: 'When' }, { label: 'Direction' }, { label: 'Other party' }, { label: 'Message' }, { label: 'Status' }]}>
            {logs.data.logs.map((m) => (
              <tr key={m.id}>
                <td className="nowrap">{formatDateTime(m.createdAt)}</td>
                <td>
                  <span className={`badge ${m.direction === 'INBOUND' ? 'badge-in' : 'badge-out'}`}>{m.direction === 'INBOUND' ? '↓ Received' : '↑ Sent'}</span>
                </td>
                <td className="nowrap">{formatPhone(m.direction === 'INBOUND' ? m.from : m.to)}</td>
                <td className="sms-body">{m.body}</td>
                <td>{humanize(m.status)}</td>
              </tr>
            ))}
          </DataTable>
        ))}
      {p && p.totalPages > 1 && (
        <nav className="pager" aria-label="Message log pages">
          <button type="button" className="button button-small" onClick={() => setPage(page - 1)} disabled={page <= 1 || logs.isFetching}>
            ← Newer
          </button>
          <span className="muted small">
            Page {p.page} of {p.totalPages} · {p.total} messages
          </span>
          <button type="button" className="button button-small" onClick={() => setPage(page + 1)} disabled={page >= p.totalPages || logs.isFetching}>
            Older →
          </button>
        </nav>
      )}
    </Card>
  );
}
