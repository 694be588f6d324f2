import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { AppContext } from '../../context.js';
import { preparedPerDb, type Db, type Tx } from '../../db/client.js';
import { assistants } from '../../db/schema/index.js';
import { callStatusFromVapi, instantOf, parseEndOfCallReport, reportEventPayload, type CallReport } from '../../domain/calls.js';
import * as repo from './calls.repo.js';
import type { StoredReport } from './calls.repo.js';
import { storeWithOthers } from './report-batches.js';
import { emitCallReportEvents, emitCallStarted, eventTypeSet, subscribedEventTypes } from '../webhook-endpoints/call-emitters.js';
import { kickDeliveries } from '../webhook-endpoints/events.js';
import { checkUsageAlerts } from '../usage-alerts/usage-alerts.service.js';
import { textBackMissedCall } from '../missed-call-text/missed-call-text.service.js';
import { redactDeep, redactPii } from '../../domain/redact.js';
import { kickNotifications } from '../notifications/notifications.worker.js';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});

/** What happened to one server message, for logs and tests. */
export type IngestOutcome = 'stored' | 'duplicate' | 'unknown-assistant' | 'ignored';

/**
 * Who owns a VAPI assistant id, and the event types its organization's endpoints want, in
 * one prepared read: a status update is then this and one transaction. (End-of-call reports
 * fold the same lookup into their single statement: repo.storeReports.)
 */
const ownerOrganization = sql.raw('"assistants"."organization_id"');
const ingestTargetByVapiId = preparedPerDb((db) =>
  db
    .select({
      id: assistants.id,
      organizationId: assistants.organizationId,
      subscribedEvents: subscribedEventTypes(ownerOrganization),
    })
    .from(assistants)
    .where(eq(assistants.vapiAssistantId, sql.placeholder('vapiAssistantId')))
    .prepare('ingest_target_by_vapi_id'),
);

async function ingestTarget(ctx: AppContext, vapiAssistantId: string | undefined) {
  if (!vapiAssistantId) return undefined;
  const [row] = await ingestTargetByVapiId(ctx.db).execute({ vapiAssistantId });
  return row && { ...row, subscribedEvents: eventTypeSet(row.subscribedEvents) };
}

/** The report and its event payload with PII redacted (the organization's privacy choice). */
const redacted = (r: CallReport, payload: unknown) => ({
  report: { ...r, transcript: r.transcript && redactPii(r.transcript), summary: r.summary && redactPii(r.summary), messages: redactDeep(r.messages) },
  payload: redactDeep(payload),
});

/**
 * Stores a finished call and counts its minutes once. Shared by the webhook and the
 * sync-calls job, so whichever sees the call first writes it and the other only fills gaps.
 * Without webhook subscribers or PII redaction that is one statement, shared with the reports
 * that arrive at the same moment (report-batches.ts); with redaction, the statement answers
 * first that it must be redacted (before anything is written, so nothing downstream ever
 * reads the original); with subscribers, a transaction also queues `call.ended` / `call.analyzed`.
 */
