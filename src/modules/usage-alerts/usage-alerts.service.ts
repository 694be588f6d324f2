import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { AppContext } from '../../context.js';
import { usageAlerts, users } from '../../db/schema/index.js';
import { minutesOf } from '../../domain/calls.js';
import { effectiveMinutesLimit, hasFeature, OVERAGE_RATE_CENTS_PER_MIN } from '../../domain/plans.js';
import { organizationWithUsage } from '../billing/usage.repo.js';
import { emitEvent, kickDeliveries } from '../webhook-endpoints/events.js';
import { usageAlertEmail } from './usage-alerts.emails.js';

/** Percent of the plan's included minutes at which owners and admins hear about it. */
export const USAGE_THRESHOLDS = [80, 100] as const;
const LAST_THRESHOLD = USAGE_THRESHOLDS[USAGE_THRESHOLDS.length - 1];

/**
 * Whether the organization may still cross a threshold this cycle (its last alert is not
 * sent), as a column for the ingestion read: once it is, reports skip the usage sum.
 * `organizationId` must be a qualified column reference. Alert rows hold the cycle start as
 * JavaScript read it, to the millisecond.
 */
export const usageAlertsPending = (organizationId: SQL) =>
  sql<boolean>`not exists (select 1 from usage_alerts ua join organizations o on o.id = ua.organization_id
    where ua.organization_id = ${organizationId} and ua.cycle_start = date_trunc('milliseconds', o.cycle_start)
      and ua.threshold_percent = ${sql.raw(String(LAST_THRESHOLD))})`;

/**
 * After a call's minutes were counted: for each threshold the cycle's usage has reached,
 * claims the (organization, cycle, threshold) row — the primary key makes it once per
 * cycle even with concurrent reports — and, for a claim won, queues a `usage.threshold`
 * event in the same transaction, then mails the owners and admins.
 * Returns the thresholds newly crossed. Never throws: a failure here must not fail the call report.
 */
export async function checkUsageAlerts(ctx: AppContext, organizationId: string): Promise<number[]> {
  try {
    const row = await organizationWithUsage(ctx.db, organizationId);
    if (!row) return [];
    const { org, usedSeconds } = row;
    const minutesLimit = effectiveMinutesLimit(org);
    if (minutesLimit <= 0) return [];
    const reached = USAGE_THRESHOLDS.filter((percent) => usedSeconds * 100 >= minutesLimit * 60 * percent);
    if (reached.length === 0) return [];
    const minutesUsed = minutesOf(usedSeconds);
    const crossed = await ctx.db.transaction(async (tx) => {
      const won = await tx
        .insert(usageAlerts)
        .values(reached.map((thresholdPercent) => ({ organizationId, cycleStart: org.cycleStart, thresholdPercent, sentAt: ctx.now() })))
        .onConflictDoNothing()
        .returning({ percent: usageAlerts.thresholdPercent });
      const percents = won.map((w) => w.percent).sort((a, b) => a - b);
      for (const percent of percents) {
        await emitEvent(
          ctx,
          tx,
          organizationId,
          'usage.threshold',
          { percent, minutesUsed, minutesLimit, cycleStart: org.cycleStart.toISOString(), cycleEnd: org.cycleEnd.toISOString() },
          { key: `${org.cycleStart.toISOString()}:${percent}` },
        );
      }
      return percents;
    });
    if (crossed.length === 0) return [];
    kickDeliveries(ctx);
    const managers = await ctx.db
      .select({ email: users.email, name: users.name })
      .from(users)
      .where(and(eq(users.organizationId, organizationId), inArray(users.role, ['owner', 'admin'])));
    for (const percent of crossed) {
      for (const m of managers) {
        await ctx.mailer.send(
          usageAlertEmail(m.email, {
            name: m.name,
            organizationName: org.name,
            percent,
            minutesUsed,
            minutesLimit,
            overageRateCents: org.overageEnabled && hasFeature(org.plan, 'overage') ? OVERAGE_RATE_CENTS_PER_MIN : null,
            cycleEnd: org.cycleEnd,
            appUrl: ctx.config.appUrl,
          }),
        );
      }
    }
    return crossed;
  } catch (err) {
    ctx.log.error({ err, organizationId }, 'usage alerts: check failed');
    return [];
  }
}
