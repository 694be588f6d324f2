import { and, desc, eq, lt, or, sql } from 'drizzle-orm';
import type { AppContext } from '../../context.js';
import { calls, followUps, users, type FollowUpStatus } from '../../db/schema/index.js';
import { AppError, notFound } from '../../errors.js';
import type { AuthContext } from '../auth/sessions.js';

const iso = (d: Date | null) => d?.toISOString() ?? null;
const encodeCursor = (c: { createdAt: Date; callId: string }) => Buffer.from(`${c.createdAt.toISOString()}|${c.callId}`).toString('base64url');

function decodeCursor(cursor: string) {
  const [at, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  const createdAt = new Date(at ?? '');
  if (!id || Number.isNaN(createdAt.getTime()) || !/^[0-9a-f-]{36}$/.test(id)) {
    throw new AppError('VALIDATION_FAILED', 'Invalid cursor: pass back nextCursor from the previous page', { details: [{ field: 'querystring.cursor', message: 'Invalid cursor' }] });
  }
  return { createdAt, callId: id };
}

const ROW = {
  callId: followUps.callId,
  status: followUps.status,
  urgent: followUps.urgent,
  assignedTo: followUps.assignedTo,
  assignedAt: followUps.assignedAt,
  doneBy: followUps.doneBy,
  doneAt: followUps.doneAt,
  note: followUps.note,
  reopenedAt: followUps.reopenedAt,
  createdAt: followUps.createdAt,
  customerNumber: calls.customerNumber,
  startedAt: calls.startedAt,
  endedReason: calls.endedReason,
  summary: calls.summary,
  outcome: calls.outcome,
  assigneeName: sql<string | null>`(select u.name from users u where u.id = ${followUps.assignedTo})`,
};

function present(r: Awaited<ReturnType<typeof selectRows>>[number]) {
  return {
    callId: r.callId,
    status: r.status,
    urgent: r.urgent,
    callerName: r.outcome?.callerName ?? null,
    customerNumber: r.customerNumber,
    callbackNumber: r.outcome?.callbackNumber ?? r.customerNumber,
    reason: r.outcome?.reason ?? r.summary,
    callbackRequested: r.outcome?.callbackRequested ?? false,
    voicemail: /voicemail/i.test(r.endedReason ?? ''),
    startedAt: iso(r.startedAt),
    createdAt: r.createdAt.toISOString(),
    assignedTo: r.assignedTo,
    assigneeName: r.assigneeName,
    assignedAt: iso(r.assignedAt),
    doneBy: r.doneBy,
    doneAt: iso(r.doneAt),
    note: r.note,
    reopenedAt: iso(r.reopenedAt),
  };
}
export type FollowUpView = ReturnType<typeof present>;

const selectRows = (ctx: AppContext) => ctx.db.select(ROW).from(followUps).innerJoin(calls, eq(calls.id, followUps.callId));

/** One organization's follow-ups of a status, newest first, keyset-paginated on (created_at, call_id). */
export async function listFollowUps(ctx: AppContext, auth: AuthContext, q: { status: FollowUpStatus; assignedTo?: string; cursor?: string; limit: number }) {
  const after = q.cursor ? decodeCursor(q.cursor) : undefined;
  const assignee = q.assignedTo === 'me' ? auth.userId : q.assignedTo;
  const rows = await selectRows(ctx)
    .where(
      and(
        eq(followUps.organizationId, auth.organizationId),
        eq(followUps.status, q.status),
        assignee ? eq(followUps.assignedTo, assignee) : undefined,
        after ? or(lt(followUps.createdAt, after.createdAt), and(eq(followUps.createdAt, after.createdAt), lt(followUps.callId, after.callId))) : undefined,
      ),
    )
    .orderBy(desc(followUps.createdAt), desc(followUps.callId))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  return { followUps: page.map(present), nextCursor: rows.length > q.limit ? encodeCursor(page.at(-1)!) : null };
}

/** The call's follow-up, or null when the call needs none (404 for another organization's call). */
export async function followUpOfCall(ctx: AppContext, organizationId: string, callId: string) {
  const [row] = await selectRows(ctx).where(and(eq(followUps.organizationId, organizationId), eq(followUps.callId, callId)));
  return row ? present(row) : null;
}

async function change(ctx: AppContext, auth: AuthContext, callId: string, set: Partial<typeof followUps.$inferInsert>) {
  const updated = await ctx.db
    .update(followUps)
    .set(set)
    .where(and(eq(followUps.organizationId, auth.organizationId), eq(followUps.callId, callId)))
    .returning({ callId: followUps.callId });
  if (updated.length === 0) throw notFound('Follow-up');
  return { followUp: (await followUpOfCall(ctx, auth.organizationId, callId))! };
}

export const markDone = (ctx: AppContext, auth: AuthContext, callId: string, note?: string | null) =>
  change(ctx, auth, callId, { status: 'done', doneBy: auth.userId, doneAt: ctx.now(), ...(note !== undefined ? { note } : {}) });

export const reopen = (ctx: AppContext, auth: AuthContext, callId: string) =>
  change(ctx, auth, callId, { status: 'open', reopenedBy: auth.userId, reopenedAt: ctx.now(), doneBy: null, doneAt: null });

/** Assigns to a member of the same organization (400 naming `userId` otherwise). */
export async function assign(ctx: AppContext, auth: AuthContext, callId: string, userId: string) {
  // Another organization's follow-up is 404 whatever the body says.
  if (!(await followUpOfCall(ctx, auth.organizationId, callId))) throw notFound('Follow-up');
  const [member] = await ctx.db.select({ id: users.id }).from(users).where(and(eq(users.id, userId), eq(users.organizationId, auth.organizationId)));
  if (!member) throw new AppError('VALIDATION_FAILED', 'No member of this organization has that id', { details: [{ field: 'body.userId', message: 'Not a member of this organization' }] });
  return change(ctx, auth, callId, { assignedTo: userId, assignedBy: auth.userId, assignedAt: ctx.now() });
}

/** Open follow-ups, for GET /api/usage and the navigation badge. */
export async function countOpen(ctx: AppContext, organizationId: string) {
  const [row] = await ctx.db
    .select({ n: sql<number>`count(*)::int` })
    .from(followUps)
    .where(and(eq(followUps.organizationId, organizationId), eq(followUps.status, 'open')));
  return Number(row?.n ?? 0);
}
