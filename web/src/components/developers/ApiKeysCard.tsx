import { useState, type FormEvent } from 'react';
import { useMutation } from '@tanstack/react-query';
import { LIMITS } from '../../../../src/domain/limits';
import { api, fieldErrorsOf } from '../../api';
import { Card } from '../Card';
import { ConfirmButton } from '../ConfirmButton';
import { SecretBox } from '../CopyButton';
import { DataTable } from '../DataTable';
import { ErrorNote } from '../ErrorNote';
import { TextField } from '../Field';
import { Loading } from '../Loading';
import { SaveBar } from '../SaveBar';
import { formatDateTime, formatShortDate } from '../../format';
import { useApi, useInvalidate } from '../../hooks';
import type { ApiKey, CreatedApiKey } from '../../types';

const KEYS_PATH = '/api/api-keys';

/** The organization's API keys (owner only): create one (shown once), see when each was last used, revoke. */
export function ApiKeysCard() {
  const keys = useApi<{ keys: ApiKey[] }>(KEYS_PATH);
  const invalidate = useInvalidate();
  const [label, setLabel] = useState('');
  const [expires, setExpires] = useState('');
  const create = useMutation({
    mutationFn: () =>
      api<CreatedApiKey>(KEYS_PATH, {
        method: 'POST',
        body: { label, ...(expires && { expiresAt: new Date(`${expires}T23:59:59`).toISOString() }) },
      }),
    onSuccess: () => {
      setLabel('');
      setExpires('');
      return invalidate(KEYS_PATH);
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => api(`${KEYS_PATH}/${id}`, { method: 'DELETE' }),
    onSuccess: () => invalidate(KEYS_PATH),
  });
  const errors = fieldErrorsOf(create.error);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);

  return (
    <Card id="api-keys" title="API keys" description="For your own software to use the Epoch Voice API. Anyone with a key acts as your organization: keep keys secret.">
      {create.data && (
        <div className="note note-success stack" role="status">
          <strong>Copy your new key “{create.data.label}” now: it is shown only this once.</strong>
          <SecretBox value={create.data.key} label="New API key" />
        </div>
      )}
      {keys.isPending && <Loading />}
      <ErrorNote error={keys.error} />
      {keys.data &&
        (keys.data.keys.length === 0 ? (
          <p className="empty">No API keys.</p>
        ) : (
          <DataTable columns={[{ label: 'Label' }, { label: 'Key' }, { label: 'Last used', className: 'col-optional' }, { label: 'Expires', className: 'col-optional' }, { label: 'Actions', hidden: true }]}>
            {keys.data.keys.map((k) => (
              <tr key={k.id}>
                <td>
                  <strong>{k.label}</strong>
                  <span className="muted small block">created {formatShortDate(k.createdAt)}</span>
                </td>
                <td>
                  <code>{k.prefix}…</code>
                </td>
                <td className="nowrap col-optional">{k.lastUsedAt ? formatDateTime(k.lastUsedAt) : 'Never'}</td>
                <td className="nowrap col-optional">{k.expiresAt ? formatShortDate(k.expiresAt) : 'Never'}</td>
                <td className="actions">
                  <ConfirmButton
                    label="Revoke"
                    question={`Revoke ${k.label}? Software using it stops working.`}
                    confirmLabel="Yes, revoke"
                    onConfirm={() => revoke.mutate(k.id)}
                    pending={revoke.isPending && revoke.variables === k.id}
                  />
                </td>
              </tr>
            ))}
          </DataTable>
        ))}
      <ErrorNote error={revoke.error} />
      <form onSubmit={onSubmit} className="stack">
        <div className="row">
          <TextField label="Label" required maxLength={LIMITS.apiKeyLabel} placeholder="Booking system" value={label} onChange={(e) => setLabel(e.target.value)} error={errors.label} />
          <TextField label="Expires (optional)" type="date" min={tomorrow} value={expires} onChange={(e) => setExpires(e.target.value)} error={errors.expiresAt} />
        </div>
        <SaveBar mutation={{ ...create, isSuccess: false }} label="Create key" disabled={!label.trim()} />
      </form>
    </Card>
  );
}
