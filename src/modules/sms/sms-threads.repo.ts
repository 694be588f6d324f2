import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client.js';

/** The other party of a text: who sent it to us, or whom we sent it to (matches sms_messages_thread_idx). */
const party = sql.raw(`case when m.direction = 'INBOUND' then m."from" else m."to" end`);

export interface ThreadRow {
  number: string;
  lastBody: string;
  lastDirection: 'INBOUND' | 'OUTBOUND';
  lastAt: Date;
  unread: number;
  optedOut: boolean;
}

/** One row per other party, most recent conversation first, with how many inbound texts are unread. */
export function listThreads(db: Db, organizationId: string, limit: number) {
  return queryRows<ThreadRow>(
    db,
    sql`with last as (
        select distinct on (${party}) ${party} as number, m.body, m.direction, m.created_at
        from sms_messages m where m.organization_id = ${organizationId}
        order by ${party}, m.created_at desc, m.id desc
      )
      select l.number, l.body as "lastBody", l.direction as "lastDirection", l.created_at as "lastAt",
        (select count(*)::int from sms_messages m
          where m.organization_id = ${organizationId} and ${party} = l.number and m.direction = 'INBOUND'
            and m.created_at > coalesce(r.read_through, '-infinity')) as unread,
        exists (select 1 from sms_opt_outs o where o.organization_id = ${organizationId} and o.number = l.number) as "optedOut"
      from last l
      left join sms_thread_reads r on r.organization_id = ${organizationId} and r.number = l.number
      order by l.created_at desc, l.number
      limit ${limit}`,
  );
}

export interface ThreadMessage {
  id: string;
  direction: 'INBOUND' | 'OUTBOUND';
  body: string;
  status: string;
  createdAt: Date;
  missedCallText: boolean;
}

/** The latest `limit` texts with one party, oldest first; the missed-call text-back marked as such. */
export function threadMessages(db: Db, organizationId: string, number: string, limit: number) {
  return queryRows<ThreadMessage>(
    db,
    sql`select * from (
        select m.id, m.direction, m.body, m.status, m.created_at as "createdAt",
          exists (select 1 from missed_call_texts t where t.organization_id = m.organization_id and t.twilio_sid = m.twilio_sid) as "missedCallText"
        from sms_messages m
        where m.organization_id = ${organizationId} and ${party} = ${number}
        order by m.created_at desc, m.id desc limit ${limit}
      ) latest order by "createdAt", id`,
  );
}

/** Marks every inbound text of the thread read (up to the newest one stored now). */
export async function markThreadRead(db: Db, organizationId: string, number: string) {
  await db.execute(sql`insert into sms_thread_reads (organization_id, number, read_through)
    select ${organizationId}, ${number}, max(m.created_at) from sms_messages m
    where m.organization_id = ${organizationId} and m.direction = 'INBOUND' and m."from" = ${number}
    having max(m.created_at) is not null
    on conflict (organization_id, number) do update set read_through = greatest(sms_thread_reads.read_through, excluded.read_through)`);
}
