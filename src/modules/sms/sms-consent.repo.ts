import { and, eq } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.js';
import { smsOptOuts } from '../../db/schema/index.js';

type Conn = Db | Tx;

export async function recordOptOut(db: Conn, organizationId: string, number: string) {
  await db.insert(smsOptOuts).values({ organizationId, number }).onConflictDoNothing();
}

export async function recordOptIn(db: Conn, organizationId: string, number: string) {
  await db.delete(smsOptOuts).where(and(eq(smsOptOuts.organizationId, organizationId), eq(smsOptOuts.number, number)));
}

export async function isOptedOut(db: Conn, organizationId: string, number: string) {
  const [row] = await db
    .select({ number: smsOptOuts.number })
    .from(smsOptOuts)
    .where(and(eq(smsOptOuts.organizationId, organizationId), eq(smsOptOuts.number, number)));
  return row !== undefined;
}
