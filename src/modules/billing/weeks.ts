const DAY_MS = 24 * 60 * 60 * 1000;

/** One ISO week, Monday 00:00 UTC to the next Monday (exclusive): the unit overage is billed in. */
export interface BillingWeek {
  start: Date;
  /** Exclusive: the following Monday 00:00 UTC. */
  end: Date;
  /** Monday, YYYY-MM-DD (overage_charges.week_start). */
  startDate: string;
  /** Sunday, YYYY-MM-DD (overage_charges.week_end, inclusive). */
  endDate: string;
  /** ISO 8601 week label, e.g. 2026-W10 (part of the idempotency key). */
  label: string;
}

const dateOf = (d: Date) => d.toISOString().slice(0, 10);

/** The ISO week that starts on `monday` (a Monday 00:00 UTC). */
export function weekStarting(monday: Date): BillingWeek {
  const start = new Date(monday.getTime());
  const end = new Date(start.getTime() + 7 * DAY_MS);
  // The ISO year and week are those of the week's Thursday.
  const thursday = new Date(start.getTime() + 3 * DAY_MS);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / DAY_MS / 7) + 1;
  return {
    start,
    end,
    startDate: dateOf(start),
    endDate: dateOf(new Date(end.getTime() - DAY_MS)),
    label: `${year}-W${String(week).padStart(2, '0')}`,
  };
}

/** The ISO week that contains `at`. */
export function weekContaining(at: Date): BillingWeek {
  const daysSinceMonday = (at.getUTCDay() + 6) % 7;
  return weekStarting(new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate() - daysSinceMonday)));
}

/** The last complete ISO week before `now`: what the Monday job bills. */
export const previousWeek = (now: Date): BillingWeek => weekStarting(new Date(weekContaining(now).start.getTime() - 7 * DAY_MS));

/** A week_start date column (YYYY-MM-DD) as its week. */
export const weekOfDate = (startDate: string): BillingWeek => weekStarting(new Date(`${startDate}T00:00:00Z`));
