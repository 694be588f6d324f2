import { and, eq, inArray, lt, lte, sql } from 'drizzle-orm';
import type { AppContext } from '../../context.js';
import { webhookDeliveries, webhookEndpoints } from '../../db/schema/index.js';
import { decryptSecret, DecryptionError } from '../../lib/crypto.js';
import { hmacSha256 } from '../../lib/tokens.js';
import { queryRows, type Db } from '../../db/client.js';

export type DeliveryRow = typeof webhookDeliveries.$inferSelect;
type EndpointRow = Pick<typeof webhookEndpoints.$inferSelect, 'id' | 'url' | 'encryptedSecret'>;

/** Deliveries claimed per round. */
const BATCH = 20;
/**
 * A claimed row is not due again for this long: longer than one attempt (10 s timeout),
 * so no other instance sends it meanwhile; if we crash, it is retried after the lease.
 */
const LEASE_MS = 2 * 60_000;
/** Retries stop this long after the event (then the delivery is dead). */
export const RETRY_WINDOW_MS = 24 * 3600_000;
/** A background run stops claiming after this long, so the next tick is not blocked. */
const RUN_BUDGET_MS = 45_000;
const MAX_ERROR_LENGTH = 1000;

/** 30 s, 1 min, 2 min, … doubling after each failed attempt, capped at 1 h. */
export const backoffMs = (attempts: number) => Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 3600_000);

