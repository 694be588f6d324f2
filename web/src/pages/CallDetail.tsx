import { useMutation } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { api } from '../api';
import { ConfirmButton } from '../components/ConfirmButton';
import { Card } from '../components/Card';
import { StatusBadge } from '../components/CallTable';
import { Conversation } from '../components/Conversation';
import { ErrorNote } from '../components/ErrorNote';
import { FollowUpActions } from '../components/FollowUpActions';
import { PlanNote, UpgradeNote } from '../components/PlanNote';
import { Loading } from '../components/Loading';
import { formatDateTime, formatDuration, formatPhone, humanize } from '../format';
import { USAGE_PATH, useApi, useInvalidate, useIsManager, useTitle } from '../hooks';
import type { CallDetail as CallDetailData, Usage } from '../types';

export function CallDetail() {
  useTitle('Call');
  const { id = '' } = useParams();
  const detail = useApi<CallDetailData>(`/api/calls/${encodeURIComponent(id)}`);
  // The assistant's name labels its side of the conversation; the usage query is usually cached already.
  const usage = useApi<Usage>(USAGE_PATH).data;
  const assistantName = usage?.assistant?.name ?? 'Assistant';
  const invalidate = useInvalidate();
  const isManager = useIsManager();
  // Blocks the caller's number: the assistant rejects their next calls and they are never billed.
  const block = useMutation({ mutationFn: () => api(`/api/calls/${encodeURIComponent(id)}/block`, { method: 'POST' }) });

  if (detail.isPending) return <Loading />;
  if (detail.isError) {
    return (
      <>
        <Link to="/dashboard/calls" className="back">
          ← All calls
        </Link>
        <ErrorNote error={detail.error} />
      </>
    );
  }
  const { call, features } = detail.data;
  const seconds = call.durationMinutes === null ? null : call.durationMinutes * 60;

  return (
    <>
      <Link to="/dashboard/calls" className="back">
        ← All calls
      </Link>
      <header className="page-header">
        <h1>{formatPhone(call.customerNumber)}</h1>
        <p className="muted">
          {formatDateTime(call.startedAt)} · {formatDuration(seconds)} · <StatusBadge status={call.status} />
          {call.endedReason && <> · {humanize(call.endedReason)}</>}
        </p>
      </header>

      {(call.outcome || detail.data.followUp) && (
        <Card title="Outcome">
          {call.outcome && (
            <>
              <p>
                {call.outcome.urgent && <span className="badge badge-urgent">Urgent</span>} <strong>{call.outcome.callerName ?? formatPhone(call.customerNumber)}</strong>
                {' · '}
                {humanize(call.outcome.category)}
              </p>
              {call.outcome.reason && <p>{call.outcome.reason}</p>}
              <p className="muted small">
                {[
                  call.outcome.callbackRequested && `Wants a call back${call.outcome.callbackNumber ? ` at ${formatPhone(call.outcome.callbackNumber)}` : ''}`,
                  call.outcome.appointmentBooked && 'Appointment booked',
                ]
                  .filter(Boolean)
                  .join(' · ')}
              </p>
            </>
          )}
          {detail.data.followUp && (
            <FollowUpActions item={detail.data.followUp} sms={usage?.features.sms ?? false} onChange={() => void invalidate(`/api/calls/${encodeURIComponent(id)}`, USAGE_PATH)} />
          )}
        </Card>
      )}

      <Card title="Summary">
        <p>{call.summary ?? 'No summary for this call.'}</p>
      </Card>

      <Card title="Recording">
        {call.recordingUrl ? (
          <audio controls preload="none" src={call.recordingUrl} className="recording">
            <a href={call.recordingUrl}>Download the recording</a>
          </audio>
        ) : features.recordings ? (
          <p className="muted">No recording for this call.</p>
        ) : (
          <UpgradeNote feature="recordings">
            Call recordings come with the <PlanNote feature="recordings" />.
          </UpgradeNote>
        )}
      </Card>

      <Card title="Conversation">
        {features.transcripts ? (
          <Conversation messages={call.messages} transcript={call.transcript} assistantName={assistantName} />
        ) : (
          <UpgradeNote feature="transcripts">
            Transcripts come with the <PlanNote feature="transcripts" />.
          </UpgradeNote>
        )}
      </Card>

      {/* A quiet secondary action: most callers should be called back, not blocked. */}
      {isManager && call.customerNumber && (
        <div className="quiet-action">
          {block.isSuccess ? (
            <p className="muted">This caller is blocked.</p>
          ) : (
            <ConfirmButton
              label="Block this caller"
              question={`Block ${formatPhone(call.customerNumber)}? Their calls will be turned away.`}
              onConfirm={() => block.mutate()}
              pending={block.isPending}
            />
          )}
          {block.isError && <ErrorNote error={block.error} />}
        </div>
      )}
    </>
  );
}
