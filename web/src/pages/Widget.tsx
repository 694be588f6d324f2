import { useState, type FormEvent } from 'react';
import { LIMITS } from '../../../src/domain/limits';
import { useMutation } from '@tanstack/react-query';
import { api, ApiError, fieldErrorsOf } from '../api';
import { Card } from '../components/Card';
import { ConfirmButton } from '../components/ConfirmButton';
import { CopyButton, SecretBox } from '../components/CopyButton';
import { ErrorNote } from '../components/ErrorNote';
import { TextAreaField, TextField } from '../components/Field';
import { Loading } from '../components/Loading';
import { PlanNote } from '../components/PlanNote';
import { SaveBar } from '../components/SaveBar';
import { formatDateTime, formatShortDate } from '../format';
import { useApi, useInvalidate, useIsManager, useTitle } from '../hooks';
import type { CreatedEmbedToken, EmbedToken } from '../types';
import { DataTable } from '../components/DataTable';
import { widgetSnippet } from '../widget-snippet';

const TOKENS_PATH = '/api/embed-token';

/** What a business pastes into its pages; `async` keeps the page from waiting for it. */
const snippet = (token: string) => widgetSnippet(window.location.origin, token);

/** "a.com, b.com" or one per line → the list the API wants. */
const parseDomains = (text: string) =>
  text
    .split(/[\s,]+/)
    .map((d) => d.trim())
    .filter(Boolean);

function CreateToken({ onCreated }: { onCreated: (t: CreatedEmbedToken) => void }) {
  const invalidate = useInvalidate();
  const [label, setLabel] = useState('');
  const [domains, setDomains] = useState('');
  const create = useMutation({
    mutationFn: () => api<CreatedEmbedToken>(TOKENS_PATH, { method: 'POST', body: { ...(label.trim() && { label: label.trim() }), allowedDomains: parseDomains(domains) } }),
    onSuccess: (t) => {
      setLabel('');
      setDomains('');
      onCreated(t);
      return invalidate(TOKENS_PATH);
    },
  });
  const errors = fieldErrorsOf(create.error);
  // Per-domain problems come back as allowedDomains.0, allowedDomains.1…: show them together.
  const domainErrors = Object.entries(errors)
    .filter(([k]) => k.startsWith('allowedDomains'))
    .map(([, m]) => m)
    .join(' ');
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <form onSubmit={onSubmit} className="stack">
      <TextAreaField
        label="Websites allowed to use it"
        rows={2}
        required
        placeholder={'mysite.com\n*.mysite.com'}
        value={domains}
        onChange={(e) => setDomains(e.target.value)}
        hint="One per line: mysite.com (also its http and https pages), *.mysite.com for subdomains, localhost:5173 for testing."
        error={domainErrors || undefined}
      />
      <TextField label="Label (optional)" maxLength={LIMITS.embedTokenLabel} placeholder="Main website" value={label} onChange={(e) => setLabel(e.target.value)} error={errors.label} />
      <SaveBar mutation={{ ...create, isSuccess: false }} label="Create embed token" disabled={parseDomains(domains).length === 0} />
    </form>
  );
}

function TokenList({ tokens, manager }: { tokens: EmbedToken[]; manager: boolean }) {
  const invalidate = useInvalidate();
  const revoke = useMutation({
    mutationFn: (id: string) => api(`${TOKENS_PATH}?id=${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSuccess: () => invalidate(TOKENS_PATH),
  });
  if (tokens.length === 0) return <p className="empty">No embed tokens yet.</p>;
  return (
    <>
      <DataTable columns={[{ label: 'Label' }, { label: 'Token' }, { label: 'Allowed on' }, { label: 'Last used', className: 'col-optional' }, { label: 'Actions', hidden: true }]}>
        {tokens.map((t) => (
          <tr key={t.id}>
            <td>
              <strong>{t.label}</strong>
              <span className="muted small block">created {formatShortDate(t.createdAt)}</span>
            </td>
            <td>
              <code>{t.tokenPrefix}…</code>
            </td>
            <td>
              {t.allowedDomains.map((d) => (
                <code key={d} className="domain">
                  {d}
                </code>
              ))}
            </td>
            <td className="nowrap col-optional">{t.lastUsedAt ? formatDateTime(t.lastUsedAt) : 'Never'}</td>
            <td className="actions">
              {manager && (
                <ConfirmButton
                  label="Revoke"
                  question={`Revoke ${t.label}? The widget stops working on those sites.`}
                  confirmLabel="Yes, revoke"
                  onConfirm={() => revoke.mutate(t.id)}
                  pending={revoke.isPending && revoke.variables === t.id}
                />
              )}
            </td>
          </tr>
        ))}
      </DataTable>
      <ErrorNote error={revoke.error} />
    </>
  );
}

export function Widget() {
  useTitle('Website widget');
  const tokens = useApi<{ tokens: EmbedToken[] }>(TOKENS_PATH);
  const manager = useIsManager();
  const [created, setCreated] = useState<CreatedEmbedToken | null>(null);
  const planGate = tokens.error instanceof ApiError && tokens.error.code === 'PLAN_REQUIRED';

  return (
    <>
      <header className="page-header">
        <h1>Website widget</h1>
        <p className="muted">A “Call us” button on your website: visitors talk to your assistant from the browser, no phone needed.</p>
      </header>
      {planGate ? (
        <Card id="tokens" title="Embed tokens" aside={<PlanNote feature="embedWidget" />}>
          <ErrorNote error={tokens.error} />
        </Card>
      ) : (
        <>
          <Card id="tokens" title="Embed tokens" description="A token lets the widget call your assistant, only from the websites you list.">
            {created && (
              <div className="note note-success stack" role="status">
                <strong>Copy your token “{created.label}” now: it is shown only this once.</strong>
                <SecretBox value={created.token} label="New embed token" />
                <span>Paste this into every page that should show the button, just before &lt;/body&gt;:</span>
                <SecretBox value={snippet(created.token)} label="Snippet with the new token" />
              </div>
            )}
            {tokens.isPending && <Loading />}
            {tokens.isError && <ErrorNote error={tokens.error} />}
            {tokens.data && <TokenList tokens={tokens.data.tokens} manager={manager} />}
            {manager && (
              <>
                <h3>New token</h3>
                <CreateToken onCreated={setCreated} />
              </>
            )}
          </Card>
          <Card id="snippet" title="Add it to your website" description="Paste before </body> on each page, with your token in place of ept_…">
            <pre className="snippet">
              <code>{snippet('ept_…')}</code>
            </pre>
            <div>
              <CopyButton text={snippet('ept_…')} label="Copy snippet" />
            </div>
            <p className="muted small">
              Options: <code>data-label=&quot;Talk to us&quot;</code> changes the button text, <code>data-position=&quot;left&quot;</code> puts it bottom-left.
            </p>
          </Card>
        </>
      )}
    </>
  );
}
