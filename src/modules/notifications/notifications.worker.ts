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

/** For each claimed row: its call, the organization's clock and number, the user's quiet hours. One prepared read per batch. */
const contextRead = preparedPerDb((db) =>
  db
    .select({
      notificationId: notifications.id,
      call: { id: calls.id, customerNumber: calls.customerNumber, summary: calls.summary, endedReason: calls.endedReason, outcome: calls.outcome },
      timezone: businessProfiles.timezone,
      from: phoneNumbers.number,
      messagingServiceSid: a2pRegistrations.messagingServiceSid,
      quietStart: userPreferences.quietStart,
      quietEnd: userPreferences.quietEnd,
    })
    .from(notifications)
    .innerJoin(calls, eq(calls.id, notifications.callId))
    .leftJoin(businessProfiles, eq(businessProfiles.organizationId, calls.organizationId))
    .leftJoin(phoneNumbers, eq(phoneNumbers.organizationId, calls.organizationId))
    .leftJoin(a2pRegistrations, eq(a2pRegistrations.organizationId, calls.organizationId))
    .leftJoin(userPreferences, eq(userPreferences.userId, notifications.userId))
    .where(sql`${notifications.id} = any(${sql.placeholder('ids')}::uuid[])`)
    .prepare('notification_contexts'),
);
type Context = Awaited<ReturnType<ReturnType<typeof contextRead>['execute']>>[number];

/** Claimed rows by id to their context; a row whose call is gone has none. */
async function contextsOf(ctx: AppContext, rows: Notification[]) {
  const contexts = new Map<string, Context>();
  // Several numbers in one organization: the first, as for one row.
  for (const c of await contextRead(ctx.db).execute({ ids: rows.map((r) => r.id) })) if (!contexts.has(c.notificationId)) contexts.set(c.notificationId, c);
  return contexts;
}

const settle = (ctx: AppContext, row: Notification, set: Partial<typeof notifications.$inferInsert>) =>
  ctx.db
    .update(notifications)
    .set(set)
    .where(and(eq(notifications.id, row.id), eq(notifications.status, 'sending')));

const linkTo = (ctx: AppContext, row: Notification) => `${ctx.config.appUrl}/dashboard/calls/${row.callId}`;

/** Back in the queue with a backoff, or dead: a refusal (e.g. an invalid number) or the last attempt. */
async function failed(ctx: AppContext, row: Notification, err: unknown): Promise<'failed'> {
  const refused = err instanceof ProviderError && err.status === 400; // retrying cannot help
  const dead = refused || row.attempts >= MAX_ATTEMPTS;
  ctx.log.warn({ err, notificationId: row.id, channel: row.channel }, 'notification not sent');
  await settle(ctx, row, {
    status: dead ? 'dead' : 'pending',
    nextAttemptAt: new Date(ctx.now().getTime() + backoffMs(row.attempts)),
    lastError: (err as Error).message.slice(0, 1000),
  });
  return 'failed';
}

/** A batch's emails: one outbox write, one update marking them sent. */
async function sendEmails(ctx: AppContext, rows: Notification[], contexts: Map<string, Context>): Promise<Array<'sent' | 'failed'>> {
  if (rows.length === 0) return [];
  try {
    await ctx.mailer.sendMany(rows.map((row) => ({ to: row.to, ...notificationEmail(contexts.get(row.id)!.call, linkTo(ctx, row)), dedupeKey: `notification:${row.id}` })));
  } catch (err) {
    return Promise.all(rows.map((row) => failed(ctx, row, err)));
  }
  await ctx.db
    .update(notifications)
    .set({ status: 'sent', sentAt: ctx.now(), providerId: null, lastError: null })
    .where(and(inArray(notifications.id, rows.map((r) => r.id)), eq(notifications.status, 'sending')));
  return rows.map(() => 'sent' as const);
}

async function sendSms(ctx: AppContext, row: Notification, c: Context): Promise<string> {
  if (!c.from) throw new Error('The organization has no phone number to text from');
  const body = notificationSms(c.call, linkTo(ctx, row));
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

/** One claimed SMS: held (quiet hours), sent, or back in the queue with a backoff. */
async function attemptSms(ctx: AppContext, row: Notification, c: Context): Promise<'sent' | 'held' | 'failed'> {
  const quiet = c.quietStart && c.quietEnd ? { start: c.quietStart, end: c.quietEnd } : null;
  const until = quietUntil(ctx.now(), c.timezone ?? DEFAULT_TIME_ZONE, quiet);
  if (until) {
    // Not an attempt: back in the queue, due when the quiet window ends.
    await settle(ctx, row, { status: 'pending', attempts: row.attempts - 1, nextAttemptAt: until });
    return 'held';
  }
  try {
    const providerId = await sendSms(ctx, row, c);
    await settle(ctx, row, { status: 'sent', sentAt: ctx.now(), providerId, lastError: null });
    return 'sent';
  } catch (err) {
    return failed(ctx, row, err);
  }
}

/** One claimed batch: a row whose call is gone is dead, emails go together, each SMS on its own. */
async function sendBatch(ctx: AppContext, rows: Notification[]) {
  const contexts = await contextsOf(ctx, rows);
  const orphaned = rows.filter((row) => !contexts.has(row.id));
  const emails = rows.filter((row) => contexts.has(row.id) && row.channel === 'email');
  const texts = rows.filter((row) => contexts.has(row.id) && row.channel === 'sms');
  const outcomes = await Promise.all([
    ...orphaned.map(async (row) => {
      await settle(ctx, row, { status: 'dead', lastError: 'The call no longer exists' });
      return ['failed' as const];
    }),
    sendEmails(ctx, emails, contexts),
    ...texts.map(async (row) => [await attemptSms(ctx, row, contexts.get(row.id)!)]),
  ]);
  return outcomes.flat();
}

/** Rounds of claim-and-send until nothing is due (or the time budget is spent). */
export async function sendDueNotifications(ctx: AppContext, budgetMs = RUN_BUDGET_MS) {
  const started = Date.now();
  const total = { sent: 0, held: 0, failed: 0 };
  await releaseInterrupted(ctx);
  for (;;) {
    const rows = await claimDue(ctx);
    if (rows.length > 0) for (const outcome of await sendBatch(ctx, rows)) total[outcome]++;
    if (rows.length < BATCH || Date.now() - started > budgetMs) return total;
  }
}

const kicker = createKicker('notifications', sendDueNotifications);
/** Sends what is due now, in the background: right after a call is stored. */
export const kickNotifications = (ctx: AppContext) => kicker.kick(ctx);
export const stopNotificationKicks = (ctx: AppContext) => kicker.stop(ctx);
/** Resolves when the background run in progress (if any) is over. */
export const notificationsIdle = (ctx: AppContext) => kicker.idle(ctx);
