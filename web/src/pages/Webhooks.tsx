import { useState } from 'react';
import { Card } from '../components/Card';
import { ErrorNote } from '../components/ErrorNote';
import { Loading } from '../components/Loading';
import { CreateEndpointForm } from '../components/webhooks/CreateEndpointForm';
import { EndpointItem } from '../components/webhooks/EndpointItem';
import { ENDPOINTS_PATH } from '../components/webhooks/endpoints';
import { SecretNote } from '../components/webhooks/SecretNote';
import { useApi, useIsManager, useTitle } from '../hooks';
import type { WebhookEndpoint, WebhookEndpointWithSecret } from '../types';

/** Outgoing webhooks: endpoints of the business's own software that hear about calls, texts and bookings. */
export function Webhooks() {
  useTitle('Webhooks');
  const endpoints = useApi<{ endpoints: WebhookEndpoint[] }>(ENDPOINTS_PATH);
  const manager = useIsManager();
  const [created, setCreated] = useState<WebhookEndpointWithSecret | null>(null);

  return (
    <>
      <header className="page-header">
        <h1>Webhooks</h1>
        <p className="muted">Tell your own software the moment a call ends, a text arrives or an appointment is booked.</p>
      </header>
      <Card id="endpoints" title="Endpoints" description="Each event is POSTed as signed JSON; failed deliveries are retried with backoff for 24 hours.">
        {created && <SecretNote title={`Copy the signing secret for ${created.url} now: it is shown only this once.`} value={created.secret} />}
        {endpoints.isPending && <Loading />}
        <ErrorNote error={endpoints.error} />
        {endpoints.data &&
          (endpoints.data.endpoints.length === 0 ? (
            <p className="empty">No endpoints yet.</p>
          ) : (
            <ul className="kb-sections endpoint-list">
              {endpoints.data.endpoints.map((e) => (
                <EndpointItem key={e.id} endpoint={e} manager={manager} />
              ))}
            </ul>
          ))}
      </Card>
      {manager ? (
        <Card id="new-endpoint" title="Add an endpoint">
          <CreateEndpointForm onCreated={setCreated} />
        </Card>
      ) : (
        <p className="muted small">An owner or admin can add and change endpoints.</p>
      )}
    </>
  );
}
