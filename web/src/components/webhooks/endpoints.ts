import type { WebhookEventType } from '../../types';

export const ENDPOINTS_PATH = '/api/webhook-endpoints';
export const endpointPath = (id: string) => `${ENDPOINTS_PATH}/${id}`;

/** Every event an endpoint can subscribe to, as people read it (the type forces a label for each). */
export const EVENT_LABELS: Record<WebhookEventType, string> = {
  'call.started': 'A call starts',
  'call.ended': 'A call ends',
  'call.analyzed': 'A call’s summary is ready',
  'sms.received': 'A text message arrives',
  'booking.created': 'An appointment is booked',
  'usage.threshold': 'Minutes used reach 80% or 100%',
};

export const EVENT_TYPES = Object.keys(EVENT_LABELS) as WebhookEventType[];
