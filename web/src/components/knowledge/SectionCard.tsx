import { useState, type FormEvent } from 'react';
import { LIMITS } from '../../../../src/domain/limits';
import { useMutation } from '@tanstack/react-query';
import { api, fieldErrorsOf } from '../../api';
import { formatDateTime } from '../../format';
import { PROMPT_PATHS, useInvalidate, useSave } from '../../hooks';
import type { KbSection } from '../../types';
import { ConfirmButton } from '../ConfirmButton';
import { ErrorNote } from '../ErrorNote';
import { TextAreaField } from '../Field';
import { SaveBar } from '../SaveBar';

export const KB_PATH = '/api/kb';

/** One section: read it (folded when long), edit its text, or remove it. */
export function SectionCard({ section, canEdit }: { section: KbSection; canEdit: boolean }) {
  const [draft, setDraft] = useState<string | null>(null);
  const invalidate = useInvalidate();
  const save = useSave<{ sectionKey: string; text: string }>(KB_PATH, 'PUT', PROMPT_PATHS);
  const remove = useMutation({
    mutationFn: () => api(`${KB_PATH}?section=${encodeURIComponent(section.key)}`, { method: 'DELETE' }),
    onSuccess: () => invalidate(KB_PATH, ...PROMPT_PATHS),
  });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (draft !== null) save.mutate({ sectionKey: section.key, text: draft }, { onSuccess: () => setDraft(null) });
  };
  const headingId = `kb-${section.key}`;

  return (
    <article className="kb-section" aria-labelledby={headingId}>
      <header className="kb-section-header">
        <div>
          <h3 id={headingId}>{section.label}</h3>
          <span className="muted small">
            <code>{section.key}</code> · {section.fileName} · updated {formatDateTime(section.updatedAt)} · {section.text.length.toLocaleString()} characters
          </span>
        </div>
        {canEdit && draft === null && (
          <div className="card-actions">
            <button
              type="button"
              className="button button-small"
              onClick={() => {
                save.reset();
                setDraft(section.text);
              }}
            >
              Edit
            </button>
            <ConfirmButton label="Delete" question={`Delete ${section.label}?`} confirmLabel="Yes, delete" onConfirm={() => remove.mutate()} pending={remove.isPending} />
          </div>
        )}
      </header>
      <ErrorNote error={remove.error} />
      {draft === null ? (
        <>
          <p className="kb-preview">{section.text.slice(0, 400).replace(/\s+/g, ' ')}</p>
          {(section.text.length > 160 || section.text.includes('\n')) && (
            <details className="kb-text">
              <summary>Show the full text</summary>
              <p className="prompt-text">{section.text}</p>
            </details>
          )}
        </>
      ) : (
        <form onSubmit={onSubmit} className="stack">
          <TextAreaField
            label={`${section.label} text`}
            rows={12}
            maxLength={LIMITS.kbSectionText}
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            error={fieldErrorsOf(save.error).text}
          />
          <div className="save-row">
            <SaveBar mutation={save} disabled={!draft.trim() || draft === section.text} />
            <button type="button" className="button button-quiet" onClick={() => setDraft(null)}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </article>
  );
}
