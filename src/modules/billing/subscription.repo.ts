import { eq, or } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.js';
import { organizations, subscriptions } from '../../db/schema/index.js';

type Conn = Db | Tx;
export type SubscriptionRow = typeof subscriptions.$inferSelect;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Ids from outside (Stripe metadata) are checked before they reach a uuid column. */
export const isUuid = (value: string | null | undefined): value is string => typeof value === 'string' && UUID.test(value);

export async function findSubscription(db: Conn, organizationId: string): Promise<SubscriptionRow | undefined> {
  const [row] = await db.select().from(subscriptions).where(eq(subscriptions.organizationId, organizationId));
  return row;
}

/** The row a Stripe subscription belongs to, else its customer's (ours link both to one organization). */
export async function findByStripeIds(db: Conn, ids: { subscriptionId: string; customerId?: string | null }) {
  const rows = await db
    .select()
    .from(subscriptions)
    .where(or(eq(subscriptions.stripeSubscriptionId, ids.subscriptionId), ids.customerId ? eq(subscriptions.stripeCustomerId, ids.customerId) : undefined));
  // A match on the subscription id is the stronger link.
  return rows.find((r) => r.stripeSubscriptionId === ids.subscriptionId) ?? rows[0];
}

/** An organization id from outside (Stripe metadata), if it names one of ours. */
export async function knownOrganizationId(db: Conn, organizationId: string | null | undefined): Promise<string | undefined> {
  if (!isUuid(organizationId)) return undefined;
  const [row] = await db.select({ id: organizations.id }).from(organizations).where(eq(organizations.id, organizationId));
  return row?.id;
}

/** Links an organization to its Stripe customer once; the first link wins. Returns the row. */
export async function linkCustomer(db: Conn, organizationId: string, stripeCustomerId: string): Promise<SubscriptionRow> {
  await db.insert(subscriptions).values({ organizationId, stripeCustomerId }).onConflictDoNothing();
  return (await findSubscription(db, organizationId))!;
}
