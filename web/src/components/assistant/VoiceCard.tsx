import { useRef, useState, type FormEvent } from 'react';
import { PROMPT_PATHS, useApi, useSave } from '../../hooks';
import type { CatalogVoice, Voice } from '../../types';
import { Card } from '../Card';
import { ErrorNote } from '../ErrorNote';
import { Loading } from '../Loading';
import { PlanNote } from '../PlanNote';
import { SaveBar } from '../SaveBar';

/** Voice cards with a preview each; one <audio> plays whichever preview was asked for. */
export function VoiceCard({ data }: { data: Voice }) {
  const catalog = useApi<CatalogVoice[]>('/api/voice/catalog');
  const [voiceId, setVoiceId] = useState(data.voiceId);
  const [playing, setPlaying] = useState<string | null>(null);
  const audio = useRef<HTMLAudioElement>(null);
  const save = useSave<{ voiceId: string; voiceName?: string }>('/api/voice', 'PUT', PROMPT_PATHS);

  function preview(v: CatalogVoice) {
    const el = audio.current;
    if (!el) return;
    if (playing === v.id) {
      el.pause();
      setPlaying(null);
      return;
    }
    el.src = v.previewUrl;
    el.play().then(
      () => setPlaying(v.id),
      () => setPlaying(null),
    );
  }

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const voice = catalog.data?.find((v) => v.id === voiceId);
    if (voice) save.mutate({ voiceId: voice.id, voiceName: voice.name });
  };

  return (
    <Card
      id="voice"
      title="Voice"
      description={`Currently ${data.voiceName}. Play a preview to hear each voice.`}
      aside={!data.canEdit && <PlanNote feature="editVoice" />}
    >
      {catalog.isPending && <Loading label="Loading voices…" />}
      <ErrorNote error={catalog.error} />
      {catalog.data && (
        <form onSubmit={onSubmit} className="stack">
          <fieldset className="voices">
            <legend className="visually-hidden">Voice</legend>
            {catalog.data.map((v) => (
              <div key={v.id} className={`voice${voiceId === v.id ? ' voice-on' : ''}`}>
                <label>
                  <input type="radio" name="voice" value={v.id} checked={voiceId === v.id} onChange={() => setVoiceId(v.id)} disabled={!data.canEdit} />
                  <span>
                    <strong>{v.name}</strong> <span className="muted small">{v.gender}</span>
                    <span className="muted small voice-desc">{v.desc}</span>
                  </span>
                </label>
                {v.previewUrl && (
                  <button
                    type="button"
                    className="button button-small"
                    onClick={() => preview(v)}
                    aria-pressed={playing === v.id}
                    aria-label={`${playing === v.id ? 'Stop' : 'Play'} preview of ${v.name}`}
                  >
                    {playing === v.id ? '■ Stop' : '▶ Preview'}
                  </button>
                )}
              </div>
            ))}
          </fieldset>
          {data.canEdit && <SaveBar mutation={save} disabled={!voiceId || voiceId === data.voiceId} />}
        </form>
      )}
      <audio ref={audio} onEnded={() => setPlaying(null)} onError={() => setPlaying(null)} hidden />
    </Card>
  );
}
