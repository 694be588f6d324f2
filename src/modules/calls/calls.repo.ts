import { and, desc, eq, isNotNull, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.js';
import { assistants, calls, webhookEvents, type CallStatus } from '../../db/schema/index.js';
import { CALL_STATUS_ORDER, type CallReport } from '../../domain/calls.js';

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
const forwardStatus = (incoming: CallStatus) =>
  sql`case when ${statusRank(sql`${incoming}::text`)} > ${statusRank(calls.status)} then ${incoming} else ${calls.status} end`;

/** A blocked caller's call is kept for the record but its minutes are never claimed. */
const notFromBlockedCaller = sql`not exists (select 1 from blocked_numbers b where b.organization_id = calls.organization_id and b.number = calls.customer_number)`;

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
        status: forwardStatus(c.status),
        startedAt: sql`coalesce(${calls.startedAt}, excluded.started_at)`,
        customerNumber: sql`coalesce(${calls.customerNumber}, excluded.customer_number)`,
        updatedAt: sql`now()`,
      },
    });
}

/**
 * Stores a finished call's report and counts its seconds into the cycle, once: the call
 * row is the usage ledger, and `usage_counted_at` is claimed by one UPDATE, so a second
 * report (webhook or sync job, concurrent or later) finds it taken and counts nothing.
 * No shared counter row is written, so concurrent reports never queue on one lock.
 */
export async function storeReportAndCountUsage(
  tx: Tx,
  organizationId: string,
  assistantId: string | null,
  r: CallReport,
  now: Date,
) {
  const details = {
    type: r.type,
    customerNumber: r.customerNumber,
    startedAt: r.startedAt,
    endedAt: r.endedAt,
    durationSeconds: r.durationSeconds,
    endedReason: r.endedReason,
    transcript: r.transcript,
    summary: r.summary,
    recordingUrl: r.recordingUrl,
    messages: r.messages,
    costCents: r.costCents,
  };
  const [row] = await tx
    .insert(calls)
    .values({ organizationId, assistantId, vapiCallId: r.vapiCallId, status: r.status, ...details })
    .onConflictDoUpdate({
      target: calls.vapiCallId,
      set: {
        ...Object.fromEntries(Object.entries(details).filter(([, v]) => v !== undefined)),
        status: forwardStatus(r.status),
        updatedAt: sql`now()`,
      },
    })
    .returning({ id: calls.id });
  const claimed = await tx
    .update(calls)
    .set({ usageCountedAt: now })
    .where(and(eq(calls.id, row!.id), isNull(calls.usageCountedAt), isNotNull(calls.durationSeconds), notFromBlockedCaller))
    .returning({ seconds: calls.durationSeconds });
  // A report without both timestamps claims nothing, so a later complete one still counts.
  return { callId: row!.id, countedSeconds: claimed[0]?.seconds ?? 0 };
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

/** Newest first, keyset-paginated on (created_at, id). */
export async function listCalls(db: Conn, organizationId: string, limit: number, after?: { createdAt: Date; id: string }) {
  return db
    .select({
      id: calls.id,
      vapiCallId: calls.vapiCallId,
      type: calls.type,
      status: calls.status,
      customerNumber: calls.customerNumber,
      startedAt: calls.startedAt,
      endedAt: calls.endedAt,
      durationSeconds: calls.durationSeconds,
      endedReason: calls.endedReason,
      summary: calls.summary,
      createdAt: calls.createdAt,
    })
    .from(calls)
    .where(
      and(
        eq(calls.organizationId, organizationId),
        after
          ? or(lt(calls.createdAt, after.createdAt), and(eq(calls.createdAt, after.createdAt), lt(calls.id, after.id)))
          : undefined,
      ),
    )
    .orderBy(desc(calls.createdAt), desc(calls.id))
    .limit(limit);
}
