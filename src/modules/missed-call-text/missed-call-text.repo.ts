import { and, eq, isNull, sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client.js';
import { missedCallTexts, missedCallTextSettings } from '../../db/schema/index.js';

export async function findSettings(db: Db, organizationId: string) {
  const [row] = await db.select().from(missedCallTextSettings).where(eq(missedCallTextSettings.organizationId, organizationId));
  return row;
}

export async function saveSettings(db: Db, organizationId: string, v: { enabled: boolean; message: string }) {
  await db
    .insert(missedCallTextSettings)
    .values({ organizationId, ...v })
    .onConflictDoUpdate({ target: missedCallTextSettings.organizationId, set: { ...v, updatedAt: sql`now()` } });
}

export interface TextBackTarget {
  enabled: boolean;
  message: string;
  plan: string;
  a2pStatus: string | null;
  blocked: boolean;
  optedOut: boolean;
  business: string;
}

/** Everything that decides whether a missed caller may be texted, in one read. */
export async function textBackTarget(db: Db, organizationId: string, number: string) {
  const [row] = await queryRows<TextBackTarget>(
    db,
    sql`select s.enabled, s.message, o.plan, a.status as "a2pStatus", o.name as business,
        exists (select 1 from blocked_numbers b where b.organization_id = o.id and b.number = ${number}) as blocked,
        exists (select 1 from sms_opt_outs x where x.organization_id = o.id and x.number = ${number}) as "optedOut"
      from organizations o
      join missed_call_text_settings s on s.organization_id = o.id
      left join a2p_registrations a on a.organization_id = o.id
      where o.id = ${organizationId}`,
  );
  return row;
}

/**
 * Claims the right to text this caller for this call: a new row, or a row whose last text
 * is at least 24 h old and for another call. One statement, so of any number of concurrent
 * attempts exactly one gets a row back.
 */
export async function claimTextBack(db: Db, v: { organizationId: string; number: string; callId: string; now: Date }) {
  const rows = await db
    .insert(missedCallTexts)
    .values({ organizationId: v.organizationId, number: v.number, callId: v.callId, sentAt: v.now })
    .onConflictDoUpdate({
      target: [missedCallTexts.organizationId, missedCallTexts.number],
      set: { callId: v.callId, sentAt: v.now, twilioSid: null },
      setWhere: sql`${missedCallTexts.sentAt} <= ${v.now.toISOString()}::timestamptz - interval '24 hours' and ${missedCallTexts.callId} is distinct from ${v.callId}::uuid`,
    })
    .returning({ number: missedCallTexts.number });
  return rows.length > 0;
}

export async function recordTextSid(db: Db, organizationId: string, number: string, callId: string, twilioSid: string) {
  await db
    .update(missedCallTexts)
    .set({ twilioSid })
    .where(and(eq(missedCallTexts.organizationId, organizationId), eq(missedCallTexts.number, number), eq(missedCallTexts.callId, callId)));
}

/** A send that failed gives its claim back, so the caller's next missed call may try again. */
export async function releaseClaim(db: Db, organizationId: string, number: string, callId: string) {
  await db
    .delete(missedCallTexts)
    .where(and(eq(missedCallTexts.organizationId, organizationId), eq(missedCallTexts.number, number), eq(missedCallTexts.callId, callId), isNull(missedCallTexts.twilioSid)));
}

/** Was a missed-call text sent for this call? (Shown on the call's page.) */
export async function textSentForCall(db: Db, organizationId: string, callId: string) {
  const [row] = await db
    .select({ sentAt: missedCallTexts.sentAt })
    .from(missedCallTexts)
    .where(and(eq(missedCallTexts.organizationId, organizationId), eq(missedCallTexts.callId, callId)));
  return row?.sentAt ?? null;
}
