import { sql } from 'drizzle-orm';
import { queryRows } from '../db/client.js';
import type { AppContext } from '../context.js';
import { graceLapsedBefore } from '../domain/subscriptions.js';
import type { Job } from './job.js';

/**
 * Organizations whose subscription has been past_due for longer than the grace fall back to
 * the free tier (domain/subscriptions.ts), in one statement. Stripe ending its retries
 * (canceled, unpaid) arrives by webhook; this covers an account set to leave subscriptions
 * past_due. The subscription rows are locked and re-read first, so a payment synced meanwhile
 * (which holds the same row lock while it restores the plan) wins.
 */
export async function endLapsedGraces(ctx: AppContext) {
  const [row] = await queryRows<{ lapsed: number }>(ctx.db, sql`
    with lapsed as (
      select organization_id from subscriptions
      where status = 'past_due' and past_due_since < ${graceLapsedBefore(ctx.now()).toISOString()}::timestamptz
      for update
    ), updated as (
      update organizations set plan = 'FREE'
      where id in (select organization_id from lapsed) and plan <> 'FREE'
      returning 1
    )
    select count(*)::int as lapsed from updated`);
  return { lapsed: row!.lapsed };
}

export const subscriptionGraceJob: Job = { name: 'subscription-grace', schedule: '15 * * * *', run: endLapsedGraces };
