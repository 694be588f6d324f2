import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client.js';
import { WEEKDAYS } from '../../domain/hours.js';

export interface AnalyticsWindow {
  organizationId: string;
  /** Local days, both included, read in `timeZone`. */
  from: string;
  to: string;
  /** Days and the weekday × hour grid are read in this zone. */
  timeZone: string;
  /** The zone's offset is whole hours throughout the window (most zones): hourly UTC buckets suffice. */
  wholeHourOffsets?: boolean;
}

/** SQL over an ended_reason column: "this call ended in a transfer". */
export const isTransferSql = (reason: SQL) => sql`(${reason} ilike '%transfer%' or ${reason} = 'assistant-forwarded-call')`;
export const isVoicemailSql = (reason: SQL) => sql`(${reason} ilike '%voicemail%')`;
/** A missed opportunity: the caller hung up within this many seconds. */
export const HANG_UP_SECONDS = 10;

/** 2000-01-03 was a Monday: (day − it) mod 7 is the ISO weekday − 1 (0 = Monday), integer arithmetic only. */
const weekdayIndex = (day: SQL) => sql`((((${day} - date '2000-01-03') % 7) + 7) % 7)`;

/**
 * The organization's calls in the window: (organization_id, started_at) leads the WHERE,
 * served by calls_organization_started_idx.
 */
function inWindow(w: AnalyticsWindow) {
  const lo = sql`(${w.from}::date::timestamp at time zone ${w.timeZone})`;
  const hi = sql`((${w.to}::date + 1)::timestamp at time zone ${w.timeZone})`;
  return { lo, hi, where: sql`c.organization_id = ${w.organizationId} and c.started_at >= ${lo} and c.started_at < ${hi}` };
}

export interface Timeline {
  perDay: Array<{ date: string; calls: number; seconds: number; inHours: number }>;
  /** Non-empty cells of the weekday × hour grid; d = 0 is Monday. */
  grid: Array<{ d: number; h: number; n: number }> | null;
}

/**
 * Calls, seconds and in-hours calls per local day, and the weekday × hour grid.
 *
 * Business hours: the profile's business_hours jsonb, for every business-local day around
 * the window, becomes that day's opening interval as instants (converted on the business
 * clock, so DST is right), all gathered in one multirange; a call is in hours when its
 * started_at lies in it. One lookup per call instead of a time-zone conversion per call.
 *
 * Days and hours: calls are first counted per UTC hour (per quarter hour for zones such as
 * Asia/Kolkata), plain integer arithmetic, and only the buckets are converted to the
 * requested zone. Every zone's offset is a whole number of quarter hours, so a bucket
 * never straddles a local hour.
 */
export async function timeline(db: Db, w: AnalyticsWindow): Promise<Timeline> {
  const { where } = inWindow(w);
  const days = WEEKDAYS.map((d) => `'${d}'`).join(',');
  const [row] = await queryRows<{ result: Timeline }>(
    db,
    sql`
    with open_hours as (
      select coalesce(range_agg(tstzrange(
               (d::date + (e.h ->> 'open')::time) at time zone p.timezone,
               (d::date + (e.h ->> 'close')::time) at time zone p.timezone)), '{}'::tstzmultirange) as open_at
      from business_profiles p
      cross join lateral jsonb_each(p.business_hours) as e(day, h)
      join generate_series(${w.from}::date - 2, ${w.to}::date + 2, interval '1 day') d
        on array_position(array[${sql.raw(days)}], e.day) = ${weekdayIndex(sql`d::date`)} + 1
      where p.organization_id = ${w.organizationId}
        and not coalesce((e.h ->> 'closed')::boolean, false)
        and e.h ->> 'open' is not null and e.h ->> 'close' is not null
        and (e.h ->> 'open') < (e.h ->> 'close')
    ),
    buckets as (
      select date_bin(${w.wholeHourOffsets ? '1 hour' : '15 minutes'}::interval, c.started_at, timestamptz '2000-01-01 00:00:00+00') as bucket,
             count(*) as calls, coalesce(sum(c.duration_seconds), 0) as seconds,
             count(*) filter (where c.started_at <@ open_hours.open_at) as in_hours
      from calls c cross join open_hours
      where ${where}
      group by 1
    ),
    local as (select bucket at time zone ${w.timeZone} as lt, calls, seconds, in_hours from buckets)
    select json_build_object(
      'perDay', (select json_agg(json_build_object(
            'date', to_char(d, 'YYYY-MM-DD'), 'calls', coalesce(x.calls, 0), 'seconds', coalesce(x.seconds, 0), 'inHours', coalesce(x.in_hours, 0)
          ) order by d)
        from generate_series(${w.from}::date, ${w.to}::date, interval '1 day') d
        left join (select lt::date as day, sum(calls) as calls, sum(seconds) as seconds, sum(in_hours) as in_hours from local group by 1) x
          on x.day = d::date),
      'grid', (select json_agg(json_build_object('d', d, 'h', h, 'n', n))
        from (select ${weekdayIndex(sql`lt::date`)} as d, extract(hour from lt)::int as h, sum(calls) as n from local group by 1, 2) g)
    ) as result`,
  );
  return row!.result;
}

