import { useState, type FormEvent } from 'react';
import { PROMPT_PATHS, useApi, useSave } from '../../hooks';
import type { CatalogVoice, Voice } from '../../types';
import { Card } from '../Card';
import { ErrorNote } from '../ErrorNote';
import { Loading } from '../Loading';
import { PlanGate } from '../PlanNote';
import { SaveBar } from '../SaveBar';
import { VoicePicker } from '../VoicePicker';

/** The assistant's voice, picked from the catalog with a preview each. */
export function VoiceCard({ data }: { data: Voice }) {
  const catalog = useApi<CatalogVoice[]>('/api/voice/catalog');
  const [voiceId, setVoiceId] = useState(data.voiceId);
  const save = useSave<{ voiceId: string; voiceName?: string }>('/api/voice', 'PUT', PROMPT_PATHS);

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
      aside={!data.canEdit && <PlanGate feature="editVoice" />}
    >
      {catalog.isPending && <Loading label="Loading voices…" />}
      <ErrorNote error={catalog.error} />
      {catalog.data && (
        <form onSubmit={onSubmit} className="stack">
          <VoicePicker voices={catalog.data} value={voiceId} onChange={(v) => setVoiceId(v.id)} disabled={!data.canEdit} />
          {data.canEdit && <SaveBar mutation={save} disabled={!voiceId || voiceId === data.voiceId} />}
        </form>
      )}
    </Card>
  );
}