/** Stripe's scheme: `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`. */
export function signatureHeader(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${hmacSha256(secret, `${timestamp}.${body}`)}`;
}

/**
 * Claims up to `limit` due deliveries by pushing their next attempt one lease ahead, in one
 * statement: FOR UPDATE SKIP LOCKED makes concurrent claimers (other instances) take
 * different rows. Rows of disabled endpoints wait (they expire after 24 h).
 */
export async function claimDue(ctx: AppContext, limit = BATCH): Promise<DeliveryRow[]> {
  const now = ctx.now();
  const due = ctx.db
    .select({ id: webhookDeliveries.id })
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.status, 'pending'),
        lte(webhookDeliveries.nextAttemptAt, now),
        sql`exists (select 1 from ${webhookEndpoints} e where e.id = ${webhookDeliveries.endpointId} and e.enabled)`,
      ),
    )
    .orderBy(webhookDeliveries.nextAttemptAt)
    .limit(limit)
    .for('update', { skipLocked: true });
  return ctx.db
    .update(webhookDeliveries)
    .set({ nextAttemptAt: new Date(now.getTime() + LEASE_MS) })
    .where(and(inArray(webhookDeliveries.id, due), eq(webhookDeliveries.status, 'pending')))
    .returning();
}

/**
 * One attempt: sign, POST (the URL passes the SSRF guard again), record the outcome.
 * 2xx → delivered; otherwise attempts+1 and the next try after the backoff, or dead once
 * the 24 h window is over (or at once when `retry` is false: test pings).
 */
export async function attemptDelivery(ctx: AppContext, row: DeliveryRow, endpoint: EndpointRow, opts: { retry?: boolean } = {}): Promise<DeliveryRow> {
  const body = JSON.stringify(row.payload);
  let result: { status?: number; error?: string };
  try {
    const secret = decryptSecret(endpoint.encryptedSecret, ctx.config.encryptionKey);
    const timestamp = Math.floor(ctx.now().getTime() / 1000);
    result = await ctx.webhookTransport.post(endpoint.url, body, {
      'epoch-signature': signatureHeader(secret, timestamp, body),
      'epoch-event-id': row.eventId,
      'epoch-event-type': row.eventType,
    });
  } catch (err) {
    if (!(err instanceof DecryptionError)) throw err;
    ctx.log.error({ endpointId: endpoint.id }, 'webhook endpoint secret cannot be decrypted (ENCRYPTION_KEY changed?)');
    result = { error: 'The signing secret cannot be read; rotate the endpoint secret' };
  }
  const now = ctx.now();
  const ok = result.status !== undefined && result.status >= 200 && result.status < 300;
  const deadline = row.createdAt.getTime() + RETRY_WINDOW_MS;
  const retry = opts.retry !== false && now.getTime() < deadline;
  const [updated] = await ctx.db
    .update(webhookDeliveries)
    .set({
      attempts: sql`${webhookDeliveries.attempts} + 1`,
      lastStatusCode: result.status ?? null,
      lastError: ok ? null : (result.error ?? 'No answer').slice(0, MAX_ERROR_LENGTH),
      ...(ok
        ? { status: 'delivered' as const, deliveredAt: now }
        : retry
          ? { nextAttemptAt: new Date(Math.min(now.getTime() + backoffMs(row.attempts + 1), deadline)) }
          : { status: 'dead' as const }),
    })
    .where(and(eq(webhookDeliveries.id, row.id), eq(webhookDeliveries.status, 'pending')))
    .returning();
  return updated ?? row;
}

/** Claims one round of due deliveries and attempts them side by side. */
export async function deliverDue(ctx: AppContext, limit = BATCH) {
  const rows = await claimDue(ctx, limit);
  if (rows.length === 0) return { claimed: 0, delivered: 0, failed: 0 };
  const endpointIds = [...new Set(rows.map((r) => r.endpointId))];
  const endpoints = await ctx.db
    .select({ id: webhookEndpoints.id, url: webhookEndpoints.url, encryptedSecret: webhookEndpoints.encryptedSecret })
    .from(webhookEndpoints)
    .where(inArray(webhookEndpoints.id, endpointIds));
  const byId = new Map(endpoints.map((e) => [e.id, e]));
  const outcomes = await Promise.all(
    rows.map(async (row) => {
      const endpoint = byId.get(row.endpointId);
      if (!endpoint) return 'gone'; // deleted meanwhile: its deliveries went with it (cascade)
      return (await attemptDelivery(ctx, row, endpoint)).status;
    }),
  );
  return {
    claimed: rows.length,
    delivered: outcomes.filter((s) => s === 'delivered').length,
    failed: outcomes.filter((s) => s === 'pending' || s === 'dead').length,
  };
}

/** Pending deliveries older than the retry window (e.g. of an endpoint left disabled) become dead. */
export async function expireStale(ctx: AppContext): Promise<number> {
  const now = ctx.now();
  const rows = await ctx.db
    .update(webhookDeliveries)
    .set({ status: 'dead', lastError: sql`coalesce(${webhookDeliveries.lastError}, 'Not delivered within 24 h')` })
    .where(
      and(
        eq(webhookDeliveries.status, 'pending'),
        lt(webhookDeliveries.createdAt, new Date(now.getTime() - RETRY_WINDOW_MS)),
        lte(webhookDeliveries.nextAttemptAt, now), // not while an attempt holds the lease
      ),
    )
    .returning({ id: webhookDeliveries.id });
  return rows.length;
}

/** Rounds of deliverDue until nothing is due (or the time budget is spent). */
export async function deliverAllDue(ctx: AppContext, budgetMs = RUN_BUDGET_MS) {
  const started = Date.now();
  const total = { delivered: 0, failed: 0 };
  for (;;) {
    const round = await deliverDue(ctx);
    total.delivered += round.delivered;
    total.failed += round.failed;
    // Shutting down: the round's attempts are recorded; what is left waits for another instance.
    if (round.claimed < BATCH || Date.now() - started > budgetMs || ctx.lifecycle.closing) return total;
  }
}

/** Deliveries still to send and the age of the oldest (one query, read when metrics are scraped). */
export async function deliveryQueue(db: Db): Promise<{ depth: number; oldestSeconds: number }> {
  const [row] = await queryRows<{ depth: number; oldest: number | null }>(
    db,
    sql`select count(*)::int as depth, extract(epoch from now() - min(${webhookDeliveries.createdAt}))::float8 as oldest
        from ${webhookDeliveries} where ${webhookDeliveries.status} = 'pending'`,
  );
  return { depth: row?.depth ?? 0, oldestSeconds: Math.max(0, row?.oldest ?? 0) };
}
