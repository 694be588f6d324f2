import { useState, type FormEvent } from 'react';
import { useApi, useSave } from '../../hooks';
import { Card } from '../Card';
import { ErrorNote } from '../ErrorNote';
import { TextField } from '../Field';
import { Loading } from '../Loading';
import { SaveBar } from '../SaveBar';

const PATH = '/api/privacy';
interface Privacy {
  transcriptRetentionDays: number | null;
  recordingRetentionDays: number | null;
  redactPii: boolean;
}
const days = (s: string) => (s.trim() === '' ? null : Number(s));

function PrivacyForm({ saved }: { saved: Privacy }) {
  const [transcripts, setTranscripts] = useState(saved.transcriptRetentionDays?.toString() ?? '');
  const [recordings, setRecordings] = useState(saved.recordingRetentionDays?.toString() ?? '');
  const [redact, setRedact] = useState(saved.redactPii);
  const save = useSave<Privacy>(PATH, 'PUT', [PATH]);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate({ transcriptRetentionDays: days(transcripts), recordingRetentionDays: days(recordings), redactPii: redact });
  };
  return (
    <form onSubmit={onSubmit} className="stack">
      <TextField label="Keep transcripts for (days)" hint="Leave empty to keep them." type="number" min={1} max={3650} value={transcripts} onChange={(e) => setTranscripts(e.target.value)} />
      <TextField label="Keep recordings for (days)" hint="Leave empty to keep them; 0 means calls are not recorded at all." type="number" min={0} max={3650} value={recordings} onChange={(e) => setRecordings(e.target.value)} />
      <label>
        <input type="checkbox" checked={redact} onChange={(e) => setRedact(e.target.checked)} /> Hide card numbers, social security numbers and dates of birth in transcripts and summaries
      </label>
      <SaveBar mutation={save} />
    </form>
  );
}

/** How long what callers said is kept, and whether sensitive numbers are hidden before it is stored. */
export function PrivacyCard() {
  const current = useApi<Privacy>(PATH);
  return (
    <Card
      id="privacy"
      title="Privacy"
      description="Older transcripts and recordings are deleted every night; the call itself and its minutes stay on your bill. Hidden numbers are replaced by [redacted] before anything is saved or sent."
    >
      {current.isPending && <Loading />}
      <ErrorNote error={current.error} />
      {current.data && <PrivacyForm saved={current.data} />}
    </Card>
  );
}
