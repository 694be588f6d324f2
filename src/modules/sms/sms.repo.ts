import { and, count, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { a2pRegistrations, phoneNumbers, smsMessages } from '../../db/schema/index.js';
import { SMS_STATUS_ORDER } from '../../domain/twilio-status.js';

/** Whose number is this (E.164)? */
export async function organizationOfNumber(db: Db, number: string) {
  const [row] = await db.select({ organizationId: phoneNumbers.organizationId }).from(phoneNumbers).where(eq(phoneNumbers.number, number));
  return row?.organizationId;
}

/** Stores a message once per Twilio sid: Twilio retries, and retries must not duplicate. */
export async function insertMessage(db: Db, values: typeof smsMessages.$inferInsert) {
  const rows = await db.insert(smsMessages).values(values).onConflictDoNothing().returning({ id: smsMessages.id });
  return rows.length > 0;
}

const rank = (status: unknown) => sql`array_position(${sql.raw(`ARRAY[${SMS_STATUS_ORDER.map((s) => `'${s}'`).join(',')}]`)}::text[], ${status})`;

/** Moves a message's status forward only, in one statement (no read-then-write race). */
export async function advanceStatus(db: Db, twilioSid: string, status: string, errorCode: number | null) {
  await db
    .update(smsMessages)
    .set({ status, errorCode, updatedAt: sql`now()` })
    .where(and(eq(smsMessages.twilioSid, twilioSid), sql`coalesce(${rank(sql`${status}::text`)}, -1) > coalesce(${rank(smsMessages.status)}, -1)`));
}

export async function listMessages(db: Db, organizationId: string, q: { page: number; limit: number; direction?: 'INBOUND' | 'OUTBOUND' }) {
  const where = and(eq(smsMessages.organizationId, organizationId), q.direction ? eq(smsMessages.direction, q.direction) : undefined);
  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(smsMessages)
      .where(where)
      .orderBy(desc(smsMessages.createdAt), desc(smsMessages.id))
      .offset((q.page - 1) * q.limit)
      .limit(q.limit),
    db.select({ n: count() }).from(smsMessages).where(where),
  ]);
  return { rows, total: total?.n ?? 0 };
}

export async function countSmsUsed(db: Db, organizationId: string) {
  await db
    .insert(a2pRegistrations)
    .values({ organizationId, smsUsed: 1 })
    .onConflictDoUpdate({ target: a2pRegistrations.organizationId, set: { smsUsed: sql`${a2pRegistrations.smsUsed} + 1`, updatedAt: sql`now()` } });
}
