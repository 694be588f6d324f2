import { and, eq, inArray, lte, sql } from 'drizzle-orm';
import type { AppContext } from '../../context.js';
import { a2pRegistrations, businessProfiles, calls, notifications, phoneNumbers, userPreferences, type Notification } from '../../db/schema/index.js';
import { DEFAULT_TIME_ZONE } from '../../domain/hours.js';
import { quietUntil } from '../../domain/quiet-hours.js';
import { createKicker } from '../../lib/kicker.js';
import { preparedPerDb } from '../../db/client.js';
import { ProviderError } from '../../providers/errors.js';
import { countSmsUsed, insertMessage } from '../sms/sms.repo.js';
import { backoffMs } from '../webhook-endpoints/queue.js';
import { notificationEmail, notificationSms } from './notifications.message.js';

const BATCH = 20;
/** A claimed row is not due again for this long: longer than one send. */
const LEASE_MS = 2 * 60_000;
/** 30 s, 1, 2, 4 … min: about four hours of retries, then dead. */
const MAX_ATTEMPTS = 10;
const RUN_BUDGET_MS = 45_000;

/**
 * A claimed row whose lease ran out was being sent by a process that died. Email goes back
 * to the queue (the outbox refuses a second mail with the row's dedupe key); an SMS may or
 * may not have reached Twilio, so it is marked `unknown` and never resent.
 */
async function releaseInterrupted(ctx: AppContext) {
  await ctx.db
    .update(notifications)
    .set({
      status: sql`case when ${notifications.channel} = 'email' then 'pending' else 'unknown' end`,
      lastError: sql`case when ${notifications.channel} = 'email' then ${notifications.lastError}
        else 'Interrupted while sending; not resent so it is never sent twice' end`,
    })
    .where(and(eq(notifications.status, 'sending'), lte(notifications.nextAttemptAt, ctx.now())));
}

/** Claims due rows (status → sending, lease ahead); SKIP LOCKED lets instances share the queue. */
async function claimDue(ctx: AppContext): Promise<Notification[]> {
  const now = ctx.now();
  const due = ctx.db
    .select({ id: notifications.id })
    .from(notifications)
    .where(and(eq(notifications.status, 'pending'), lte(notifications.nextAttemptAt, now)))
    .orderBy(notifications.nextAttemptAt)
    .limit(BATCH)
    .for('update', { skipLocked: true });
  return ctx.db
    .update(notifications)
    .set({ status: 'sending', attempts: sql`${notifications.attempts} + 1`, nextAttemptAt: new Date(now.getTime() + LEASE_MS) })
    .where(and(inArray(notifications.id, due), eq(notifications.status, 'pending')))
    .returning();
}

/** The call, the organization's clock and number, and the user's quiet hours: one prepared read (one per notification sent). */
const contextRead = preparedPerDb((db) =>
  db
    .select({
      call: { id: calls.id, customerNumber: calls.customerNumber, summary: calls.summary, endedReason: calls.endedReason, outcome: calls.outcome },
      timezone: businessProfiles.timezone,
      from: phoneNumbers.number,
      messagingServiceSid: a2pRegistrations.messagingServiceSid,
      quietStart: userPreferences.quietStart,
      quietEnd: userPreferences.quietEnd,
    })
    .from(calls)
    .leftJoin(businessProfiles, eq(businessProfiles.organizationId, calls.organizationId))
    .leftJoin(phoneNumbers, eq(phoneNumbers.organizationId, calls.organizationId))
    .leftJoin(a2pRegistrations, eq(a2pRegistrations.organizationId, calls.organizationId))
    .leftJoin(userPreferences, eq(userPreferences.userId, sql.placeholder('userId')))
    .where(eq(calls.id, sql.placeholder('callId')))
    .prepare('notification_context'),
);

async function contextOf(ctx: AppContext, row: Notification) {
  const [found] = await contextRead(ctx.db).execute({ callId: row.callId, userId: row.userId });
  return found;
}

