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
  now: Date;
  /** A fresh id per attempt: the call row keeps the winner's, so the statement can tell whether it claimed. */
  claim: string;
  /** Store even when an enabled endpoint wants the call's events (the caller emits them in its transaction). */
  withSubscribers: boolean;
  /** The texts are already redacted: store even when the organization redacts PII. */
  redacted: boolean;
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
  organization_id: string;
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
const column = (k: string) => sql.raw(`"${k}"`);
const given = (k: Detail) => sql`${sql.placeholder(k)}::${sql.raw(DETAILS[k])}`;
const afterUpsert = (k: Detail) => sql`coalesce(excluded.${column(k)}, calls.${column(k)})`;
const now = sql`${sql.placeholder('now')}::timestamptz`;
const claim = sql`${sql.placeholder('claim')}::uuid`;
const eventKey = sql`${sql.placeholder('eventKey')}::text`;
const claimableOnInsert = sql`${given('duration_seconds')} is not null and ${notBlocked(sql`go.organization_id`, given('customer_number'))}`;
const claimableOnUpdate = sql`calls.usage_counted_at is null and ${afterUpsert('duration_seconds')} is not null
  and ${notBlocked(sql`calls.organization_id`, afterUpsert('customer_number'))}`;

/**
 * Stores a finished call's report and counts its seconds into the cycle, once, in ONE
 * prepared statement (one round trip, its own transaction): find the owning assistant,
 * record the webhook event (a duplicate stops there), upsert the call, claim its minutes,
 * open its follow-up and queue its notifications (follow-ups/after-call.sql.ts).
 *
 * The call row is the usage ledger: `usage_counted_at` is set once, by whichever report
 * (webhook or sync job, concurrent or later) first finds the call complete, and the upsert
 * keeps that attempt's `claim` id beside it, which is how the statement knows it won.
 * No shared counter row is written, so concurrent reports never queue on one lock.
 * A report without both timestamps claims nothing, so a later complete one still counts.
 *
 * With an enabled webhook endpoint and `withSubscribers` false it writes nothing and
 * answers `has-subscribers`: the caller repeats it in a transaction that also queues events.
 * Likewise, when the organization redacts PII and the texts are not `redacted`, it writes
 * nothing and answers `needs-redaction`: the common case (no redaction) stays one round trip.
 */
export const STORE_REPORT = sql`with target as (
    select a.id, a.organization_id,
      ${subscribedEventTypes(sql`a.organization_id`)} as subscribed,
      ${usageAlertsPending(sql`a.organization_id`)} as alerts_pending,
      coalesce((select p.redact_pii from privacy_settings p where p.organization_id = a.organization_id), false) as redact
    from assistants a where a.vapi_assistant_id = ${sql.placeholder('vapiAssistantId')}::text
  ), go as (
    select * from target where (${sql.placeholder('withSubscribers')}::boolean or subscribed is null)
      and (${sql.placeholder('redacted')}::boolean or not redact)
  ), event as (
    insert into webhook_events (provider, event_key, type, payload)
    select 'vapi', ${eventKey}, 'end-of-call-report', ${sql.placeholder('payload')}::jsonb from go where ${eventKey} is not null
    on conflict do nothing returning 1
  ), stored as (
    insert into calls (organization_id, assistant_id, vapi_call_id, status, ${sql.join(DETAIL_COLUMNS.map(column), sql`, `)}, usage_counted_at, usage_claim)
    select go.organization_id, go.id, ${sql.placeholder('vapiCallId')}::text, ${sql.placeholder('status')}::text,
      ${sql.join(
        DETAIL_COLUMNS.map((k) => (k === 'type' ? sql`coalesce(${given(k)}, 'inboundPhoneCall')` : given(k))),
        sql`, `,
      )},
      case when ${claimableOnInsert} then ${now} end, case when ${claimableOnInsert} then ${claim} end
    from go where ${eventKey} is null or exists (select 1 from event)
    on conflict (vapi_call_id) do update set
      ${sql.join(
        DETAIL_COLUMNS.map((k) => sql`${column(k)} = ${afterUpsert(k)}`),
        sql`, `,
      )},
      status = ${forwardStatus(sql`excluded.status`)},
      updated_at = now(),
      usage_counted_at = case when ${claimableOnUpdate} then ${now} else calls.usage_counted_at end,
      usage_claim = case when ${claimableOnUpdate} then ${claim} else calls.usage_claim end
    returning id, organization_id, usage_claim = ${claim} as claimed, duration_seconds, outcome, ended_reason, ended_at, customer_number
  ), ${enqueueAfterCall(now)}
  select t.organization_id, t.subscribed, t.alerts_pending, t.redact, exists (select 1 from go) as went,
    ${eventKey} is null or exists (select 1 from event) as fresh, s.id as call_id, s.claimed, s.duration_seconds,
    (select count(*) from notify)::int as notified
  from target t left join stored s on true`;
// Stryker disable next-line StringLiteral: the statement's name only lets Postgres plan it once
const storeReportStatement = preparedPerDb((db) => prepareRaw<StoreRow>(db, STORE_REPORT, 'store_report'));

export async function storeReport(db: Conn, input: ReportToStore & { withSubscribers: true }): Promise<Exclude<StoredReport, { outcome: 'has-subscribers' }>>;
export async function storeReport(db: Conn, input: ReportToStore): Promise<StoredReport>;
export async function storeReport(db: Conn, input: ReportToStore): Promise<StoredReport> {
  const [row] = await storeReportStatement(db)(storeReportValues(input));
  if (!row) return { outcome: 'unknown-assistant' };
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

/** STORE_REPORT's placeholders for one report (the bench's peer floor sends the same). */
export function storeReportValues(input: ReportToStore) {
  const r = input.report;
  return {
    vapiAssistantId: input.vapiAssistantId,
    withSubscribers: input.withSubscribers,
    redacted: input.redacted,
    eventKey: input.event?.key ?? null,
    payload: input.event ? JSON.stringify(input.event.payload ?? null) : null,
    vapiCallId: r.vapiCallId,
    status: r.status,
    now: input.now.toISOString(),
    claim: input.claim,
    type: r.type,
    customer_number: r.customerNumber ?? null,
    started_at: r.startedAt?.toISOString() ?? null,
    ended_at: r.endedAt?.toISOString() ?? null,
    duration_seconds: r.durationSeconds ?? null,
    ended_reason: r.endedReason ?? null,
    transcript: r.transcript ?? null,
    summary: r.summary ?? null,
    recording_url: r.recordingUrl ?? null,
    messages: r.messages ? JSON.stringify(r.messages) : null,
    cost_cents: r.costCents ?? null,
    outcome: r.outcome ? JSON.stringify(r.outcome) : null,
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
