import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { isPromptSection } from '../../../../src/domain/prompt';
import { api } from '../../api';
import { formatDateTime, humanize } from '../../format';
import { PROMPT_PATHS, useApi } from '../../hooks';
import type { Prompt, PromptVersion } from '../../types';
import { Card } from '../Card';
import { ErrorNote } from '../ErrorNote';
import { Loading } from '../Loading';
import { PlanNote } from '../PlanNote';
import { LineDiff } from './LineDiff';
import { SECTION_LABELS } from './PromptView';

const REASONS: Record<string, string> = {
  initial: 'First version',
  edit: 'Edited by hand',
  restore: 'Restored an earlier version',
  regenerate: 'Rewritten with AI',
  name: 'Name changed',
  'first-message': 'Greeting changed',
};

/** A version's reason is one of REASONS, or the sections a setting rewrote ("hours" or "context,hours"). */
function describe(reason: string): string {
  const keys = reason.split(',');
  if (!keys.every(isPromptSection)) return REASONS[reason] ?? humanize(reason);
  return `${keys.map((k) => SECTION_LABELS[k].split(' · ')[0]).join(' & ')} updated`;
}

/** Every saved prompt, newest first; pick one to see what restoring it would change. */
export function VersionHistory({ prompt }: { prompt: Prompt }) {
  const versions = useApi<{ versions: PromptVersion[] }>('/api/prompt/versions');
  const [selected, setSelected] = useState<string | null>(null);
  const queryClient = useQueryClient();
  const restore = useMutation({
    mutationFn: (id: string) => api(`/api/prompt/versions/${id}/restore`, { method: 'POST' }),
    onSuccess: async () => {
      setSelected(null);
      await Promise.all(PROMPT_PATHS.map((p) => queryClient.invalidateQueries({ queryKey: [p] })));
    },
  });

  if (versions.isPending) return <Loading label="Loading history…" />;
  if (versions.isError) return <ErrorNote error={versions.error} />;
  const list = versions.data.versions;
  const chosen = list.find((v) => v.id === selected);

  return (
    <Card
      id="history"
      title="Prompt history"
      description="Every change is kept. Compare a version with the current prompt and restore it."
      aside={!prompt.canEdit && <PlanNote feature="editPrompt" />}
    >
      {list.length === 0 ? (
        <p className="empty">No changes yet.</p>
      ) : (
        <div className="history">
          <ol className="versions">
            {list.map((v, i) => {
              // The newest version is the prompt in force.
              const current = i === 0 && v.systemPrompt === prompt.systemPrompt;
              return (
                <li key={v.id}>
                  <button type="button" className={`version${selected === v.id ? ' version-on' : ''}`} aria-pressed={selected === v.id} onClick={() => setSelected(v.id)}>
                    <strong>{describe(v.reason)}</strong>
                    <span className="muted small">{formatDateTime(v.createdAt)}</span>
                    {current && <span className="badge">Current</span>}
                  </button>
                </li>
              );
            })}
          </ol>
          <div className="version-diff">
            {chosen ? (
              <>
                <div className="card-actions">
                  <span className="muted small">Changes from the current prompt to this version</span>
                  {prompt.canEdit && chosen.systemPrompt !== prompt.systemPrompt && (
                    <button type="button" className="button button-primary" onClick={() => restore.mutate(chosen.id)} disabled={restore.isPending}>
                      {restore.isPending ? 'Restoring…' : 'Restore this version'}
                    </button>
                  )}
                </div>
                <ErrorNote error={restore.error} />
                <LineDiff before={prompt.systemPrompt} after={chosen.systemPrompt} />
              </>
            ) : (
              <p className="muted">Select a version to compare it with the current prompt.</p>
            )}
          </div>
        </div>
      )}
      {restore.isSuccess && (
        <p className="note note-success" role="status">
          Version restored.
        </p>
      )}
    </Card>
  );
}
