import { and, eq, sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db, type Tx } from '../../db/client.js';
import { digestDeliveries, userPreferences } from '../../db/schema/index.js';
import { DEFAULT_TIME_ZONE } from '../../domain/hours.js';
import { HANG_UP_SECONDS, isTransferSql, isVoicemailSql } from '../analytics/analytics.repo.js';

type Conn = Db | Tx;

/** One business-local day as instants: [day 00:00, next day 00:00) on the business clock. */
const dayBounds = (day: string, timeZone: string) => ({
  lo: sql`(${day}::date::timestamp at time zone ${timeZone})`,
  hi: sql`((${day}::date + 1)::timestamp at time zone ${timeZone})`,
});

const isHangUp = (reason: SQL, seconds: SQL) => sql`(${reason} = 'customer-ended-call' and ${seconds} < ${HANG_UP_SECONDS})`;

export interface DigestCallRow {
  id: string;
  startedAt: Date;
  customerNumber: string | null;
  durationSeconds: number | null;
  endedReason: string | null;
  summary: string | null;
  outcome: 'answered' | 'transferred' | 'voicemail' | 'hang-up';
}

const callColumns = (lo: SQL, hi: SQL, organizationId: string) => sql`
  select id, started_at as "startedAt", customer_number as "customerNumber", duration_seconds as "durationSeconds",
         ended_reason as "endedReason", summary,
         case when ${isTransferSql(sql`ended_reason`)} then 'transferred'
              when ${isVoicemailSql(sql`ended_reason`)} then 'voicemail'
              when ${isHangUp(sql`ended_reason`, sql`duration_seconds`)} then 'hang-up'
              else 'answered' end as outcome
  from calls
  where organization_id = ${organizationId} and started_at >= ${lo} and started_at < ${hi}`;

const withDates = (rows: DigestCallRow[]) => rows.map((r) => ({ ...r, startedAt: new Date(r.startedAt) }));

/** The day's figures and its first `limit` calls, missed opportunities and bookings. */
export async function digestDay(db: Db, organizationId: string, day: string, timeZone: string, limit: number) {
  const { lo, hi } = dayBounds(day, timeZone);
  const [totals] = await queryRows<{ calls: number; seconds: number; hangUps: number; voicemail: number; transfers: number; bookings: number }>(
    db,
    sql`select count(*)::int as calls, coalesce(sum(duration_seconds), 0)::int as seconds,
          (count(*) filter (where ${isHangUp(sql`ended_reason`, sql`duration_seconds`)}))::int as "hangUps",
          (count(*) filter (where ${isVoicemailSql(sql`ended_reason`)}))::int as voicemail,
          (count(*) filter (where ${isTransferSql(sql`ended_reason`)}))::int as transfers,
          (select count(*)::int from bookings b where b.organization_id = ${organizationId} and b.created_at >= ${lo} and b.created_at < ${hi}) as bookings
        from calls where organization_id = ${organizationId} and started_at >= ${lo} and started_at < ${hi}`,
  );
  const calls = await queryRows<DigestCallRow>(db, sql`${callColumns(lo, hi, organizationId)} order by started_at, id limit ${limit}`);
  const missed = await queryRows<DigestCallRow>(
    db,
    sql`select * from (${callColumns(lo, hi, organizationId)}) c where c.outcome in ('hang-up', 'voicemail') order by c."startedAt", c.id limit ${limit}`,
  );
  const bookings = await queryRows<{ attendeeName: string; attendeePhone: string | null; startsAt: Date; createdAt: Date }>(
    db,
    sql`select attendee_name as "attendeeName", attendee_phone as "attendeePhone", starts_at as "startsAt", created_at as "createdAt"
        from bookings where organization_id = ${organizationId} and created_at >= ${lo} and created_at < ${hi}
        order by created_at, id limit ${limit}`,
  );
  return {
    totals: totals!,
    calls: withDates(calls),
    missed: withDates(missed),
    bookings: bookings.map((b) => ({ ...b, startsAt: new Date(b.startsAt), createdAt: new Date(b.createdAt) })),
  };
}

/** The business-local day of the organization's latest call up to `now` (YYYY-MM-DD), or null before its first call. */
export async function latestCallDay(db: Db, organizationId: string, timeZone: string, now: Date): Promise<string | null> {
  const [row] = await queryRows<{ day: string | null }>(
    db,
    sql`select to_char(max(started_at) at time zone ${timeZone}, 'YYYY-MM-DD') as day
        from calls where organization_id = ${organizationId} and started_at <= ${now.toISOString()}::timestamptz`,
  );
  return row?.day ?? null;
}

export interface DigestRecipient {
  userId: string;
  email: string;
  name: string;
  organizationId: string;
  timezone: string;
  /** Yesterday on the business clock, YYYY-MM-DD. */
  day: string;
}

/**
 * Opted-in users whose business clock is now in the 7 AM hour, with the day their digest
 * covers (yesterday there), minus those already sent that day.
 */
export async function dueRecipients(db: Db, now: Date): Promise<DigestRecipient[]> {
  const tz = sql`coalesce(bp.timezone, ${DEFAULT_TIME_ZONE})`;
  return queryRows<DigestRecipient>(
    db,
    sql`select * from (
          select u.id as "userId", u.email, u.name, u.organization_id as "organizationId", ${tz} as timezone,
                 to_char((${now.toISOString()}::timestamptz at time zone ${tz})::date - 1, 'YYYY-MM-DD') as day,
                 extract(hour from ${now.toISOString()}::timestamptz at time zone ${tz})::int as local_hour
          from user_preferences p
          join users u on u.id = p.user_id and u.organization_id = p.organization_id
          left join business_profiles bp on bp.organization_id = u.organization_id
          where p.daily_digest
        ) r
        where r.local_hour = 7
          and not exists (select 1 from digest_deliveries d where d.user_id = r."userId" and d.digest_date = r.day::date)
        order by r."organizationId", r."userId"`,
  );
}

/** Claims (user, day) before sending: true for exactly one caller, however many instances try. */
export async function claimDelivery(db: Conn, v: { userId: string; organizationId: string; day: string }) {
  const rows = await db
    .insert(digestDeliveries)
    .values({ userId: v.userId, organizationId: v.organizationId, digestDate: v.day })
    .onConflictDoNothing()
    .returning({ userId: digestDeliveries.userId });
  return rows.length > 0;
}

export async function getPreferences(db: Conn, organizationId: string, userId: string) {
  const [row] = await db
    .select({ dailyDigest: userPreferences.dailyDigest })
    .from(userPreferences)
    .where(and(eq(userPreferences.organizationId, organizationId), eq(userPreferences.userId, userId)));
  return row ?? { dailyDigest: false };
}

export async function upsertPreferences(db: Conn, organizationId: string, userId: string, patch: { dailyDigest: boolean }) {
  await db
    .insert(userPreferences)
    .values({ userId, organizationId, ...patch })
    .onConflictDoUpdate({ target: userPreferences.userId, set: { ...patch, updatedAt: sql`now()` }, setWhere: eq(userPreferences.organizationId, organizationId) });
}
