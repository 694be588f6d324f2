import { and, count, desc, eq, lt, or, sql } from 'drizzle-orm';
import type { AppContext } from '../../context.js';
import { webhookDeliveries, webhookEndpoints, type WebhookEventType } from '../../db/schema/index.js';
import { AppError, fieldError, notFound } from '../../errors.js';
import { encryptSecret } from '../../lib/crypto.js';
import { randomBase62 } from '../../lib/tokens.js';
import type { AuthContext } from '../auth/sessions.js';
import { envelopeOf, PING_EVENT } from './events.js';
import { attemptDelivery, type DeliveryRow } from './queue.js';
import { WebhookUrlError } from './transport.js';

export const SECRET_PREFIX = 'whsec_';
/** Enough for any integration; a bound on how much one organization can make us send. */
export const MAX_ENDPOINTS_PER_ORGANIZATION = 10;

type EndpointRow = typeof webhookEndpoints.$inferSelect;

const view = (e: EndpointRow) => ({
  id: e.id,
  url: e.url,
  events: e.events,
  enabled: e.enabled,
  secretPrefix: e.secretPrefix,
  createdAt: e.createdAt.toISOString(),
  updatedAt: e.updatedAt.toISOString(),
});

export const deliveryView = (d: DeliveryRow) => ({
  id: d.id,
  eventId: d.eventId,
  eventType: d.eventType,
  status: d.status,
  attempts: d.attempts,
  responseStatusCode: d.lastStatusCode,
  error: d.lastError,
  nextAttemptAt: d.status === 'pending' ? d.nextAttemptAt.toISOString() : null,
  createdAt: d.createdAt.toISOString(),
  deliveredAt: d.deliveredAt?.toISOString() ?? null,
});

/** A new signing secret: the plaintext (shown once) and what we store. */
function newSecret(ctx: AppContext) {
  const secret = `${SECRET_PREFIX}${randomBase62(32)}`;
  return { secret, encryptedSecret: encryptSecret(secret, ctx.config.encryptionKey), secretPrefix: secret.slice(0, SECRET_PREFIX.length + 4) };
}

/** The save-time check (form, literal addresses); DNS and the address guard run at every delivery. */
async function checkUrl(ctx: AppContext, url: string) {
  try {
    await ctx.webhookTransport.check(url);
  } catch (err) {
    if (!(err instanceof WebhookUrlError)) throw err;
    throw new AppError('VALIDATION_FAILED', `Invalid url: ${err.message}`, { details: [{ field: 'body.url', message: err.message }] });
  }
}

async function findEndpoint(ctx: AppContext, auth: AuthContext, id: string) {
  const [row] = await ctx.db
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.organizationId, auth.organizationId), eq(webhookEndpoints.id, id)));
  if (!row) throw notFound('Webhook endpoint');
  return row;
}

export async function listEndpoints(ctx: AppContext, auth: AuthContext) {
  const rows = await ctx.db
    .select()
    .from(webhookEndpoints)
    .where(eq(webhookEndpoints.organizationId, auth.organizationId))
    .orderBy(desc(webhookEndpoints.createdAt), desc(webhookEndpoints.id));
  return { endpoints: rows.map(view) };
}

export async function getEndpoint(ctx: AppContext, auth: AuthContext, id: string) {
  return { endpoint: view(await findEndpoint(ctx, auth, id)) };
}

/** Creates an endpoint; its signing secret is in this answer only. */
export async function createEndpoint(ctx: AppContext, auth: AuthContext, input: { url: string; events: WebhookEventType[]; enabled?: boolean }) {
  await checkUrl(ctx, input.url);
  const [{ n } = { n: 0 }] = await ctx.db
    .select({ n: count() })
    .from(webhookEndpoints)
    .where(eq(webhookEndpoints.organizationId, auth.organizationId));
  if (n >= MAX_ENDPOINTS_PER_ORGANIZATION) {
    throw new AppError('CONFLICT', `An organization can have at most ${MAX_ENDPOINTS_PER_ORGANIZATION} webhook endpoints`);
  }
  const { secret, ...stored } = newSecret(ctx);
  const [row] = await ctx.db
    .insert(webhookEndpoints)
    .values({ organizationId: auth.organizationId, url: input.url, events: input.events, enabled: input.enabled ?? true, ...stored })
    .returning();
  return { ...view(row!), secret };
}