export interface Durations {
  calls: number;
  seconds: number;
  avgSeconds: number | null;
  p90Seconds: number | null;
}

/** Count, total, average and 90th percentile (continuous, interpolated) of call durations. */
export async function durations(db: Db, w: AnalyticsWindow): Promise<Durations> {
  const { where } = inWindow(w);
  const [row] = await queryRows<{ result: Durations }>(
    db,
    sql`select json_build_object(
          'calls', count(*),
          'seconds', coalesce(sum(c.duration_seconds), 0),
          'avgSeconds', avg(c.duration_seconds)::float8,
          'p90Seconds', percentile_cont(0.9) within group (order by c.duration_seconds)
        ) as result
        from calls c where ${where}`,
  );
  return row!.result;
}

export interface Outcomes {
  reasons: Array<{ reason: string; calls: number }> | null;
  transfers: number;
  voicemail: number;
  hangUps: number;
  repeatCallers: {
    count: number;
    top: Array<{ number: string; calls: number }> | null;
  };
}

/**
 * Calls per ended reason (and the outcomes read from them), and the customer numbers that
 * called two or more times (how many, the top five): both groupings hashed in one pass.
 */
export async function outcomes(db: Db, w: AnalyticsWindow): Promise<Outcomes> {
  const { where } = inWindow(w);
  const [row] = await queryRows<{ result: Outcomes }>(
    db,
    sql`with g as (
          select grouping(c.ended_reason, c.customer_number) as grouped_by, c.ended_reason as r, c.customer_number as num,
                 count(*) as n, count(*) filter (where c.duration_seconds < ${HANG_UP_SECONDS}) as short
          from calls c where ${where}
          group by grouping sets ((c.ended_reason), (c.customer_number))
        ),
        reasons as (select r, n, short from g where grouped_by = 1),
        rep as (select num, n from g where grouped_by = 2 and num is not null and n >= 2)
        select json_build_object(
          'reasons', (select json_agg(json_build_object('reason', coalesce(r, 'unknown'), 'calls', n) order by n desc, coalesce(r, 'unknown')) from reasons),
          'transfers', (select coalesce(sum(n), 0) from reasons where ${isTransferSql(sql`r`)}),
          'voicemail', (select coalesce(sum(n), 0) from reasons where ${isVoicemailSql(sql`r`)}),
          'hangUps', (select coalesce(sum(short), 0) from reasons where r = 'customer-ended-call'),
          'repeatCallers', json_build_object(
            'count', (select count(*) from rep),
            'top', (select json_agg(json_build_object('number', num, 'calls', n) order by n desc, num)
                    from (select num, n from rep order by n desc, num limit 5) t))
        ) as result`,
  );
  return row!.result;
}

/**
 * Bookings the assistant made in the window (a booking counts on the day it was made), and
 * how many distinct calls they came from: a range of bookings_organization_created_idx.
 */
export async function bookingCounts(db: Db, w: AnalyticsWindow): Promise<{ bookings: number; bookedCalls: number }> {
  const { lo, hi } = inWindow(w);
  const [row] = await queryRows<{ result: { bookings: number; bookedCalls: number } }>(
    db,
    sql`select json_build_object('bookings', count(*), 'bookedCalls', count(distinct b.vapi_call_id)) as result
        from bookings b
        where b.organization_id = ${w.organizationId} and b.created_at >= ${lo} and b.created_at < ${hi}`,
  );
  return row!.result;
}
