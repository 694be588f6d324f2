import { and, desc, eq, inArray, lte, ne, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { queryRows } from '../../db/client.js';
import { overageCharges, subscriptions, type OverageStatus } from '../../db/schema/index.js';
import { hasFeature, OVERAGE_RATE_CENTS_PER_MIN, PLAN_TIERS, PLANS } from '../../domain/plans.js';
import type { BillingWeek } from './weeks.js';

export type OverageCharge = typeof overageCharges.$inferSelect;

/** Cents for overage seconds at the per-minute rate, rounded to the nearest cent. */
export const amountCentsFor = (seconds: number) => Math.round((seconds * OVERAGE_RATE_CENTS_PER_MIN) / 60);

/** The included seconds of an `organizations` row (admin override, else the plan's minutes), as SQL. */
const includedSecondsSql = sql.raw(
  `coalesce(o.minutes_limit_override, case o.plan ${PLAN_TIERS.map((t) => `when '${t}' then ${PLANS[t].minutes}`).join(' ')} end) * 60`,
);
const overagePlansSql = sql.raw(
  PLAN_TIERS.filter((t) => hasFeature(t, 'overage'))
    .map((t) => `'${t}'`)
    .join(', '),
);

/**
 * One statement for all organizations: every organization with overage on, a plan that
 * allows it and a Stripe customer gets a PENDING charge for the week's overage, unless it has
 * a row for that week already (the unique (organization, week) key; a rerun inserts nothing).
 *
 * Overage is usage past the included minutes within a cycle; the week's share is the overage
 * reached by the week's end minus the overage reached by its start, per cycle. The week may
 * straddle the current cycle's start, so the cycle before (one month earlier) counts too.
 * Usage is counted at `usage_counted_at`, which is never back-dated: a past week never changes.
 */
export async function insertWeekCharges(db: Db, week: BillingWeek): Promise<{ inserted: number; organizations: number }> {
  const [row] = await queryRows<{ inserted: number; organizations: number }>(
    db,
    sql`
    with week_usage as (
      select o.id as organization_id,
             sum(greatest(0, u.to_end - lim.seconds) - greatest(0, u.to_start - lim.seconds))::int as overage_seconds
      from organizations o
      join subscriptions s on s.organization_id = o.id
      cross join lateral (select ${includedSecondsSql} as seconds) lim
      cross join lateral (values (o.cycle_start - interval '1 month', o.cycle_start), (o.cycle_start, o.cycle_end)) cyc(starts, ends)
      cross join lateral (
        select coalesce(sum(c.duration_seconds) filter (where c.usage_counted_at < least(cyc.ends, ${week.start}::timestamptz)), 0) as to_start,
               coalesce(sum(c.duration_seconds), 0) as to_end
        from calls c
        where c.organization_id = o.id
          and c.usage_counted_at >= cyc.starts
          and c.usage_counted_at < least(cyc.ends, ${week.end}::timestamptz)
      ) u
      where o.overage_enabled and o.plan in (${overagePlansSql})
      group by o.id
    ), inserted as (
      insert into overage_charges (organization_id, week_start, week_end, overage_seconds, amount_cents, idempotency_key)
      select organization_id, ${week.startDate}::date, ${week.endDate}::date, overage_seconds,
             round(overage_seconds * ${OVERAGE_RATE_CENTS_PER_MIN}::numeric / 60)::int,
             'overage:' || organization_id || ':' || ${week.label}
      from week_usage
      where round(overage_seconds * ${OVERAGE_RATE_CENTS_PER_MIN}::numeric / 60) > 0
      on conflict (organization_id, week_start) do nothing
      returning 1
    )
    select (select count(*) from inserted)::int as inserted, (select count(*) from organizations)::int as organizations`,
  );
  return row!;
}

/** Charges with their customer, for the Stripe calls. */
const withCustomer = (db: Db, where: SQL | undefined) =>
  db
    .select({ charge: overageCharges, customerId: subscriptions.stripeCustomerId })
    .from(overageCharges)
    .innerJoin(subscriptions, eq(subscriptions.organizationId, overageCharges.organizationId))
    .where(where)
    .orderBy(overageCharges.weekStart, overageCharges.id);

/** Charges not invoiced to the end (a crash or a Stripe failure stopped them): resumed with the same keys. */
export const unfinishedCharges = (db: Db) => withCustomer(db, inArray(overageCharges.status, ['PENDING', 'INVOICED']));

/** Failed payments whose next attempt is due, and unfinished charges waiting out a Stripe failure. */
export const dueCharges = (db: Db, now: Date) =>
  withCustomer(
    db,
    and(
      inArray(overageCharges.status, ['FAILED', 'PENDING', 'INVOICED']),
      lte(overageCharges.nextAttemptAt, now),
    ),
  );

/** Moves a charge on, never away from PAID (the invoice.paid webhook may have recorded the payment first). */
export async function updateCharge(
  db: Db,
  id: string,
  patch: Partial<Pick<OverageCharge, 'status' | 'stripeInvoiceId' | 'attempts' | 'nextAttemptAt' | 'lastError'>>,
  onlyFrom?: OverageStatus[],
) {
  await db
    .update(overageCharges)
    .set({ ...patch, updatedAt: sql`now()` })
    .where(
      and(
        eq(overageCharges.id, id),
        patch.status === 'PAID' ? undefined : ne(overageCharges.status, 'PAID'),
        onlyFrom ? inArray(overageCharges.status, onlyFrom) : undefined,
      ),
    );
}

/** An invoice Stripe reports paid (its attempts counted, ours or Stripe's own). */
export async function markInvoicePaid(db: Db, stripeInvoiceId: string, attemptCount: number) {
  const rows = await db
    .update(overageCharges)
    .set({
      status: 'PAID',
      attempts: sql`greatest(${overageCharges.attempts}, ${attemptCount})`,
      nextAttemptAt: null,
      lastError: null,
      updatedAt: sql`now()`,
    })
    .where(and(eq(overageCharges.stripeInvoiceId, stripeInvoiceId), ne(overageCharges.status, 'PAID')))
    .returning({ id: overageCharges.id });
  return rows.length > 0;
}

/** The newest weeks first. */
export const chargeHistory = (db: Db, organizationId: string, limit: number) =>
  db
    .select()
    .from(overageCharges)
    .where(eq(overageCharges.organizationId, organizationId))
    .orderBy(desc(overageCharges.weekStart))
    .limit(limit);

/**
 * This cycle's usage, and the part of it counted before the end of the last billed week:
 * their overages differ by what is not billed yet.
 */
export async function cycleUsageSplit(db: Db, organizationId: string) {
  const [row] = await queryRows<{ used: number; usedBilled: number; included: number; overageEnabled: boolean; plan: string }>(
    db,
    sql`
    select coalesce(sum(c.duration_seconds), 0)::int as "used",
           coalesce(sum(c.duration_seconds) filter (where c.usage_counted_at < b.through), 0)::int as "usedBilled",
           min(${includedSecondsSql})::int as "included",
           bool_and(o.overage_enabled) as "overageEnabled",
           min(o.plan) as "plan"
    from organizations o
    left join lateral (
      select ((max(week_end) + 1)::timestamp at time zone 'UTC') as through
      from overage_charges where organization_id = o.id
    ) b on true
    left join calls c on c.organization_id = o.id and c.usage_counted_at >= o.cycle_start and c.usage_counted_at < o.cycle_end
    where o.id = ${organizationId}
    group by o.id, b.through`,
  );
  return row;
}
