import { useRef, useState } from 'react';
import type { CatalogVoice } from '../types';

/**
 * The voice catalog as radio cards, each with a preview button; one <audio> plays
 * whichever preview was asked for, so two never talk at once.
 */
export function VoicePicker({
  voices,
  value,
  onChange,
  disabled,
}: {
  voices: CatalogVoice[];
  value: string | null;
  onChange: (voice: CatalogVoice) => void;
  disabled?: boolean;
}) {
  const [playing, setPlaying] = useState<string | null>(null);
  const audio = useRef<HTMLAudioElement>(null);

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

  return (
    <>
      <fieldset className="voices">
        <legend className="visually-hidden">Voice</legend>
        {voices.map((v) => (
          <div key={v.id} className={`voice${value === v.id ? ' voice-on' : ''}`}>
            <label>
              <input type="radio" name="voice" value={v.id} checked={value === v.id} onChange={() => onChange(v)} disabled={disabled} />
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
      <audio ref={audio} onEnded={() => setPlaying(null)} onError={() => setPlaying(null)} hidden />
    </>
  );
}
