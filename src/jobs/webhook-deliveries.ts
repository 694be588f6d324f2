import type { AppContext } from '../context.js';
import { deliverAllDue, expireStale } from '../modules/webhook-endpoints/queue.js';
import type { Job } from './job.js';

/**
 * The outgoing-webhook queue's safety net: every minute, delivers what is due (retries,
 * and events whose prompt kick was missed, e.g. after a restart), then gives up on what is
 * still pending 24 h after its event (e.g. for an endpoint left disabled). Claims are
 * row-level (SKIP LOCKED), so kicks on other instances may deliver at the same time
 * without sending a row twice.
 */
export async function runWebhookDeliveries(ctx: AppContext) {
  // Deliver first: a row's last attempt is due exactly at its 24 h deadline.
  const { delivered, failed } = await deliverAllDue(ctx);
  const expired = await expireStale(ctx);
  return { delivered, failed, expired };
}

export const webhookDeliveriesJob: Job = { name: 'webhook-deliveries', schedule: '* * * * *', run: runWebhookDeliveries };
