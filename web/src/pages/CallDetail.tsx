import { Link, useParams } from 'react-router';
import { PLANS, minimumTierFor } from '../../../src/domain/plans';
import { Card } from '../components/Card';
import { StatusBadge } from '../components/CallTable';
import { Conversation } from '../components/Conversation';
import { ErrorNote } from '../components/ErrorNote';
import { Loading } from '../components/Loading';
import { formatDateTime, formatDuration, formatPhone, humanize } from '../format';
import { USAGE_PATH, useApi, useTitle } from '../hooks';
import type { CallDetail as CallDetailData, Usage } from '../types';

const upgradeFor = (feature: 'transcripts' | 'recordings') => `Available on the ${PLANS[minimumTierFor(feature)].label} plan and above.`;

export function CallDetail() {
  useTitle('Call');
  const { id = '' } = useParams();
  const detail = useApi<CallDetailData>(`/api/calls/${encodeURIComponent(id)}`);
  // The assistant's name labels its side of the conversation; the usage query is usually cached already.
  const assistantName = useApi<Usage>(USAGE_PATH).data?.assistant?.name ?? 'Assistant';

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

      <Card title="Summary">
        <p>{call.summary ?? 'No summary for this call.'}</p>
      </Card>

      <Card title="Recording">
        {call.recordingUrl ? (
          <audio controls preload="none" src={call.recordingUrl} className="recording">
            <a href={call.recordingUrl}>Download the recording</a>
          </audio>
        ) : (
          <p className="muted">{features.recordings ? 'No recording for this call.' : `Recordings: ${upgradeFor('recordings')}`}</p>
        )}
      </Card>

      <Card title="Conversation">
        {features.transcripts ? (
          <Conversation messages={call.messages} transcript={call.transcript} assistantName={assistantName} />
        ) : (
          <p className="muted">Transcripts: {upgradeFor('transcripts')}</p>
        )}
      </Card>
    </>
  );
}
