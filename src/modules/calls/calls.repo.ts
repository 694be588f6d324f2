import { and, eq, sql, type SQL } from 'drizzle-orm';
import { preparedPerDb, prepareRaw, type Db, type Tx } from '../../db/client.js';
import { assistants, calls, webhookEvents, type CallStatus, type WebhookEventType } from '../../db/schema/index.js';
import { subscribedEventTypes } from '../webhook-endpoints/call-emitters.js';
import { usageAlertsPending } from '../usage-alerts/usage-alerts.service.js';
import { CALL_STATUS_ORDER, type CallReport } from '../../domain/calls.js';
import { enqueueAfterCall } from '../follow-ups/after-call.sql.js';

type Conn = Db | Tx;

/** The organization and assistant that own a VAPI assistant id, if it is ours. */
export async function findAssistantByVapiId(db: Conn, vapiAssistantId: string) {
  const [row] = await db
    .select({ id: assistants.id, organizationId: assistants.organizationId })
    .from(assistants)
    .where(eq(assistants.vapiAssistantId, vapiAssistantId));
  return row;
}

/** Records a provider event once; false when it was seen before (the key is the guard). */
export async function recordWebhookEvent(db: Conn, e: { provider: string; eventKey: string; type: string; payload: unknown }) {
  const rows = await db.insert(webhookEvents).values(e).onConflictDoNothing().returning({ key: webhookEvents.eventKey });
  return rows.length > 0;
}

const statusRank = (column: unknown) => sql`array_position(${sql.raw(`ARRAY[${CALL_STATUS_ORDER.map((s) => `'${s}'`).join(',')}]`)}::text[], ${column})`;

/** The later of the stored and the incoming status: statuses never move backwards. */
const forwardStatus = (incoming: SQL) =>
  sql`case when ${statusRank(incoming)} > ${statusRank(calls.status)} then ${incoming} else ${calls.status} end`;

export interface CallUpsert {
  organizationId: string;
  assistantId: string | null;
  vapiCallId: string;
  type?: string;
  status: CallStatus;
  customerNumber?: string;
  startedAt?: Date;
}

/** Creates the call or moves it forward; keyed on vapi_call_id so every path converges on one row. */
export async function upsertCallStatus(db: Conn, c: CallUpsert) {
  await db
    .insert(calls)
    .values({ ...c, type: c.type ?? 'inboundPhoneCall' })
    .onConflictDoUpdate({
      target: calls.vapiCallId,
      set: {
        status: forwardStatus(sql`${c.status}::text`),
        startedAt: sql`coalesce(${calls.startedAt}, excluded.started_at)`,
        customerNumber: sql`coalesce(${calls.customerNumber}, excluded.customer_number)`,
        updatedAt: sql`now()`,
      },
    });
}

export interface ReportToStore {
  vapiAssistantId: string;
  report: CallReport;
  /** The webhook event that carried the report (stored once: its key is the guard); none from the sync job. */
  event?: { key: string; payload: unknown };
  /** Store even when an enabled endpoint wants the call's events (the caller emits them in its transaction). */
  withSubscribers: boolean;
  /** The texts are already redacted: store even when the organization redacts PII. */
  redacted: boolean;
}

/** What one statement shares across its reports. */
export interface StoreAttempt {
  now: Date;
  /** A fresh id per statement: the call row keeps the winner's, so the statement can tell whether it claimed. */
  claim: string;
}

export type StoredReport =
  | { outcome: 'unknown-assistant' }
  | { outcome: 'has-subscribers' }
  | { outcome: 'needs-redaction' }
  | { outcome: 'duplicate' }
  | {
      outcome: 'stored';
      callId: string;
      organizationId: string;
      countedSeconds: number;
      usageAlertsPending: boolean;
      subscribedEvents: WebhookEventType[][] | null;
      /** Notifications queued by this report (the worker should be kicked). */
      notified: number;
    };

interface StoreRow {
  ord: number;
  organization_id: string | null;
  subscribed: WebhookEventType[][] | null;
  alerts_pending: boolean;
  redact: boolean;
  went: boolean;
  fresh: boolean;
  call_id: string | null;
  claimed: boolean | null;
  duration_seconds: number | null;
  notified: number;
}

/** A blocked caller's call is kept for the record but its minutes are never claimed. */
const notBlocked = (organizationId: SQL, number: SQL) =>
  sql`not exists (select 1 from blocked_numbers b where b.organization_id = ${organizationId} and b.number = ${number})`;

