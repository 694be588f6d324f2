import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { authTokens, organizations, users, type AuthTokenKind } from '../../db/schema/index.js';

export const findUserByEmail = async (db: Db, email: string) =>
  (await db.select().from(users).where(eq(users.email, email)).limit(1))[0];

export const findUserById = async (db: Db, id: string) =>
  (await db.select().from(users).where(eq(users.id, id)).limit(1))[0];

/** Organization and its owner, in one transaction: both or neither. */
export async function insertOrganizationWithOwner(
  db: Db,
  org: { name: string },
  owner: { name: string; email: string; passwordHash: string },
) {
  return db.transaction(async (tx) => {
    const [o] = await tx.insert(organizations).values(org).returning({ id: organizations.id });
    const [u] = await tx
      .insert(users)
      .values({ ...owner, organizationId: o!.id, role: 'owner' })
      .returning({ id: users.id });
    return { organizationId: o!.id, userId: u!.id };
  });
}

export async function insertAuthToken(
  db: Db,
  values: { tokenHash: string; kind: AuthTokenKind; userId: string; expiresAt: Date; email?: string },
) {
  await db.insert(authTokens).values(values);
}

/**
 * Marks a token used and returns its user (and, for an email change, the new address) in
 * one statement, so two concurrent uses cannot both succeed. Expired, used or unknown
 * tokens return undefined.
 */
export async function consumeAuthToken(db: Db, tokenHash: string, kind: AuthTokenKind, now: Date) {
  const [row] = await db
    .update(authTokens)
    .set({ usedAt: now })
    .where(
      and(
        eq(authTokens.tokenHash, tokenHash),
        eq(authTokens.kind, kind),
        isNull(authTokens.usedAt),
        gt(authTokens.expiresAt, now),
      ),
    )
    .returning({ userId: authTokens.userId, email: authTokens.email });
  return row;
}

export async function updatePassword(db: Db, userId: string, passwordHash: string) {
  await db.update(users).set({ passwordHash, mustChangePassword: false }).where(eq(users.id, userId));
}

export async function updateName(db: Db, user: { userId: string; orgId: string }, name: string) {
  const [row] = await db
    .update(users)
    .set({ name })
    .where(and(eq(users.organizationId, user.orgId), eq(users.id, user.userId)))
    .returning({ name: users.name, email: users.email });
  return row;
}

export async function updateEmail(db: Db, userId: string, email: string) {
  await db.update(users).set({ email }).where(eq(users.id, userId));
}
