import { useState } from 'react';
import { Link } from 'react-router';
import { useMutation } from '@tanstack/react-query';
import { api, ApiError } from '../api';
import { Card } from '../components/Card';
import { ErrorNote } from '../components/ErrorNote';
import { AddSection } from '../components/knowledge/AddSection';
import { KB_PATH, SectionCard } from '../components/knowledge/SectionCard';
import { UploadCard } from '../components/knowledge/UploadCard';
import { Loading } from '../components/Loading';
import { PlanNote, UpgradeNote } from '../components/PlanNote';
import { PROMPT_PATHS, useApi, useInvalidate, useIsManager, useTitle } from '../hooks';
import type { KbRefresh, KnowledgeBase as KnowledgeBaseData } from '../types';

/** "Re-read website": the server re-reads the pages and re-uploads only when the text changed. */
function RefreshWebsite() {
  const invalidate = useInvalidate();
  const refresh = useMutation({
    mutationFn: () => api<KbRefresh>(`${KB_PATH}/refresh`, { method: 'POST' }),
    onSuccess: (r) => (r.uploaded ? invalidate(KB_PATH, ...PROMPT_PATHS) : undefined),
  });
  const r = refresh.data;
  return (
    <div className="refresh">
      <button type="button" className="button" onClick={() => refresh.mutate()} disabled={refresh.isPending}>
        {refresh.isPending ? 'Reading your website…' : '↻ Re-read website'}
      </button>
      {r && (
        <span className="muted small" role="status">
          Checked {r.pagesChecked} page{r.pagesChecked === 1 ? '' : 's'}: {r.pagesChanged ? `${r.pagesChanged} changed, knowledge ${r.uploaded ? 'updated' : 'unchanged'}` : 'nothing changed'}
          {r.errors ? ` · ${r.errors} could not be read` : ''}.
        </span>
      )}
      <ErrorNote error={refresh.error} />
    </div>
  );
}

export function KnowledgeBase() {
  useTitle('Knowledge base');
  const kb = useApi<KnowledgeBaseData>(KB_PATH);
  const manager = useIsManager();
  const [adding, setAdding] = useState(false);

  const header = (
    <header className="page-header">
      <h1>Knowledge base</h1>
      <p className="muted">What your assistant looks up while it talks: services, prices, policies, answers to common questions.</p>
    </header>
  );
  if (kb.isPending) return <Loading />;
  if (kb.isError) {
    const noAssistant = kb.error instanceof ApiError && kb.error.status === 404;
    return (
      <>
        {header}
        {noAssistant ? (
          <p className="note note-info">
            Your assistant is not set up yet. <Link to="/onboarding">Finish setup</Link> and your website becomes its first section.
          </p>
        ) : (
          <ErrorNote error={kb.error} />
        )}
      </>
    );
  }
  const { sections, canEdit } = kb.data;
  const hasWebsite = sections.some((s) => s.key === 'website');

  return (
    <>
      {header}
      {!canEdit && (
        <UpgradeNote feature="knowledgeBase">
          Adding and editing sections comes with the <PlanNote feature="knowledgeBase" />.
        </UpgradeNote>
      )}
      <Card
        id="sections"
        title={`${sections.length} section${sections.length === 1 ? '' : 's'}`}
        description="Each section is a document your assistant searches when a caller asks something."
        aside={canEdit && manager && hasWebsite && <RefreshWebsite />}
      >
        {sections.length === 0 && !adding && <p className="empty">No sections yet. Add your FAQs or prices, or upload a document below.</p>}
        <div className="kb-sections">
          {sections.map((s) => (
            <SectionCard key={`${s.key}:${s.updatedAt}`} section={s} canEdit={canEdit} />
          ))}
        </div>
        {canEdit &&
          (adding ? (
            <AddSection existing={sections.map((s) => s.key)} onDone={() => setAdding(false)} />
          ) : (
            <div>
              <button type="button" className="button button-primary" onClick={() => setAdding(true)}>
                + Add a section
              </button>
            </div>
          ))}
      </Card>
      <UploadCard canEdit={canEdit} />
    </>
  );
}
