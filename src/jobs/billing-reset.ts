import { sql } from 'drizzle-orm';
import { queryRows } from '../db/client.js';
import type { AppContext } from '../context.js';
import type { Job } from './job.js';

/**
 * Starts a new cycle for every organization whose cycle ended: one UPDATE for all of them.
 * Usage is summed over the cycle's window, so moving the window is the reset. A cycle
 * missed for months jumps straight to the one containing now (whole months after the old end).
 */
export async function resetEndedCycles(ctx: AppContext) {
  const now = ctx.now();
  const [row] = await queryRows<{ reset: number; total: number }>(ctx.db, sql`
    with due as (
      select id, cycle_end + make_interval(months =>
        (extract(year from age(${now}::timestamptz, cycle_end)) * 12 + extract(month from age(${now}::timestamptz, cycle_end)))::int
      ) as new_start
      from organizations
      where cycle_end <= ${now}::timestamptz
    ), updated as (
      update organizations o
      set cycle_start = due.new_start,
          cycle_end = due.new_start + interval '1 month'
      from due
      where o.id = due.id
      returning 1
    )
    select (select count(*) from updated)::int as reset, (select count(*) from organizations)::int as total`);
  return { reset: row!.reset, skipped: row!.total - row!.reset, errors: 0 };
}

export const billingResetJob: Job = {
  name: 'billing-reset',
  schedule: '5 0 * * *',
  run: resetEndedCycles,
};
