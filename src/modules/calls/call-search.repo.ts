import { and, eq, ne, sql, type SQL } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.js';
import { businessProfiles, calls, followUps, type CallStatus, type FollowUpStatus } from '../../db/schema/index.js';
import type { CallCategory } from '../../domain/call-outcome.js';
import { parseCallSearch } from '../../domain/call-search.js';

type Conn = Db | Tx;

/** What the calls list and its export can be narrowed by (all optional, all ANDed). */
export interface CallFilters {
  q?: string;
  status?: CallStatus;
  /** Business-local calendar dates, inclusive. */
  from?: string;
  to?: string;
  direction?: 'inbound' | 'outbound';
  /** The outcome's category (calls without an outcome never match). */
  category?: CallCategory;
  /** Calls whose follow-up is in this state (calls that need none never match). */
  followUp?: FollowUpStatus;
}

/** Where a call sits in the list: when it started (when it was created, until it starts). */
export const sortAt = sql`coalesce(${calls.startedAt}, ${calls.createdAt})`;
/** The same instant as exact text (microseconds), so a cursor never skips rows that a JS Date would round together. */
const sortKey = sql<string>`to_char(${sortAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

export interface CallCursor {
  at: string;
  id: string;
}

const searchVector = sql.raw('"calls"."search_vector"');

function searchCondition(q: string): SQL | undefined {
  const terms = parseCallSearch(q);
  if (terms.e164) return eq(calls.customerNumber, terms.e164);
  if (terms.digits) return sql`${calls.customerNumber} like ${`%${terms.digits}%`}`;
  if (terms.tsquery) return sql`${searchVector} @@ to_tsquery('simple', ${terms.tsquery})`;
  return undefined;
}

/** The organization's time zone, read inside the statement (dates are the business's days). */
const zoneOf = (organizationId: string) =>
  sql`coalesce((select ${businessProfiles.timezone} from ${businessProfiles} where ${businessProfiles.organizationId} = ${organizationId}), 'America/New_York')`;

export function callFilterConditions(organizationId: string, f: CallFilters, after?: CallCursor): SQL | undefined {
  return and(
    eq(calls.organizationId, organizationId),
    f.q ? searchCondition(f.q) : undefined,
    f.status ? eq(calls.status, f.status) : undefined,
    f.direction === 'outbound' ? eq(calls.type, 'outboundPhoneCall') : undefined,
    f.direction === 'inbound' ? ne(calls.type, 'outboundPhoneCall') : undefined,
    f.category ? sql`${calls.outcome}->>'category' = ${f.category}` : undefined,
    // One primary-key probe per candidate row: follow_ups is keyed by the call.
    f.followUp
      ? sql`exists (select 1 from ${followUps} where ${followUps.callId} = ${calls.id} and ${followUps.status} = ${f.followUp})`
      : undefined,
    f.from ? sql`${sortAt} >= (${f.from}::date)::timestamp at time zone ${zoneOf(organizationId)}` : undefined,
    f.to ? sql`${sortAt} < (${f.to}::date + 1)::timestamp at time zone ${zoneOf(organizationId)}` : undefined,
    after ? sql`(${sortAt}, ${calls.id}) < (${after.at}::timestamptz, ${after.id}::uuid)` : undefined,
  );
}

const listColumns = {
  id: calls.id,
  vapiCallId: calls.vapiCallId,
  type: calls.type,
  status: calls.status,
  customerNumber: calls.customerNumber,
  startedAt: calls.startedAt,
  endedAt: calls.endedAt,
  durationSeconds: calls.durationSeconds,
  endedReason: calls.endedReason,
  summary: calls.summary,
  outcome: calls.outcome,
  createdAt: calls.createdAt,
  sortKey,
};

/** One page of the filtered list, newest start first, id breaking ties (keyset on the same pair). */
export function searchCalls(db: Conn, organizationId: string, f: CallFilters, limit: number, after?: CallCursor) {
  return db
    .select(listColumns)
    .from(calls)
    .where(callFilterConditions(organizationId, f, after))
    .orderBy(sql`${sortAt} desc`, sql`${calls.id} desc`)
    .limit(limit);
}

/** The same rows with their transcript, for the export (read a batch at a time). */
export function exportBatch(db: Conn, organizationId: string, f: CallFilters, limit: number, after?: CallCursor) {
  return db
    .select({ ...listColumns, transcript: calls.transcript })
    .from(calls)
    .where(callFilterConditions(organizationId, f, after))
    .orderBy(sql`${sortAt} desc`, sql`${calls.id} desc`)
    .limit(limit);
}
