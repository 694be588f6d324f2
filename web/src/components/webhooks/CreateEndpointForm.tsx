import { useState, type FormEvent } from 'react';
import { useMutation } from '@tanstack/react-query';
import { api, fieldErrorsOf } from '../../api';
import { useApi, useInvalidate, useIsSandbox } from '../../hooks';
import type { WebhookEndpointWithSecret, WebhookEventType } from '../../types';
import { TextField } from '../Field';
import { SaveBar } from '../SaveBar';
import { ENDPOINTS_PATH, EVENT_LABELS, EVENT_TYPES } from './endpoints';

/** A new endpoint: its URL and the events it wants. The answer carries the signing secret, once. */
export function CreateEndpointForm({ onCreated }: { onCreated: (endpoint: WebhookEndpointWithSecret) => void }) {
  const invalidate = useInvalidate();
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<WebhookEventType[]>(['call.ended']);
  const create = useMutation({
    mutationFn: () => api<WebhookEndpointWithSecret>(ENDPOINTS_PATH, { method: 'POST', body: { url: url.trim(), events } }),
    onSuccess: (endpoint) => {
      setUrl('');
      onCreated(endpoint);
      return invalidate(ENDPOINTS_PATH);
    },
  });
  // Sandbox only: the server's own receiver, so deliveries can be watched offline.
  const sandbox = useIsSandbox();
  const receiver = useApi<{ url: string }>('/api/sandbox/webhook-receiver', { enabled: sandbox });
  const errors = fieldErrorsOf(create.error);
  const toggle = (event: WebhookEventType, on: boolean) => setEvents((list) => (on ? [...list, event] : list.filter((e) => e !== event)));
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <form onSubmit={onSubmit} className="stack">
      <TextField
        label="Endpoint URL"
        type="url"
        required
        placeholder="https://example.com/hooks/epoch"
        hint="We POST each event here as JSON, signed with the endpoint’s secret."
        value={url}
        onChange={(e) => setUrl(e.target.value)}
        error={errors.url}
      />
      {sandbox && receiver.data && (
        <p className="muted small">
          Sandbox: try the built-in receiver <code>{receiver.data.url}</code>{' '}
          <button type="button" className="button button-small" onClick={() => setUrl(receiver.data!.url)}>
            Use it
          </button>{' '}
          <a href={receiver.data.url} target="_blank" rel="noreferrer">
            See what it received
          </a>
        </p>
      )}
      <fieldset className="choices">
        <legend className="field-label">Events to send</legend>
        {EVENT_TYPES.map((event) => (
          <label key={event} className={`choice${events.includes(event) ? ' choice-on' : ''}`}>
            <input type="checkbox" checked={events.includes(event)} onChange={(e) => toggle(event, e.target.checked)} />
            <span>
              {EVENT_LABELS[event]}
              <code className="muted small">{event}</code>
            </span>
          </label>
        ))}
      </fieldset>
      {errors.events && <p className="field-error">{errors.events}</p>}
      <SaveBar mutation={{ ...create, isSuccess: false }} label="Add endpoint" disabled={!url.trim() || events.length === 0} />
    </form>
  );
}
