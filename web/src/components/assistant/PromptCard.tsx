import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api';
import { PROMPT_PATHS, useSave } from '../../hooks';
import type { Prompt } from '../../types';
import { Card } from '../Card';
import { ErrorNote } from '../ErrorNote';
import { parsePrompt, renderPrompt, type PromptPart } from '../../../../src/domain/prompt';
import { PlanGate } from '../PlanNote';
import { SaveBar } from '../SaveBar';
import { editableParts, partsToSave, PromptFields } from './PromptFields';
import { PromptView } from './PromptView';

/** The system prompt: read with its managed sections boxed; edited as one labelled field per part, saved in the server's marked format. */
export function PromptCard({ data }: { data: Prompt }) {
  const [draft, setDraft] = useState<PromptPart[] | null>(null);
  const text = draft && renderPrompt(partsToSave(draft));
  const queryClient = useQueryClient();
  const save = useSave<{ systemPrompt: string }>('/api/prompt', 'PUT', PROMPT_PATHS);
  const regenerate = useMutation({
    mutationFn: () => api('/api/prompt/regenerate', { method: 'POST', body: { sections: ['persona', 'context'] } }),
    onSuccess: () => Promise.all(PROMPT_PATHS.map((p) => queryClient.invalidateQueries({ queryKey: [p] }))),
  });

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (text !== null) save.mutate({ systemPrompt: text }, { onSuccess: () => setDraft(null) });
  };

  const actions = data.canEdit ? (
    draft === null && (
      <div className="card-actions">
        <button type="button" className="button" onClick={() => regenerate.mutate()} disabled={regenerate.isPending}>
          {regenerate.isPending ? 'Rewriting…' : 'Rewrite persona & context with AI'}
        </button>
        <button
          type="button"
          className="button button-primary"
          onClick={() => {
            save.reset();
            setDraft(editableParts(parsePrompt(data.systemPrompt)));
          }}
        >
          Edit prompt
        </button>
      </div>
    )
  ) : (
    <PlanGate feature="editPrompt" />
  );

  return (
    <Card
      id="prompt"
      title="Instructions (system prompt)"
      description="Managed parts are rewritten when you change the settings they come from. Your own instructions are kept as you wrote them."
      aside={actions}
    >
      <ErrorNote error={regenerate.error} />
      {save.isSuccess && draft === null && (
        <p className="note note-success" role="status">
          Prompt saved.
        </p>
      )}
      {draft === null ? (
        <PromptView prompt={data.systemPrompt} />
      ) : (
        <form onSubmit={onSubmit} className="stack">
          <PromptFields parts={draft} onChange={setDraft} />
          <div className="save-row">
            <SaveBar mutation={save} disabled={text === data.systemPrompt} label="Save prompt" />
            <button type="button" className="button button-quiet" onClick={() => setDraft(null)}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </Card>
  );
}
