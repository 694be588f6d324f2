import { and, asc, eq, sql } from 'drizzle-orm';
import { queryRows, type Db, type Tx } from '../../db/client.js';
import { blockedNumbers, calls } from '../../db/schema/index.js';

type Conn = Db | Tx;

const columns = { id: blockedNumbers.id, number: blockedNumbers.number, reason: blockedNumbers.reason, createdAt: blockedNumbers.createdAt };

export const listBlocked = (db: Conn, organizationId: string) =>
  db.select(columns).from(blockedNumbers).where(eq(blockedNumbers.organizationId, organizationId)).orderBy(asc(blockedNumbers.createdAt), asc(blockedNumbers.id));

/** Inserts the number unless the organization already blocks it; undefined then (the unique key decides). */
export async function insertBlocked(db: Conn, v: { organizationId: string; number: string; reason?: string | null; createdBy: string }) {
  const [row] = await db.insert(blockedNumbers).values(v).onConflictDoNothing().returning(columns);
  return row;
}

export async function findBlockedByNumber(db: Conn, organizationId: string, number: string) {
  const [row] = await db
    .select(columns)
    .from(blockedNumbers)
    .where(and(eq(blockedNumbers.organizationId, organizationId), eq(blockedNumbers.number, number)));
  return row;
}

export async function deleteBlocked(db: Conn, organizationId: string, id: string) {
  const rows = await db
    .delete(blockedNumbers)
    .where(and(eq(blockedNumbers.organizationId, organizationId), eq(blockedNumbers.id, id)))
    .returning({ id: blockedNumbers.id });
  return rows.length > 0;
}

export async function findCallCustomerNumber(db: Conn, organizationId: string, callId: string) {
  const [row] = await db
    .select({ customerNumber: calls.customerNumber })
    .from(calls)
    .where(and(eq(calls.organizationId, organizationId), eq(calls.id, callId)));
  return row;
}

/**
 * For an inbound call: the organization that owns the dialled number (by the number itself
 * or by VAPI's phone-number id), its answering assistant, and whether the caller is blocked.
 * One round trip, so the assistant-request is answered well within VAPI's 7.5 s.
 */
export async function routeInboundCall(db: Db, q: { number?: string; vapiPhoneNumberId?: string; customerNumber?: string }) {
  const [row] = await queryRows<{ organizationId: string; vapiAssistantId: string | null; blocked: boolean }>(
    db,
    sql`select pn.organization_id as "organizationId",
          (select a.vapi_assistant_id from assistants a
            where a.organization_id = pn.organization_id and a.status = 'ACTIVE'
            order by a.created_at, a.id limit 1) as "vapiAssistantId",
          exists (select 1 from blocked_numbers b
            where b.organization_id = pn.organization_id and b.number = ${q.customerNumber ?? null}::text) as blocked
        from phone_numbers pn
        where pn.number = ${q.number ?? null}::text or pn.vapi_phone_number_id = ${q.vapiPhoneNumberId ?? null}::text
        order by (pn.number = ${q.number ?? null}::text) desc nulls last
        limit 1`,
  );
  return row;
}