export async function recordFinishedCall(ctx: AppContext, given: CallReport, eventKey?: string, givenPayload?: unknown) {
  if (!given.vapiAssistantId) return { outcome: 'unknown-assistant' as const };
  let input = {
    vapiAssistantId: given.vapiAssistantId,
    report: given,
    event: eventKey ? { key: eventKey, payload: givenPayload } : undefined,
    redacted: false,
  };
  const storeOnce = (conn: Db | Tx, withSubscribers: boolean) =>
    conn === ctx.db
      ? storeWithOthers(ctx, { ...input, withSubscribers })
      : repo.storeReport(conn, { ...input, withSubscribers }, { now: ctx.now(), claim: randomUUID() });
  async function store(conn: Tx, withSubscribers: true): Promise<Exclude<StoredReport, { outcome: 'has-subscribers' | 'needs-redaction' }>>;
  async function store(conn: Db, withSubscribers: false): Promise<Exclude<StoredReport, { outcome: 'needs-redaction' }>>;
  async function store(conn: Db | Tx, withSubscribers: boolean) {
    const first = await storeOnce(conn, withSubscribers);
    if (first.outcome !== 'needs-redaction') return first;
    const clean = redacted(input.report, givenPayload);
    input = { ...input, report: clean.report, event: eventKey ? { key: eventKey, payload: clean.payload } : undefined, redacted: true };
    // Redacted texts never answer needs-redaction.
    return storeOnce(conn, withSubscribers);
  }
  let stored = await store(ctx.db, false);
  let queued = 0;
  if (stored.outcome === 'has-subscribers') {
    stored = await ctx.db.transaction(async (tx) => {
      const inTx = await store(tx, true);
      if (inTx.outcome === 'stored') queued = await emitCallReportEvents(ctx, tx, inTx.organizationId, inTx.callId, eventTypeSet(inTx.subscribedEvents));
      return inTx;
    });
  }
  const report = input.report;
  if (queued > 0) kickDeliveries(ctx);
  if (stored.outcome === 'stored' && stored.notified > 0) {
    // Test-only: the restart proof kills the process here, after the call and its
    // notifications are stored and before anything is sent (test/proof/after-call-restart.test.ts).
    if (process.env.EPOCH_TEST_SIGKILL_AFTER_CALL_STORED === '1') process.kill(process.pid, 'SIGKILL');
    kickNotifications(ctx);
  }
  if (stored.outcome === 'stored' && stored.countedSeconds > 0 && stored.usageAlertsPending) await checkUsageAlerts(ctx, stored.organizationId);
  if (stored.outcome === 'stored') await textBackMissedCall(ctx, stored.organizationId, stored.callId, report);
  return stored;
}

/** Handles the VAPI server messages that change call state (status-update, end-of-call-report). */
export async function ingestCallMessage(ctx: AppContext, message: Json): Promise<IngestOutcome> {
  const type = message.type;
  if (type === 'end-of-call-report') {
    const report = parseEndOfCallReport(message);
    if (!report) return 'ignored';
    const result = await recordFinishedCall(ctx, report, `${report.vapiCallId}:end-of-call-report`, reportEventPayload(message));
    if (result.outcome === 'unknown-assistant') ctx.log.warn({ vapiCallId: report.vapiCallId }, 'VAPI report for an assistant we do not know');
    return result.outcome;
  }
  if (type === 'status-update') {
    const call = obj(message.call);
    const vapiCallId = typeof call.id === 'string' ? call.id : undefined;
    const status = callStatusFromVapi(String(message.status ?? call.status ?? ''), message.endedReason as string | undefined);
    const assistantVapiId = typeof call.assistantId === 'string' ? call.assistantId : undefined;
    if (!vapiCallId || !status || !assistantVapiId) return 'ignored';
    const owner = await ingestTarget(ctx, assistantVapiId);
    if (!owner) {
      ctx.log.warn({ vapiCallId }, 'VAPI status for an assistant we do not know');
      return 'unknown-assistant';
    }
    let queued = 0;
    const outcome = await ctx.db.transaction(async (tx) => {
      const key = `${vapiCallId}:status-update:${String(message.status ?? call.status)}`;
      if (!(await repo.recordWebhookEvent(tx, { provider: 'vapi', eventKey: key, type: 'status-update', payload: message }))) {
        return 'duplicate' as const;
      }
      const startedAt = status === 'IN_PROGRESS' ? (instantOf(message.timestamp) ?? ctx.now()) : undefined;
      await repo.upsertCallStatus(tx, {
        organizationId: owner.organizationId,
        assistantId: owner.id,
        vapiCallId,
        type: typeof call.type === 'string' ? call.type : undefined,
        status,
        customerNumber: typeof obj(call.customer).number === 'string' ? (obj(call.customer).number as string) : undefined,
        startedAt,
      });
      if (status === 'IN_PROGRESS') queued = await emitCallStarted(ctx, tx, owner.organizationId, vapiCallId, owner.subscribedEvents);
      return 'stored' as const;
    });
    if (queued > 0) kickDeliveries(ctx);
    return outcome;
  }
  return 'ignored';
}