/** The report's details; each one it carries replaces the stored one, each it lacks (null) keeps it. */
const DETAILS = {
  type: 'text',
  customer_number: 'text',
  started_at: 'timestamptz',
  ended_at: 'timestamptz',
  duration_seconds: 'int',
  ended_reason: 'text',
  transcript: 'text',
  summary: 'text',
  recording_url: 'text',
  messages: 'jsonb',
  cost_cents: 'int',
  outcome: 'jsonb',
} as const;
type Detail = keyof typeof DETAILS;
const DETAIL_COLUMNS = Object.keys(DETAILS) as Detail[];
/** One report as the statement reads it (a jsonb array of these, storeReportValues). */
const REPORT_FIELDS = {
  ord: 'int',
  vapi_assistant_id: 'text',
  with_subscribers: 'boolean',
  redacted: 'boolean',
  event_key: 'text',
  payload: 'jsonb',
  vapi_call_id: 'text',
  status: 'text',
  ...DETAILS,
} as const;
const column = (k: string) => sql.raw(`"${k}"`);
const afterUpsert = (k: Detail) => sql`coalesce(excluded.${column(k)}, calls.${column(k)})`;
const now = sql`${sql.placeholder('now')}::timestamptz`;
const claim = sql`${sql.placeholder('claim')}::uuid`;
const claimableOnInsert = sql`go.duration_seconds is not null and ${notBlocked(sql`go.organization_id`, sql`go.customer_number`)}`;
const claimableOnUpdate = sql`calls.usage_counted_at is null and ${afterUpsert('duration_seconds')} is not null
  and ${notBlocked(sql`calls.organization_id`, afterUpsert('customer_number'))}`;

/**
 * Stores finished calls' reports and counts their seconds into the cycle, once, in ONE
 * prepared statement (one round trip, its own transaction) for any number of reports: find
 * the owning assistants, record the webhook events (a duplicate stops there), upsert the
 * calls, claim their minutes, open their follow-ups and queue their notifications
 * (follow-ups/after-call.sql.ts). One answer row per report, by its `ord`.
 *
 * The call row is the usage ledger: `usage_counted_at` is set once, by whichever report
 * (webhook or sync job, concurrent or later) first finds the call complete, and the upsert
 * keeps that statement's `claim` id beside it, which is how the statement knows it won.
 * No shared counter row is written, so concurrent reports never queue on one lock.
 * A report without both timestamps claims nothing, so a later complete one still counts.
 *
 * The reports of one statement must be of distinct calls (an upsert cannot touch a row
 * twice). Events and calls are written in key order, so statements sharing a call wait
 * for each other instead of deadlocking.
 *
 * A report with `with_subscribers` false whose organization has an enabled webhook endpoint
 * writes nothing and answers `has-subscribers`: the caller repeats it in a transaction that
 * also queues events. Likewise, when the organization redacts PII and the texts are not
 * `redacted`, it writes nothing and answers `needs-redaction`.
 */
export const STORE_REPORTS = sql`with input as (
    select * from jsonb_to_recordset(${sql.placeholder('reports')}::jsonb)
      as r(${sql.join(
        Object.entries(REPORT_FIELDS).map(([k, type]) => sql`${column(k)} ${sql.raw(type)}`),
        sql`, `,
      )})
  ), owner as (
    select a.id, a.organization_id, a.vapi_assistant_id,
      ${subscribedEventTypes(sql`a.organization_id`)} as subscribed,
      ${usageAlertsPending(sql`a.organization_id`)} as alerts_pending,
      coalesce((select p.redact_pii from privacy_settings p where p.organization_id = a.organization_id), false) as redact
    from assistants a where a.vapi_assistant_id in (select vapi_assistant_id from input)
  ), go as (
    select i.*, o.id as assistant_id, o.organization_id from input i join owner o using (vapi_assistant_id)
    where (i.with_subscribers or o.subscribed is null) and (i.redacted or not o.redact)
  ), event as (
    insert into webhook_events (provider, event_key, type, payload)
    select 'vapi', event_key, 'end-of-call-report', coalesce(payload, 'null'::jsonb) from go where event_key is not null order by event_key
    on conflict do nothing returning event_key
  ), stored as (
    insert into calls (organization_id, assistant_id, vapi_call_id, status, ${sql.join(DETAIL_COLUMNS.map(column), sql`, `)}, usage_counted_at, usage_claim)
    select go.organization_id, go.assistant_id, go.vapi_call_id, go.status,
      ${sql.join(
        DETAIL_COLUMNS.map((k) => (k === 'type' ? sql`coalesce(go.type, 'inboundPhoneCall')` : sql`go.${column(k)}`)),
        sql`, `,
      )},
      case when ${claimableOnInsert} then ${now} end, case when ${claimableOnInsert} then ${claim} end
    from go where go.event_key is null or go.event_key in (select event_key from event)
    order by go.vapi_call_id
    on conflict (vapi_call_id) do update set
      ${sql.join(
        DETAIL_COLUMNS.map((k) => sql`${column(k)} = ${afterUpsert(k)}`),
        sql`, `,
      )},
      status = ${forwardStatus(sql`excluded.status`)},
      updated_at = now(),
      usage_counted_at = case when ${claimableOnUpdate} then ${now} else calls.usage_counted_at end,
      usage_claim = case when ${claimableOnUpdate} then ${claim} else calls.usage_claim end
    returning id, organization_id, vapi_call_id, usage_claim = ${claim} as claimed, duration_seconds, outcome, ended_reason, ended_at, customer_number
  ), ${enqueueAfterCall(now)}
  select i.ord, o.organization_id, o.subscribed, o.alerts_pending, o.redact,
    exists (select 1 from go where go.ord = i.ord) as went,
    i.event_key is null or i.event_key in (select event_key from event) as fresh,
    s.id as call_id, s.claimed, s.duration_seconds,
    (select count(*) from notify n where n.call_id = s.id)::int as notified
  from input i left join owner o using (vapi_assistant_id) left join stored s using (vapi_call_id)`;
