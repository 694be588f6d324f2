import { and, desc, eq } from 'drizzle-orm';
import type { AppContext } from '../../context.js';
import { calls, notifications, userPreferences, type NotifyTrigger } from '../../db/schema/index.js';
import { notFound } from '../../errors.js';
import type { AuthContext } from '../auth/sessions.js';

export interface NotificationPreferences {
  email: boolean;
  sms: boolean;
  smsNumber: string | null;
  trigger: NotifyTrigger;
  quietHours: { start: string; end: string } | null;
}

/**
 * The address a viewer may read: owners and admins see every one; a member sees their own and
 * colleagues' emails (the team list shows those), but of a colleague's mobile number only the
 * last four digits.
 */
export function visibleAddress(row: { userId: string; channel: string; to: string }, viewer: Pick<AuthContext, 'userId' | 'role'>) {
  if (viewer.role !== 'member' || row.userId === viewer.userId || row.channel !== 'sms') return row.to;
  return `•••${row.to.slice(-4)}`;
}

/** The user's choices, or the defaults the enqueue statement applies (follow-ups/after-call.sql.ts). */
export async function getPreferences(ctx: AppContext, auth: AuthContext): Promise<{ preferences: NotificationPreferences }> {
  const [p] = await ctx.db.select().from(userPreferences).where(eq(userPreferences.userId, auth.userId));
  const owner = auth.role === 'owner';
  return {
    preferences: {
      email: p?.notifyEmail ?? owner,
      sms: p?.notifySms ?? false,
      smsNumber: p?.smsNumber ?? null,
      trigger: p?.notifyTrigger ?? (owner ? 'follow_up_only' : 'off'),
      quietHours: p?.quietStart && p.quietEnd ? { start: p.quietStart, end: p.quietEnd } : null,
    },
  };
}

export async function putPreferences(ctx: AppContext, auth: AuthContext, prefs: Omit<NotificationPreferences, 'smsNumber' | 'quietHours'> & { smsNumber?: string | null; quietHours?: { start: string; end: string } | null }) {
  const set = {
    notifyEmail: prefs.email,
    notifySms: prefs.sms,
    smsNumber: prefs.smsNumber ?? null,
    notifyTrigger: prefs.trigger,
    quietStart: prefs.quietHours?.start ?? null,
    quietEnd: prefs.quietHours?.end ?? null,
    updatedAt: ctx.now(),
  };
  await ctx.db
    .insert(userPreferences)
    .values({ userId: auth.userId, organizationId: auth.organizationId, ...set })
    .onConflictDoUpdate({ target: userPreferences.userId, set });
  return getPreferences(ctx, auth);
}

/** What was queued and sent for a call (or the latest 100 of the organization). */
export async function listNotifications(ctx: AppContext, auth: AuthContext, callId?: string) {
  if (callId) {
    const [call] = await ctx.db.select({ id: calls.id }).from(calls).where(and(eq(calls.organizationId, auth.organizationId), eq(calls.id, callId)));
    if (!call) throw notFound('Call');
  }
  const rows = await ctx.db
    .select()
    .from(notifications)
    .where(and(eq(notifications.organizationId, auth.organizationId), callId ? eq(notifications.callId, callId) : undefined))
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(100);
  return {
    notifications: rows.map((n) => ({
      id: n.id,
      callId: n.callId,
      userId: n.userId,
      channel: n.channel,
      to: visibleAddress(n, auth),
      status: n.status,
      attempts: n.attempts,
      nextAttemptAt: n.status === 'pending' ? n.nextAttemptAt.toISOString() : null,
      lastError: n.lastError,
      createdAt: n.createdAt.toISOString(),
      sentAt: n.sentAt?.toISOString() ?? null,
    })),
  };
}
