import { useState, type FormEvent } from 'react';
import { LIMITS } from '../../../../src/domain/limits';
import { fieldErrorsOf } from '../../api';
import { PROMPT_PATHS, USAGE_PATH, useSave } from '../../hooks';
import type { AssistantName } from '../../types';
import { Card } from '../Card';
import { TextField } from '../Field';
import { PlanGate } from '../PlanNote';
import { SaveBar } from '../SaveBar';

export function NameCard({ data }: { data: AssistantName }) {
  const [name, setName] = useState(data.name);
  // The name is spoken in the greeting and the persona section.
  const save = useSave<{ name: string }>('/api/assistant-name', 'PUT', [...PROMPT_PATHS, '/api/first-message-mode', USAGE_PATH]);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate({ name });
  };
  return (
    <Card id="name" title="Name" description="What your assistant calls itself on the phone." aside={!data.canEdit && <PlanGate feature="editAssistantName" />}>
      <form onSubmit={onSubmit} className="stack">
        <TextField
          label="Assistant name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          disabled={!data.canEdit}
          minLength={2}
          maxLength={LIMITS.assistantNameMax}
          required
          hint={`2–30 characters. Default: ${data.defaultName}.`}
          error={fieldErrorsOf(save.error).name}
        />
        {data.canEdit && <SaveBar mutation={save} disabled={name.trim() === data.name} />}
      </form>
    </Card>
  );
}
