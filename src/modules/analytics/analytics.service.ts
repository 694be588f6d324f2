import type { AppContext } from '../../context.js';
import { WEEKDAYS } from '../../domain/hours.js';
import { AppError } from '../../errors.js';
import { getProfile } from '../assistants/assistants.repo.js';
import * as repo from './analytics.repo.js';
import type { AnalyticsQuery, AnalyticsResponse } from './analytics.schemas.js';
import { addDays, daysBetweenInclusive, hasWholeHourOffsets, localDate } from './dates.js';

/** The longest range one request may ask for. */
export const MAX_RANGE_DAYS = 366;
export const DEFAULT_RANGE_DAYS = 30;

const round = (x: number, places: number) => Math.round(x * 10 ** places) / 10 ** places;
export const minutesFromSeconds = (seconds: number) => round(seconds / 60, 2);

const badRange = (field: 'from' | 'to' | 'tz', message: string) =>
  new AppError('VALIDATION_FAILED', `Invalid querystring.${field}: ${message}`, { details: [{ field: `querystring.${field}`, message }] });

const isUnknownTimeZone = (err: unknown) => {
  const e = err as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  return [e, e?.cause].some((x) => x?.code === '22023' && /time zone/i.test(x.message ?? ''));
};

/** Resolves the defaults (last 30 days, the business's zone) and checks the range. */
export function resolveRange(q: AnalyticsQuery, businessTimeZone: string, now: Date) {
  const timeZone = q.tz ?? businessTimeZone;
  const to = q.to ?? (q.from ? addDays(q.from, DEFAULT_RANGE_DAYS - 1) : localDate(now, timeZone));
  const from = q.from ?? addDays(to, -(DEFAULT_RANGE_DAYS - 1));
  const days = daysBetweenInclusive(from, to);
  if (days < 1) throw badRange('from', 'from must be on or before to');
  if (days > MAX_RANGE_DAYS) throw badRange('to', `at most ${MAX_RANGE_DAYS} days at a time`);
  return { from, to, days, timeZone };
}

/** The analytics page: every number is a Postgres aggregate over the range (four queries, no loop over calls). */
export async function getAnalytics(ctx: AppContext, organizationId: string, q: AnalyticsQuery): Promise<AnalyticsResponse> {
  const profile = await getProfile(ctx.db, organizationId);
  const range = resolveRange(q, profile.timezone, ctx.now());
  const window = {
    organizationId,
    from: range.from,
    to: range.to,
    timeZone: range.timeZone,
    wholeHourOffsets: hasWholeHourOffsets(range.timeZone, range.from, range.to),
  };
  // A few independent aggregates: concurrent on Postgres (one pool connection each), in turn on PGlite.
  const [timeline, t, outcomes, bookings] = await Promise.all([
    repo.timeline(ctx.db, window),
    repo.durations(ctx.db, window),
    repo.outcomes(ctx.db, window),
    repo.bookingCounts(ctx.db, window),
  ]).catch((err: unknown) => {
    // A zone the runtime knows but this Postgres's tz database does not (they update apart).
    if (isUnknownTimeZone(err)) throw badRange('tz', `${range.timeZone} is not known to the database; use another IANA name`);
    throw err;
  });
  const grid = WEEKDAYS.map(() => Array.from({ length: 24 }, () => 0));
  for (const cell of timeline.grid ?? []) grid[cell.d]![cell.h] = cell.n;
  let peak: AnalyticsResponse['busiestHours']['peak'] = null;
  grid.forEach((hours, d) =>
    hours.forEach((n, h) => {
      if (n > 0 && (!peak || n > peak.calls)) peak = { weekday: WEEKDAYS[d]!, hour: h, calls: n };
    }),
  );
  const inHours = timeline.perDay.reduce((sum, d) => sum + d.inHours, 0);
  const configured = WEEKDAYS.some((d) => {
    const h = profile.businessHours[d];
    return h && !h.closed && h.open && h.close;
  });
  return {
    range: { from: range.from, to: range.to, days: range.days, timezone: range.timeZone, businessTimezone: profile.timezone },
    totals: {
      calls: t.calls,
      seconds: t.seconds,
      minutes: minutesFromSeconds(t.seconds),
      averageDurationSeconds: t.avgSeconds === null ? null : round(t.avgSeconds, 1),
      p90DurationSeconds: t.p90Seconds === null ? null : round(t.p90Seconds, 1),
    },
    perDay: timeline.perDay.map((d) => ({ ...d, minutes: minutesFromSeconds(d.seconds), outOfHours: d.calls - d.inHours })),
    businessHours: { configured: Boolean(configured), inHours, outOfHours: t.calls - inHours },
    endedReasons: outcomes.reasons ?? [],
    bookings: {
      bookings: bookings.bookings,
      bookedCalls: bookings.bookedCalls,
      bookingRate: t.calls > 0 ? round(bookings.bookedCalls / t.calls, 4) : 0,
    },
    outcomes: { transfers: outcomes.transfers, voicemail: outcomes.voicemail, hangUps: outcomes.hangUps },
    busiestHours: { weekdays: [...WEEKDAYS], grid, peak },
    repeatCallers: { count: outcomes.repeatCallers.count, top: outcomes.repeatCallers.top ?? [] },
  };
}
