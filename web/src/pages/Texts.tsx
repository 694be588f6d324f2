import { useEffect, useState } from 'react';
import { LIMITS } from '../../../src/domain/limits';
import { Link, NavLink, useParams } from 'react-router';
import { api, messageOf } from '../api';
import { Card } from '../components/Card';
import { ErrorNote } from '../components/ErrorNote';
import { Loading } from '../components/Loading';
import { formatDateTime, formatPhone } from '../format';
import { useApi, useInvalidate, USAGE_PATH, useTitle } from '../hooks';
import type { SmsThread, SmsThreadList, Usage } from '../types';

const THREADS = '/api/sms/threads';

/** Texts with callers as conversations: the threads, and the open one with a reply box. */
export function Texts() {
  useTitle('Texts');
  const { number } = useParams();
  const threads = useApi<SmsThreadList>(THREADS);
  return (
    <>
      <header className="page-header">
        <h1>Texts</h1>
        <p className="muted">Every text with a caller, one conversation per number.</p>
      </header>
      <div className={`texts${number ? ' texts-open' : ''}`}>
        <div className="thread-list">
          <Card title="Conversations">
          {threads.isPending && <Loading />}
          {threads.isError && <ErrorNote error={threads.error} />}
          {threads.data && threads.data.threads.length === 0 && <p className="empty">No texts yet.</p>}
          <ul className="threads">
            {threads.data?.threads.map((t) => (
              <li key={t.number}>
                <NavLink to={`/dashboard/texts/${encodeURIComponent(t.number)}`}>
                  <span className={t.unread ? 'thread-unread' : undefined}>
                    {formatPhone(t.number)}
                    {t.optedOut && <span className="badge">Opted out</span>}
                  </span>
                  {t.unread > 0 ? <span className="nav-badge" aria-label={`${t.unread} unread`}>{t.unread}</span> : <span />}
                  <span className="thread-last">
                    {t.lastDirection === 'OUTBOUND' ? 'You: ' : ''}
                    {t.lastBody}
                  </span>
                </NavLink>
              </li>
            ))}
          </ul>
          </Card>
        </div>
        <div className="thread-view">{number ? <Thread number={number} /> : <Card title="Conversation"><p className="empty">Pick a conversation.</p></Card>}</div>
      </div>
    </>
  );
}

function Thread({ number }: { number: string }) {
  const path = `${THREADS}/${encodeURIComponent(number)}`;
  const thread = useApi<SmsThread>(path);
  const invalidate = useInvalidate();
  const canText = useApi<Usage>(USAGE_PATH).data?.features.sms ?? false;
  // Opening the thread marked its texts read: the list's unread counts move.
  const loadedAt = thread.dataUpdatedAt;
  useEffect(() => {
    if (loadedAt) void invalidate(THREADS);
    // Only when a fresh copy arrives (invalidate is a new function every render).
  }, [loadedAt]);

  return (
    <Card title={formatPhone(number)}>
      <p className="small thread-back">
        <Link to="/dashboard/texts">← All conversations</Link>
      </p>
      {thread.isPending && <Loading />}
      {thread.isError && <ErrorNote error={thread.error} />}
      {thread.data && (
        <>
          <ol className="conversation" aria-label="Texts, oldest first">
            {thread.data.messages.map((m) => (
              <li key={m.id} className={`turn${m.direction === 'OUTBOUND' ? ' turn-sent' : ''}`}>
                <span className="turn-who">
                  {m.direction === 'OUTBOUND' ? (m.missedCallText ? 'Missed-call text' : 'You') : 'Caller'} · {formatDateTime(m.createdAt)}
                </span>
                <span className="bubble">{m.body}</span>
              </li>
            ))}
          </ol>
          {thread.data.optedOut ? (
            <p className="muted">This number texted STOP: nothing can be sent to it until it texts START.</p>
          ) : canText ? (
            <ReplyBox to={number} onSent={() => void invalidate(path, THREADS)} />
          ) : (
            <p className="muted">Replying needs a plan with text messages.</p>
          )}
        </>
      )}
    </Card>
  );
}

/** Sends through POST /api/sms/send from the business number. */
function ReplyBox({ to, onSent }: { to: string; onSent: () => void }) {
  const [body, setBody] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <form
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        setError(null);
        try {
          await api('/api/sms/send', { method: 'POST', body: { to, body: body.trim() } });
          setBody('');
          onSent();
        } catch (err) {
          setError(messageOf(err));
        } finally {
          setBusy(false);
        }
      }}
    >
      <div className="reply-box">
        <label className="visually-hidden" htmlFor="reply">
          Reply
        </label>
        <textarea id="reply" rows={2} maxLength={LIMITS.smsBody} placeholder="Write a reply" value={body} onChange={(e) => setBody(e.target.value)} />
        <button type="submit" className="button button-primary" disabled={busy || !body.trim()}>
          {busy ? 'Sending…' : 'Send'}
        </button>
      </div>
      {error && <p className="error small" role="alert">{error}</p>}
    </form>
  );
}