const settle = (ctx: AppContext, row: Notification, set: Partial<typeof notifications.$inferInsert>) =>
  ctx.db
    .update(notifications)
    .set(set)
    .where(and(eq(notifications.id, row.id), eq(notifications.status, 'sending')));

async function send(ctx: AppContext, row: Notification, c: NonNullable<Awaited<ReturnType<typeof contextOf>>>): Promise<string | null> {
  const link = `${ctx.config.appUrl}/dashboard/calls/${row.callId}`;
  if (row.channel === 'email') {
    await ctx.mailer.send({ to: row.to, ...notificationEmail(c.call, link), dedupeKey: `notification:${row.id}` });
    return null;
  }
  if (!c.from) throw new Error('The organization has no phone number to text from');
  const body = notificationSms(c.call, link);
  const message = await ctx.providers.twilio.sendSms({
    from: c.from,
    to: row.to,
    body,
    statusCallbackUrl: `${ctx.config.appUrl}/api/webhooks/twilio/sms-status`,
    messagingServiceSid: c.messagingServiceSid ?? undefined,
  });
  await insertMessage(ctx.db, {
    organizationId: row.organizationId,
    direction: 'OUTBOUND',
    twilioSid: message.sid,
    from: message.from ?? c.from,
    to: message.to,
    body,
    status: message.status,
    segments: message.numSegments,
  });
  await countSmsUsed(ctx.db, row.organizationId);
  return message.sid;
}

/** One claimed row: held (SMS in quiet hours), sent, or back in the queue with a backoff. */
async function attempt(ctx: AppContext, row: Notification): Promise<'sent' | 'held' | 'failed'> {
  const c = await contextOf(ctx, row);
  if (!c) {
    await settle(ctx, row, { status: 'dead', lastError: 'The call no longer exists' });
    return 'failed';
  }
  const quiet = c.quietStart && c.quietEnd ? { start: c.quietStart, end: c.quietEnd } : null;
  const until = row.channel === 'sms' ? quietUntil(ctx.now(), c.timezone ?? DEFAULT_TIME_ZONE, quiet) : null;
  if (until) {
    // Not an attempt: back in the queue, due when the quiet window ends.
    await settle(ctx, row, { status: 'pending', attempts: row.attempts - 1, nextAttemptAt: until });
    return 'held';
  }
  try {
    const providerId = await send(ctx, row, c);
    await settle(ctx, row, { status: 'sent', sentAt: ctx.now(), providerId, lastError: null });
    return 'sent';
  } catch (err) {
    const refused = err instanceof ProviderError && err.status === 400; // e.g. an invalid number: retrying cannot help
    const dead = refused || row.attempts >= MAX_ATTEMPTS;
    ctx.log.warn({ err, notificationId: row.id, channel: row.channel }, 'notification not sent');
    await settle(ctx, row, {
      status: dead ? 'dead' : 'pending',
      nextAttemptAt: new Date(ctx.now().getTime() + backoffMs(row.attempts)),
      lastError: (err as Error).message.slice(0, 1000),
    });
    return 'failed';
  }
}

/** Rounds of claim-and-send until nothing is due (or the time budget is spent). */
export async function sendDueNotifications(ctx: AppContext, budgetMs = RUN_BUDGET_MS) {
  const started = Date.now();
  const total = { sent: 0, held: 0, failed: 0 };
  await releaseInterrupted(ctx);
  for (;;) {
    const rows = await claimDue(ctx);
    for (const outcome of await Promise.all(rows.map((row) => attempt(ctx, row)))) total[outcome]++;
    if (rows.length < BATCH || Date.now() - started > budgetMs) return total;
  }
}

const kicker = createKicker('notifications', sendDueNotifications);
/** Sends what is due now, in the background: right after a call is stored. */
export const kickNotifications = (ctx: AppContext) => kicker.kick(ctx);
export const stopNotificationKicks = (ctx: AppContext) => kicker.stop(ctx);
/** Resolves when the background run in progress (if any) is over. */
export const notificationsIdle = (ctx: AppContext) => kicker.idle(ctx);
