import { useState, type FormEvent } from 'react';
import { LIMITS } from '../../../../src/domain/limits';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, fieldErrorsOf } from '../../api';
import { PROMPT_PATHS, useSave } from '../../hooks';
import type { Prompt } from '../../types';
import { Card } from '../Card';
import { ErrorNote } from '../ErrorNote';
import { TextAreaField } from '../Field';
import { PlanGate } from '../PlanNote';
import { SaveBar } from '../SaveBar';
import { PromptView } from './PromptView';

/** The system prompt: read with its managed sections marked; edit as text with a live preview. */
export function PromptCard({ data }: { data: Prompt }) {
  const [draft, setDraft] = useState<string | null>(null);
  const queryClient = useQueryClient();
  const save = useSave<{ systemPrompt: string }>('/api/prompt', 'PUT', PROMPT_PATHS);
  const regenerate = useMutation({
    mutationFn: () => api('/api/prompt/regenerate', { method: 'POST', body: { sections: ['persona', 'context'] } }),
    onSuccess: () => Promise.all(PROMPT_PATHS.map((p) => queryClient.invalidateQueries({ queryKey: [p] }))),
  });

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (draft !== null) save.mutate({ systemPrompt: draft }, { onSuccess: () => setDraft(null) });
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
            setDraft(data.systemPrompt);
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
      description="Boxed parts are managed: your settings rewrite them. Everything else is yours and is kept as you wrote it."
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
          <div className="prompt-edit">
            <TextAreaField
              label="Prompt text"
              className="mono"
              rows={20}
              maxLength={LIMITS.systemPrompt}
              value={draft}
              onChange={(e) => setDraft(e.target.value)}
              hint={
                <>
                  Keep the <code>&lt;!-- section:… --&gt;</code> markers: a managed section you delete comes back on save.
                </>
              }
              error={fieldErrorsOf(save.error).systemPrompt}
            />
            <div>
              <span className="field-label">Preview</span>
              <PromptView prompt={draft} />
            </div>
          </div>
          <div className="save-row">
            <SaveBar mutation={save} disabled={draft === data.systemPrompt} label="Save prompt" />
            <button type="button" className="button button-quiet" onClick={() => setDraft(null)}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </Card>
  );
}
