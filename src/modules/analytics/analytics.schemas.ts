import { z } from 'zod';
import { TimeZoneSchema, WEEKDAYS } from '../../domain/hours.js';
import { isIsoDay } from './dates.js';

const IsoDay = z.string().refine(isIsoDay, 'Use an ISO date, YYYY-MM-DD');

export const AnalyticsQuery = z.object({
  /** First local day, included; default 29 days before `to`. */
  from: IsoDay.optional(),
  /** Last local day, included; default today. */
  to: IsoDay.optional(),
  /** IANA zone for days and the hour grid; default the business's own. */
  tz: TimeZoneSchema.optional(),
});
export type AnalyticsQuery = z.infer<typeof AnalyticsQuery>;

const Count = z.number().int().nonnegative();

/** Flat arrays and plain numbers: each block maps onto one chart. */
export const AnalyticsResponse = z.object({
  range: z.object({
    from: z.string(),
    to: z.string(),
    days: Count,
    timezone: z.string(),
    businessTimezone: z.string(),
  }),
  totals: z.object({
    calls: Count,
    seconds: Count,
    minutes: z.number(),
    averageDurationSeconds: z.number().nullable(),
    p90DurationSeconds: z.number().nullable(),
  }),
  perDay: z.array(z.object({ date: z.string(), calls: Count, seconds: Count, minutes: z.number(), inHours: Count, outOfHours: Count })),
  businessHours: z.object({
    /** False when no opening hours are set: every call then counts as out of hours. */
    configured: z.boolean(),
    inHours: Count,
    outOfHours: Count,
  }),
  endedReasons: z.array(z.object({ reason: z.string(), calls: Count })),
  bookings: z.object({
    /** Appointments the assistant booked in the range (counted on the day they were made). */
    bookings: Count,
    /** Calls those bookings were made on (a call with two bookings counts once). */
    bookedCalls: Count,
    /** bookedCalls / calls, 0–1 (0 with no calls). */
    bookingRate: z.number(),
  }),
  outcomes: z.object({
    transfers: Count,
    voicemail: Count,
    /** Caller hung up within 10 seconds. */
    hangUps: Count,
  }),
  busiestHours: z.object({
    weekdays: z.array(z.enum(WEEKDAYS)),
    /** grid[weekday][hour]: weekday 0 = Monday, hour 0–23 in `range.timezone`. */
    grid: z.array(z.array(Count)),
    peak: z.object({ weekday: z.enum(WEEKDAYS), hour: z.number().int(), calls: Count }).nullable(),
  }),
  repeatCallers: z.object({
    /** Customer numbers with two or more calls in the range. */
    count: Count,
    top: z.array(z.object({ number: z.string(), calls: Count })),
  }),
});
export type AnalyticsResponse = z.infer<typeof AnalyticsResponse>;
