import { eq, or, type SQL } from 'drizzle-orm';
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

/** The row a Stripe subscription or customer belongs to (ours link both to one organization). */
export async function findByStripeIds(db: Conn, ids: { subscriptionId?: string | null; customerId?: string | null }) {
  const conditions: SQL[] = [];
  if (ids.subscriptionId) conditions.push(eq(subscriptions.stripeSubscriptionId, ids.subscriptionId));
  if (ids.customerId) conditions.push(eq(subscriptions.stripeCustomerId, ids.customerId));
  if (conditions.length === 0) return undefined;
  const rows = await db.select().from(subscriptions).where(or(...conditions));
  // A match on the subscription id is the stronger link.
  return rows.find((r) => ids.subscriptionId && r.stripeSubscriptionId === ids.subscriptionId) ?? rows[0];
}

export async function organizationExists(db: Conn, organizationId: string) {
  if (!isUuid(organizationId)) return false;
  const [row] = await db.select({ id: organizations.id }).from(organizations).where(eq(organizations.id, organizationId));
  return row !== undefined;
}

/** Links an organization to its Stripe customer once; the first link wins. Returns the row. */
export async function linkCustomer(db: Conn, organizationId: string, stripeCustomerId: string): Promise<SubscriptionRow> {
  await db.insert(subscriptions).values({ organizationId, stripeCustomerId }).onConflictDoNothing();
  return (await findSubscription(db, organizationId))!;
}
