import type { FormEvent } from 'react';
import { useApi } from '../../hooks';
import type { CatalogVoice } from '../../types';
import { ErrorNote } from '../ErrorNote';
import { Loading } from '../Loading';
import { VoicePicker } from '../VoicePicker';
import type { WizardAnswers } from './answers';

/** Step 3: the voice callers hear; its name becomes the assistant's name. */
export function VoiceStep({
  voice,
  onVoice,
  onBack,
  onNext,
  saving,
  error,
}: {
  voice: WizardAnswers['voice'];
  onVoice: (v: CatalogVoice) => void;
  onBack: () => void;
  onNext: () => void;
  saving: boolean;
  error: unknown;
}) {
  const catalog = useApi<CatalogVoice[]>('/api/voice/catalog');
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    onNext();
  };
  return (
    <form onSubmit={onSubmit} className="stack">
      <div>
        <h1>Pick a voice</h1>
        <p className="muted">Play a few previews. The voice&apos;s name becomes your assistant&apos;s name; you can change both later.</p>
      </div>
      {catalog.isPending && <Loading label="Loading voices…" />}
      <ErrorNote error={catalog.error} />
      {catalog.data && <VoicePicker voices={catalog.data} value={voice?.id ?? null} onChange={onVoice} />}
      <ErrorNote error={error} />
      <div className="wizard-actions">
        <button type="button" className="button button-quiet" onClick={onBack}>
          ← Back
        </button>
        <button type="submit" className="button button-primary" disabled={!voice || saving}>
          {saving ? 'Saving…' : voice ? `Continue with ${voice.name}` : 'Pick a voice to continue'}
        </button>
      </div>
    </form>
  );
}
