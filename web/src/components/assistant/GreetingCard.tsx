import { useState, type FormEvent } from 'react';
import { LIMITS } from '../../../../src/domain/limits';
import { fieldErrorsOf } from '../../api';
import { useSave } from '../../hooks';
import type { FirstMessage, FirstMessageMode } from '../../types';
import { Card } from '../Card';
import { TextAreaField } from '../Field';
import { RadioChoices, type Choice } from '../RadioChoices';
import { SaveBar } from '../SaveBar';

const MODES: Record<FirstMessageMode, Choice> = {
  'assistant-speaks-first': { label: 'Greet the caller', hint: 'The assistant answers with the greeting below.' },
  'assistant-speaks-first-with-model-generated-message': {
    label: 'Greet with a generated line',
    hint: 'The assistant opens with a greeting it writes for each call.',
  },
  'assistant-waits-for-user': { label: 'Wait for the caller', hint: 'The assistant listens until the caller speaks.' },
};

export function GreetingCard({ data }: { data: FirstMessage }) {
  const [mode, setMode] = useState(data.mode);
  const [firstMessage, setFirstMessage] = useState(data.firstMessage);
  const save = useSave<{ mode: FirstMessageMode; firstMessage?: string }>('/api/first-message-mode');
  const needsMessage = mode === 'assistant-speaks-first';
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate({ mode, ...(firstMessage.trim() ? { firstMessage } : {}) });
  };
  return (
    <Card id="greeting" title="Greeting" description="How a call starts.">
      <form onSubmit={onSubmit} className="stack">
        <RadioChoices legend="Greeting mode" name="mode" options={MODES} value={mode} onChange={setMode} />
        {needsMessage && (
          <TextAreaField
            label="Greeting"
            rows={2}
            required
            maxLength={LIMITS.firstMessage}
            value={firstMessage}
            onChange={(e) => setFirstMessage(e.target.value)}
            error={fieldErrorsOf(save.error).firstMessage}
          />
        )}
        <SaveBar mutation={save} />
      </form>
    </Card>
  );
}