export async function updateEndpoint(
  ctx: AppContext,
  auth: AuthContext,
  id: string,
  patch: { url?: string; events?: WebhookEventType[]; enabled?: boolean },
) {
  if (patch.url !== undefined) await checkUrl(ctx, patch.url);
  const [row] = await ctx.db
    .update(webhookEndpoints)
    .set({ ...patch, updatedAt: sql`now()` })
    .where(and(eq(webhookEndpoints.organizationId, auth.organizationId), eq(webhookEndpoints.id, id)))
    .returning();
  if (!row) throw notFound('Webhook endpoint');
  return { endpoint: view(row) };
}

/** Deletes the endpoint and its delivery log (pending deliveries are dropped). */
export async function deleteEndpoint(ctx: AppContext, auth: AuthContext, id: string) {
  const rows = await ctx.db
    .delete(webhookEndpoints)
    .where(and(eq(webhookEndpoints.organizationId, auth.organizationId), eq(webhookEndpoints.id, id)))
    .returning({ id: webhookEndpoints.id });
  if (rows.length === 0) throw notFound('Webhook endpoint');
}

/** A new secret, effective for every attempt from now on (pending retries included); shown once. */
export async function rotateSecret(ctx: AppContext, auth: AuthContext, id: string) {
  const { secret, ...stored } = newSecret(ctx);
  const [row] = await ctx.db
    .update(webhookEndpoints)
    .set({ ...stored, updatedAt: sql`now()` })
    .where(and(eq(webhookEndpoints.organizationId, auth.organizationId), eq(webhookEndpoints.id, id)))
    .returning();
  if (!row) throw notFound('Webhook endpoint');
  return { ...view(row), secret };
}

const encodeCursor = (c: { createdAt: Date; id: string }) => Buffer.from(`${c.createdAt.toISOString()}|${c.id}`).toString('base64url');

function decodeCursor(cursor: string) {
  const [at, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  const createdAt = new Date(at ?? '');
  if (!id || Number.isNaN(createdAt.getTime()) || !/^[0-9a-f-]{36}$/.test(id)) {
    throw fieldError('querystring.cursor', 'Invalid cursor: pass back nextCursor from the previous page', 'BAD_REQUEST');
  }
  return { createdAt, id };
}

/** The endpoint's delivery log, newest first; `nextCursor` is null on the last page. */
export async function listDeliveries(ctx: AppContext, auth: AuthContext, id: string, q: { cursor?: string; limit: number }) {
  await findEndpoint(ctx, auth, id);
  const after = q.cursor ? decodeCursor(q.cursor) : undefined;
  const rows = await ctx.db
    .select()
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.organizationId, auth.organizationId),
        eq(webhookDeliveries.endpointId, id),
        after
          ? or(
              lt(webhookDeliveries.createdAt, after.createdAt),
              and(eq(webhookDeliveries.createdAt, after.createdAt), lt(webhookDeliveries.id, after.id)),
            )
          : undefined,
      ),
    )
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  return { deliveries: page.map(deliveryView), nextCursor: rows.length > q.limit ? encodeCursor(page.at(-1)!) : null };
}

/**
 * Sends a `ping` event to the endpoint now (enabled or not) and answers the attempt's
 * outcome. Logged like any delivery, but not retried: the caller sees the result.
 */
export async function sendTestEvent(ctx: AppContext, auth: AuthContext, id: string) {
  const endpoint = await findEndpoint(ctx, auth, id);
  const envelope = envelopeOf(ctx, auth.organizationId, PING_EVENT, { message: 'A test event from Epoch Voice', endpointId: endpoint.id });
  const now = new Date(envelope.createdAt);
  const [row] = await ctx.db
    .insert(webhookDeliveries)
    .values({
      organizationId: auth.organizationId,
      endpointId: endpoint.id,
      eventId: envelope.id,
      eventType: PING_EVENT,
      payload: envelope,
      createdAt: now,
      // Never due for the worker: this request makes the one attempt.
      nextAttemptAt: new Date(now.getTime() + 3600_000),
    })
    .returning();
  const delivery = await attemptDelivery(ctx, row!, endpoint, { retry: false });
  return { delivery: deliveryView(delivery) };
}
