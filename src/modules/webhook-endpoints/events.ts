import { createHash, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { AppContext } from '../../context.js';
import { queryRows, type Db, type Tx } from '../../db/client.js';
import type { WebhookEventType } from '../../db/schema/index.js';
import { createKicker } from '../../lib/kicker.js';
import { deliverAllDue } from './queue.js';

/** The test event of POST /api/webhook-endpoints/:id/test; no endpoint subscribes to it. */
export const PING_EVENT = 'ping';

/** What every delivery's body carries; stored as is and sent unchanged on every attempt. */
export interface EventEnvelope {
  id: string;
  type: WebhookEventType | typeof PING_EVENT;
  createdAt: string;
  organizationId: string;
  data: Record<string, unknown>;
}

/** A stable event id for a happening (UUID form, version 8): the same call ending twice is one event. */
export function eventIdFor(organizationId: string, type: string, key: string): string {
  const h = createHash('sha256').update(`${organizationId}:${type}:${key}`).digest('hex');
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export const envelopeOf = (ctx: AppContext, organizationId: string, type: EventEnvelope['type'], data: Record<string, unknown>, id: string = randomUUID()): EventEnvelope => ({
  id,
  type,
  createdAt: ctx.now().toISOString(),
  organizationId,
  data,
});

/**
 * Queues an event for every enabled endpoint of the organization subscribed to its type:
 * one INSERT … SELECT. Pass the caller's transaction to make the event part of the change
 * that caused it (then call kickDeliveries after the commit); with `ctx.db` the worker is
 * kicked here. With `key` the event happens once: its id is derived from the key and a
 * unique row in webhook_events (written only when someone subscribes) refuses a repeat, so
 * the sync-calls job re-recording a call does not send call.ended again.
 * Returns the number of deliveries queued.
 */
export async function emitEvent(
  ctx: AppContext,
  conn: Db | Tx,
  organizationId: string,
  type: WebhookEventType,
  data: Record<string, unknown>,
  opts: { key?: string } = {},
): Promise<number> {
  const envelope = envelopeOf(ctx, organizationId, type, data, opts.key ? eventIdFor(organizationId, type, opts.key) : randomUUID());
  const at = sql`${envelope.createdAt}::timestamptz`;
  const targets = sql`targets as (
    select id from webhook_endpoints
    where organization_id = ${organizationId} and enabled and events @> ${JSON.stringify([type])}::jsonb
  )`;
  const guard = opts.key
    ? sql`, guard as (
        insert into webhook_events (provider, event_key, type, payload)
        select 'epoch', ${`${organizationId}:${type}:${opts.key}`}, ${type}, ${JSON.stringify({ eventId: envelope.id })}::jsonb
        where exists (select 1 from targets)
        on conflict do nothing
        returning 1
      )`
    : sql``;
  const [row] = await queryRows<{ queued: number }>(conn, sql`
    with ${targets}${guard}, queued as (
      insert into webhook_deliveries (organization_id, endpoint_id, event_id, event_type, payload, next_attempt_at, created_at)
      select ${organizationId}, t.id, ${envelope.id}, ${type}, ${JSON.stringify(envelope)}::jsonb, ${at}, ${at}
      from targets t
      where ${opts.key ? sql`exists (select 1 from guard)` : sql`true`}
      returning 1
    )
    select count(*)::int as queued from queued`);
  const queued = Number(row?.queued ?? 0);
  if (queued > 0 && conn === ctx.db) kickDeliveries(ctx);
  return queued;
}

const deliveries = createKicker('webhook deliveries', deliverAllDue);

/**
 * Delivers what is due now, in the background (errors are logged): the prompt path after
 * an event. The per-minute job is the safety net; the queue works without kicks.
 */
export const kickDeliveries = (ctx: AppContext): void => deliveries.kick(ctx);

/** On app close: no new kicks, and the one running finishes before the database closes. */
export const stopKicks = (ctx: AppContext): Promise<void> => deliveries.stop(ctx);
