import { useState } from 'react';
import { LIMITS } from '../../../src/domain/limits';
import { api, messageOf } from '../api';
import { useApi } from '../hooks';
import type { FollowUp, MemberList } from '../types';

/** Call back, text back, mark done with a note, assign: shared by this page and the call page. */
export function FollowUpActions({ item, sms, onChange }: { item: FollowUp; sms: boolean; onChange: () => void }) {
  const members = useApi<MemberList>('/api/members');
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const number = item.callbackNumber ?? item.customerNumber;
  async function act(path: string, body: object = {}) {
    setBusy(true);
    setError(null);
    try {
      await api(`/api/follow-ups/${item.callId}/${path}`, { method: 'POST', body });
      onChange();
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <div className="follow-up-actions">
      {number && (
        <a className="button" href={`tel:${number}`}>
          Call back
        </a>
      )}
      {number && sms && (
        <a className="button" href={`sms:${number}`}>
          Text back
        </a>
      )}
      {item.status === 'open' ? (
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            void act('done', note.trim() ? { note: note.trim() } : {});
          }}
        >
          <label className="visually-hidden" htmlFor={`note-${item.callId}`}>
            Note
          </label>
          <input id={`note-${item.callId}`} placeholder="Note (optional)" value={note} maxLength={LIMITS.followUpNote} onChange={(e) => setNote(e.target.value)} />
          <button type="submit" className="button button-primary" disabled={busy}>
            Mark done
          </button>
        </form>
      ) : (
        <button type="button" className="button" disabled={busy} onClick={() => act('reopen')}>
          Reopen
        </button>
      )}
      <label className="visually-hidden" htmlFor={`assign-${item.callId}`}>
        Assign to
      </label>
      <select id={`assign-${item.callId}`} value={item.assignedTo ?? ''} disabled={busy || !members.data} onChange={(e) => e.target.value && act('assign', { userId: e.target.value })}>
        <option value="">Assign…</option>
        {members.data?.members.map((m) => (
          <option key={m.id} value={m.id}>
            {m.name}
          </option>
        ))}
      </select>
      {error && <p className="error small">{error}</p>}
    </div>
  );
}

