import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { signTwilioRequest, TWILIO_SIGNATURE_HEADER } from '../../providers/twilio/webhook.js';
import { deliverWebhook } from '../deliver.js';
import { contractTap } from '../tap.js';
import type { DeliveryDoc, TwilioStores } from './shared.js';

/** Runs work after the emulated request answered (as Twilio's callbacks do); close waits for it. */
export type Background = (task: () => Promise<void>) => void;

export function backgroundTasks(app: FastifyInstance): Background {
  const pending = new Set<Promise<void>>();
  app.addHook('preClose', async () => {
    await Promise.allSettled([...pending]);
  });
  return (task) => {
    const running: Promise<void> = task()
      .catch((err: unknown) => app.log.warn({ err }, 'twilio emulator background task failed'))
      .finally(() => pending.delete(running));
    pending.add(running);
  };
}

/**
 * Posts a webhook as Twilio does: form-encoded, signed with X-Twilio-Signature (the account's
 * auth token over the exact URL + sorted params), with an idempotency token per attempt.
 * Records the delivery with the status our route answered, for GET /sandbox/twilio/deliveries.
 */
export async function sendTwilioWebhook(
  app: FastifyInstance,
  stores: TwilioStores,
  delivery: Pick<DeliveryDoc, 'kind' | 'url' | 'messageSid' | 'params'>,
): Promise<number | null> {
  contractTap.message('twilio', delivery.kind, delivery.params);
  const signature = signTwilioRequest(app.ctx.config.twilio.authToken ?? '', delivery.url, delivery.params);
  const status = await deliverWebhook(app.log, delivery.url, {
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      [TWILIO_SIGNATURE_HEADER]: signature,
      'i-twilio-idempotency-token': randomUUID(),
      'user-agent': 'TwilioProxy/1.1',
    },
    body: new URLSearchParams(delivery.params).toString(),
  });
  const id = randomUUID();
  await stores.deliveries.put(id, { id, ...delivery, signature, status: status ?? null, sentAt: app.ctx.now().toISOString() }, delivery.messageSid);
  return status ?? null;
}
