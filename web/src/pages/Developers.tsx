import { useState } from 'react';
import { useSession } from '../auth';
import { Card } from '../components/Card';
import { ApiKeysCard } from '../components/developers/ApiKeysCard';
import { ErrorNote } from '../components/ErrorNote';
import { Loading } from '../components/Loading';
import { CreateEndpointForm } from '../components/webhooks/CreateEndpointForm';
import { EndpointItem } from '../components/webhooks/EndpointItem';
import { ENDPOINTS_PATH } from '../components/webhooks/endpoints';
import { SecretNote } from '../components/webhooks/SecretNote';
import { useApi, useIsManager, useTitle } from '../hooks';
import type { WebhookEndpoint, WebhookEndpointWithSecret } from '../types';

/** Outgoing webhooks: endpoints of the business's own software that hear about calls, texts and bookings. */
function WebhookCards() {
  const endpoints = useApi<{ endpoints: WebhookEndpoint[] }>(ENDPOINTS_PATH);
  const manager = useIsManager();
  const [created, setCreated] = useState<WebhookEndpointWithSecret | null>(null);
  return (
    <>
      <Card
        id="endpoints"
        title="Webhooks"
        description="Tell your own software the moment a call ends, a text arrives or an appointment is booked. Each event is POSTed as signed JSON; failed deliveries are retried with backoff for 24 hours."
      >
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
        <Card id="new-endpoint" title="Add a webhook endpoint">
          <CreateEndpointForm onCreated={setCreated} />
        </Card>
      ) : (
        <p className="muted small">An owner or admin can add and change endpoints.</p>
      )}
    </>
  );
}

/** Everything for the business's own software: the API reference, API keys and outgoing webhooks. */
export function Developers() {
  useTitle('Developers');
  const owner = useSession().data?.user?.role === 'owner';
  return (
    <>
      <header className="page-header">
        <h1>Developers</h1>
        <p className="muted">Connect your own software: the API reference, API keys and webhooks.</p>
      </header>
      <Card id="api-docs" title="API reference" description="Every endpoint with its parameters and examples; API keys work wherever a signed-in session does.">
        <p>
          <a href="/docs" className="button">
            Open the API reference
          </a>{' '}
          <span className="muted small">
            Machine-readable: <a href="/api/openapi.json">OpenAPI document</a>
          </span>
        </p>
      </Card>
      {owner ? (
        <ApiKeysCard />
      ) : (
        <Card id="api-keys" title="API keys">
          <p className="muted">Only an owner can create and revoke API keys.</p>
        </Card>
      )}
      <WebhookCards />
    </>
  );
}
