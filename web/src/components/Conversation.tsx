import { formatDuration } from '../format';
import type { CallMessage } from '../types';

type Speaker = 'assistant' | 'caller';
interface Turn {
  speaker: Speaker;
  text: string;
  at?: number;
}

/** VAPI's roles: "bot"/"assistant" is ours, "user" the caller; system and tool messages are not speech. */
const SPEAKER: Record<string, Speaker> = { bot: 'assistant', assistant: 'assistant', user: 'caller' };

function turnsFromMessages(messages: CallMessage[]): Turn[] {
  return messages.flatMap((m) => {
    const speaker = SPEAKER[m.role ?? ''];
    return speaker && m.message ? [{ speaker, text: m.message, at: m.secondsFromStart }] : [];
  });
}

/** The plain transcript ("AI: …\nUser: …") when a call has no structured messages. */
function turnsFromTranscript(transcript: string): Turn[] {
  return transcript
    .split('\n')
    .map((line) => /^(AI|Assistant|Bot|User|Customer|Caller):\s*(.*)$/i.exec(line.trim()))
    .flatMap((m) => (m && m[2] ? [{ speaker: /^(user|customer|caller)$/i.test(m[1]!) ? 'caller' : 'assistant', text: m[2] } as Turn] : []));
}

/** A call's transcript as a chat: the assistant on the left, the caller on the right. */
export function Conversation({ messages, transcript, assistantName }: { messages: CallMessage[]; transcript: string | null; assistantName: string }) {
  const turns = messages.length ? turnsFromMessages(messages) : turnsFromTranscript(transcript ?? '');
  if (!turns.length) {
    return transcript ? <pre className="transcript">{transcript}</pre> : <p className="empty">No transcript for this call.</p>;
  }
  return (
    <ol className="conversation">
      {turns.map((t, i) => (
        <li key={i} className={`turn turn-${t.speaker}`}>
          <span className="turn-who">
            {t.speaker === 'assistant' ? assistantName : 'Caller'}
            {t.at !== undefined && <span className="muted"> · {formatDuration(t.at)}</span>}
          </span>
          <p className="bubble">{t.text}</p>
        </li>
      ))}
    </ol>
  );
}