// Stryker disable next-line StringLiteral: the statement's name only lets Postgres plan it once
const storeReportsStatement = preparedPerDb((db) => prepareRaw<StoreRow>(db, STORE_REPORTS, 'store_reports'));

/** Stores reports of distinct calls in one statement; answers in the order given. */
export async function storeReports(db: Conn, reports: ReportToStore[], attempt: StoreAttempt): Promise<StoredReport[]> {
  const rows = await storeReportsStatement(db)(storeReportValues(reports, attempt));
  const byOrd = new Map(rows.map((row) => [row.ord, row]));
  return reports.map((input, ord) => outcomeOf(input, byOrd.get(ord)!));
}

export async function storeReport(db: Conn, input: ReportToStore, attempt: StoreAttempt): Promise<StoredReport> {
  const [stored] = await storeReports(db, [input], attempt);
  return stored!;
}

function outcomeOf(input: ReportToStore, row: StoreRow): StoredReport {
  if (!row.organization_id) return { outcome: 'unknown-assistant' };
  if (row.redact && !input.redacted) return { outcome: 'needs-redaction' };
  if (!row.went) return { outcome: 'has-subscribers' };
  if (!row.fresh || !row.call_id) return { outcome: 'duplicate' };
  return {
    outcome: 'stored',
    callId: row.call_id,
    organizationId: row.organization_id,
    countedSeconds: row.claimed ? (row.duration_seconds ?? 0) : 0,
    usageAlertsPending: row.alerts_pending,
    subscribedEvents: row.subscribed,
    notified: row.notified,
  };
}

/** STORE_REPORTS' placeholders for reports of distinct calls (the bench's peer floor sends the same). */
export function storeReportValues(reports: ReportToStore[], attempt: StoreAttempt) {
  return {
    reports: JSON.stringify(
      reports.map((input, ord) => {
        const r = input.report;
        return {
          ord,
          vapi_assistant_id: input.vapiAssistantId,
          with_subscribers: input.withSubscribers,
          redacted: input.redacted,
          event_key: input.event?.key ?? null,
          payload: input.event ? (input.event.payload ?? null) : null,
          vapi_call_id: r.vapiCallId,
          status: r.status,
          type: r.type,
          customer_number: r.customerNumber ?? null,
          started_at: r.startedAt?.toISOString() ?? null,
          ended_at: r.endedAt?.toISOString() ?? null,
          duration_seconds: r.durationSeconds ?? null,
          ended_reason: r.endedReason ?? null,
          transcript: r.transcript ?? null,
          summary: r.summary ?? null,
          recording_url: r.recordingUrl ?? null,
          messages: r.messages ?? null,
          cost_cents: r.costCents ?? null,
          outcome: r.outcome ?? null,
        };
      }),
    ),
    now: attempt.now.toISOString(),
    claim: attempt.claim,
  };
}

export async function findCall(db: Conn, organizationId: string, id: string) {
  const [row] = await db.select().from(calls).where(and(eq(calls.organizationId, organizationId), eq(calls.id, id)));
  return row;
}

export async function findCallByVapiId(db: Conn, organizationId: string, vapiCallId: string) {
  const [row] = await db
    .select()
    .from(calls)
    .where(and(eq(calls.organizationId, organizationId), eq(calls.vapiCallId, vapiCallId)));
  return row;
}
