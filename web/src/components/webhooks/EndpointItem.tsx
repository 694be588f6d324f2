import { useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { api } from '../../api';
import { formatShortDate } from '../../format';
import { useInvalidate } from '../../hooks';
import type { WebhookDelivery, WebhookEndpoint, WebhookEndpointWithSecret } from '../../types';
import { ConfirmButton } from '../ConfirmButton';
import { ErrorNote } from '../ErrorNote';
import { DeliveriesTable, DeliveryBadge, responseOf, useDeliveries } from './Deliveries';
import { ENDPOINTS_PATH, endpointPath, EVENT_LABELS } from './endpoints';
import { SecretNote } from './SecretNote';

function TestResult({ delivery }: { delivery: WebhookDelivery }) {
  const ok = delivery.status === 'delivered';
  return (
    <p className={`note ${ok ? 'note-success' : 'note-error'}`} role="status">
      {ok ? 'Test event delivered' : 'Test event failed'}: {responseOf(delivery)}.
    </p>
  );
}

/** One endpoint: its events, on/off, test, secret rotation, removal and delivery log. */
export function EndpointItem({ endpoint, manager }: { endpoint: WebhookEndpoint; manager: boolean }) {
  const invalidate = useInvalidate();
  const path = endpointPath(endpoint.id);
  const deliveries = useDeliveries(endpoint.id);
  const [secret, setSecret] = useState<string | null>(null);
  const toggle = useMutation({
    mutationFn: (enabled: boolean) => api(path, { method: 'PATCH', body: { enabled } }),
    onSettled: () => invalidate(ENDPOINTS_PATH),
  });
  const test = useMutation({
    mutationFn: () => api<{ delivery: WebhookDelivery }>(`${path}/test`, { method: 'POST' }),
    onSettled: () => invalidate(`${path}/deliveries`),
  });
  const rotate = useMutation({
    mutationFn: () => api<WebhookEndpointWithSecret>(`${path}/rotate-secret`, { method: 'POST' }),
    onSuccess: (rotated) => {
      setSecret(rotated.secret);
      return invalidate(ENDPOINTS_PATH);
    },
  });
  const remove = useMutation({
    mutationFn: () => api(path, { method: 'DELETE' }),
    onSuccess: () => invalidate(ENDPOINTS_PATH),
  });
  const last = deliveries.data?.pages[0]?.deliveries[0];
  const enabled = toggle.isPending ? toggle.variables : endpoint.enabled;

  return (
    <li className="kb-section" aria-label={endpoint.url}>
      <div className="kb-section-header">
        <div>
          <span>
            <code className="endpoint-url">{endpoint.url}</code> {!endpoint.enabled && <span className="badge">Paused</span>}
          </span>
          <span className="muted small">
            Secret {endpoint.secretPrefix}… · added {formatShortDate(endpoint.createdAt)}
          </span>
        </div>
        <span className="small">Last delivery: {last ? <DeliveryBadge status={last.status} /> : <span className="muted">none yet</span>}</span>
      </div>
      <p className="small">
        <span className="muted">Sends: </span>
        {endpoint.events.map((e) => EVENT_LABELS[e]).join(' · ')}
      </p>
      <div className="card-actions">
        <label className="switch">
          <input type="checkbox" checked={enabled} disabled={!manager || toggle.isPending} onChange={(e) => toggle.mutate(e.target.checked)} />
          Enabled
        </label>
        {manager && (
          <span className="save-bar">
            <button type="button" className="button button-small" onClick={() => test.mutate()} disabled={test.isPending}>
              {test.isPending ? 'Sending…' : 'Send test event'}
            </button>
            <ConfirmButton
              label="Rotate secret"
              question="Replace the signing secret? The current one stops working now."
              confirmLabel="Yes, rotate"
              onConfirm={() => rotate.mutate()}
              pending={rotate.isPending}
            />
            <ConfirmButton label="Delete" question="Delete this endpoint and its delivery log?" confirmLabel="Yes, delete" onConfirm={() => remove.mutate()} pending={remove.isPending} />
          </span>
        )}
      </div>
      {secret && <SecretNote title="Copy the new signing secret now: it is shown only this once." value={secret} />}
      {test.data && <TestResult delivery={test.data.delivery} />}
      <ErrorNote error={toggle.error ?? test.error ?? rotate.error ?? remove.error} />
      <details className="kb-text">
        <summary>Deliveries</summary>
        <DeliveriesTable deliveries={deliveries} />
      </details>
    </li>
  );
}
