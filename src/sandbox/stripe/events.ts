import { createHmac } from 'node:crypto';
import type { AppContext } from '../../context.js';
import { deliverWebhook } from '../deliver.js';
import { contractTap } from '../tap.js';
import { newId, type EventObject, type EventRecord, type StripeStores } from './state.js';

/** The API version stripe-node 23 pins, which the emulated objects follow. */
export const API_VERSION = '2026-10-28.endive';

/** `Stripe-Signature` as Stripe computes it: t=<unix>,v1=hex(HMAC-SHA256(secret, `${t}.${body}`)). */
export function signStripePayload(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)): string {
  const v1 = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${v1}`;
}

/**
 * Stripe's events: stored (so they can be listed, fetched and resent) and delivered to our
 * webhook route one at a time in creation order, after the operation that caused them.
 */
export function createEventBus(ctx: AppContext, stores: StripeStores) {
  const url = `${ctx.config.appUrl}/api/webhooks/stripe`;
  let queue: Promise<unknown> = Promise.resolve();

  async function deliver(id: string): Promise<number | null> {
    const record = await stores.events.get(id);
    if (!record) return null;
    // Pretty-printed like Stripe's payloads: our route must verify the raw bytes, not re-serialized JSON.
    const body = JSON.stringify(record.event, null, 2);
    // The signature uses the wall clock, as the verifier does, even when a test moves ctx.now.
    const status = await deliverWebhook(ctx.log, url, {
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
        'stripe-signature': signStripePayload(ctx.config.stripe.webhookSecret ?? '', body),
      },
      body,
    });
    record.deliveries.push({ status: status ?? null, at: new Date().toISOString() });
    await stores.events.put(id, record);
    return status ?? null;
  }

  /** Delivers after every earlier queued delivery; resolves with our route's status (null: unreachable). */
  function enqueue(id: string): Promise<number | null> {
    const delivery = queue.then(() => deliver(id));
    queue = delivery.catch((err: unknown) => ctx.log.warn({ err, eventId: id }, 'stripe emulator: event delivery failed'));
    return delivery;
  }

  return {
    /** Records an event about `object` and queues its delivery. */
    async publish(type: string, object: Record<string, unknown>, previousAttributes?: Record<string, unknown>): Promise<EventObject> {
      const event: EventObject = {
        id: newId('evt'),
        object: 'event',
        api_version: API_VERSION,
        created: Math.floor(ctx.now().getTime() / 1000),
        data: { object, ...(previousAttributes ? { previous_attributes: previousAttributes } : {}) },
        livemode: false,
        pending_webhooks: 1,
        request: { id: null, idempotency_key: null },
        type,
      };
      await stores.events.put(event.id, { event, deliveries: [] } satisfies EventRecord);
      contractTap.message('stripe', type, event);
      void enqueue(event.id).catch(() => undefined);
      return event;
    },
    /** Sends a stored event again, like the dashboard's "Resend" (duplicates and late arrivals). */
    resend: enqueue,
    /** Resolves once every queued delivery has been attempted. */
    drain: (): Promise<unknown> => queue,
  };
}
export type EventBus = ReturnType<typeof createEventBus>;

/** The top-level fields whose values differ, with their old values: an event's `previous_attributes`. */
export function previousAttributes<T extends Record<string, unknown>>(before: T, after: T): Record<string, unknown> {
  return Object.fromEntries(
    Object.keys(after)
      .filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]))
      .map((key) => [key, before[key]]),
  );
}
