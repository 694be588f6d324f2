import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { AppContext } from '../../context.js';
import type { Tx } from '../../db/client.js';
import { calls, organizations, webhookEndpoints, type WebhookEventType } from '../../db/schema/index.js';
import { hasFeature } from '../../domain/plans.js';
import { emitEvent } from './events.js';

type CallRow = typeof calls.$inferSelect;

/** The call as webhooks describe it; transcript and recording only when the plan shows them. */
function callData(c: CallRow) {
  return {
    id: c.id,
    vapiCallId: c.vapiCallId,
    assistantId: c.assistantId,
    type: c.type,
    status: c.status,
    customerNumber: c.customerNumber,
    startedAt: c.startedAt?.toISOString() ?? null,
    endedAt: c.endedAt?.toISOString() ?? null,
    durationSeconds: c.durationSeconds,
    endedReason: c.endedReason,
    costCents: c.costCents,
  };
}

/**
 * The event types some enabled endpoint of the organization wants, as a column for the
 * ingestion read (one indexed subquery, so the hot path stays cheap without subscribers).
 * `organizationId` must be a qualified column reference.
 */
export const subscribedEventTypes = (organizationId: SQL) =>
  sql<WebhookEventType[][] | null>`(select jsonb_agg(e.events) from webhook_endpoints e where e.organization_id = ${organizationId} and e.enabled)`;

/** The column above as a set. */
export const eventTypeSet = (lists: WebhookEventType[][] | null) => new Set((lists ?? []).flat());

async function loadCall(tx: Tx, organizationId: string, where: { id: string } | { vapiCallId: string }) {
  const [row] = await tx
    .select({ call: calls, plan: organizations.plan })
    .from(calls)
    .innerJoin(organizations, eq(organizations.id, calls.organizationId))
    .where(and(eq(calls.organizationId, organizationId), 'id' in where ? eq(calls.id, where.id) : eq(calls.vapiCallId, where.vapiCallId)));
  return row;
}

/** `call.started`, inside the transaction that stored the in-progress status (once per call). */
export async function emitCallStarted(ctx: AppContext, tx: Tx, organizationId: string, vapiCallId: string, wanted: Set<WebhookEventType>): Promise<number> {
  if (!wanted.has('call.started')) return 0;
  const row = await loadCall(tx, organizationId, { vapiCallId });
  if (!row) return 0;
  return emitEvent(ctx, tx, organizationId, 'call.started', { call: callData(row.call) }, { key: row.call.id });
}

/**
 * `call.ended`, and `call.analyzed` when the report carries a summary, inside the
 * transaction that stored the end-of-call report. Each once per call, whichever path
 * (webhook or sync job) stores it.
 */
export async function emitCallReportEvents(ctx: AppContext, tx: Tx, organizationId: string, callId: string, wanted: Set<WebhookEventType>): Promise<number> {
  if (!wanted.has('call.ended') && !wanted.has('call.analyzed')) return 0;
  const row = await loadCall(tx, organizationId, { id: callId });
  if (!row) return 0;
  const { call, plan } = row;
  let queued = 0;
  if (wanted.has('call.ended')) queued += await emitEvent(ctx, tx, organizationId, 'call.ended', { call: callData(call) }, { key: call.id });
  if (call.summary && wanted.has('call.analyzed')) {
    queued += await emitEvent(
      ctx,
      tx,
      organizationId,
      'call.analyzed',
      {
        call: callData(call),
        summary: call.summary,
        transcript: hasFeature(plan, 'transcripts') ? call.transcript : null,
        recordingUrl: hasFeature(plan, 'recordings') ? call.recordingUrl : null,
      },
      { key: call.id },
    );
  }
  return queued;
}
