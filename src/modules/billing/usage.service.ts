import { and, desc, eq, sql } from 'drizzle-orm';
import { countOpen as countOpenFollowUps } from '../follow-ups/follow-ups.service.js';
import type { AppContext } from '../../context.js';
import { queryRows } from '../../db/client.js';
import { businessProfiles, calls, organizations } from '../../db/schema/index.js';
import { minutesOf } from '../../domain/calls.js';
import { effectiveMinutesLimit, PLANS } from '../../domain/plans.js';
import { AppError } from '../../errors.js';
import type { AuthContext } from '../auth/sessions.js';
import { findActiveAssistant, findPhoneNumber } from '../assistants/assistants.repo.js';
import { cycleUsedSecondsSql } from './usage.repo.js';

/** Calls and minutes per day over the last `days` days, in the business's own time zone: one query. */
async function dailyHistory(ctx: AppContext, organizationId: string, timezone: string, days: number) {
  const now = ctx.now();
  return queryRows<{ date: string; calls: number; seconds: number }>(
    ctx.db,
    sql`
    with days as (
      select generate_series(
        (date_trunc('day', ${now}::timestamptz at time zone ${timezone}) - make_interval(days => ${days - 1}))::date,
        (${now}::timestamptz at time zone ${timezone})::date,
        interval '1 day')::date as day
    ), per_day as (
      select (coalesce(started_at, created_at) at time zone ${timezone})::date as day,
             count(*)::int as calls, coalesce(sum(duration_seconds), 0)::int as seconds
      from ${calls}
      where organization_id = ${organizationId}
        and coalesce(started_at, created_at) >= ${now}::timestamptz - make_interval(days => ${days + 1})
      group by 1
    )
    select to_char(days.day, 'YYYY-MM-DD') as date, coalesce(per_day.calls, 0) as calls, coalesce(per_day.seconds, 0) as seconds
    from days left join per_day using (day)
    order by days.day`,
  );
}

/** Share of the included minutes used, to one decimal; with none included, anything used is all of it. */
const percentOfLimit = (minutesUsed: number, limit: number) =>
  limit > 0 ? Math.round((minutesUsed / limit) * 1000) / 10 : minutesUsed > 0 ? 100 : 0;

export async function usageSnapshot(ctx: AppContext, auth: AuthContext, days: number) {
  const [org] = await ctx.db
    .select({ org: organizations, timezone: businessProfiles.timezone, usedSeconds: cycleUsedSecondsSql })
    .from(organizations)
    .leftJoin(businessProfiles, eq(businessProfiles.organizationId, organizations.id))
    .where(eq(organizations.id, auth.organizationId));
  // Stryker disable next-line StringLiteral: unreachable, a session's organization exists (its sessions go with it)
  if (!org) throw new AppError('UNAUTHORIZED', 'Sign in to continue');
  const timezone = org.timezone ?? 'America/New_York';
  const [history, recent, assistant, phoneNumber, openFollowUps] = await Promise.all([
    dailyHistory(ctx, auth.organizationId, timezone, days),
    ctx.db
      .select({
        id: calls.id,
        status: calls.status,
        customerNumber: calls.customerNumber,
        startedAt: calls.startedAt,
        durationSeconds: calls.durationSeconds,
        summary: calls.summary,
      })
      .from(calls)
      .where(and(eq(calls.organizationId, auth.organizationId)))
      .orderBy(desc(calls.createdAt), desc(calls.id))
      .limit(10),
    findActiveAssistant(ctx.db, auth.organizationId),
    findPhoneNumber(ctx.db, auth.organizationId),
    countOpenFollowUps(ctx, auth.organizationId),
  ]);
  const limit = effectiveMinutesLimit(org.org);
  const minutesUsed = minutesOf(org.usedSeconds);
  return {
    snapshot: {
      minutesUsed,
      minutesLimit: limit,
      percentUsed: percentOfLimit(minutesUsed, limit),
      currentCycleStart: org.org.cycleStart.toISOString(),
      currentCycleEnd: org.org.cycleEnd.toISOString(),
    },
    plan: org.org.plan,
    overageEnabled: org.org.overageEnabled,
    phoneNumber,
    assistant: assistant ? { id: assistant.id, name: assistant.name } : null,
    features: PLANS[org.org.plan].features,
    openFollowUps,
    history: history.map((h) => ({ date: h.date, calls: h.calls, minutes: minutesOf(h.seconds) })),
    recentCalls: recent.map((c) => ({
      ...c,
      startedAt: c.startedAt?.toISOString() ?? null,
      durationMinutes: c.durationSeconds === null ? null : minutesOf(c.durationSeconds),
    })),
  };
}
