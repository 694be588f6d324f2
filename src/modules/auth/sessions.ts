import { and, eq, gt, ne, sql } from 'drizzle-orm';
import { preparedPerDb } from '../../db/client.js';
import type { AppContext } from '../../context.js';
import { organizations, sessions, users, type UserRole } from '../../db/schema/index.js';
import type { PlanTier } from '../../domain/plans.js';
import { randomToken, sha256 } from '../../lib/tokens.js';

const DAY_MS = 24 * 60 * 60 * 1000;
export const SESSION_TTL_MS = 30 * DAY_MS;
/** A session is pushed out again once a day at most, not on every request. */
const SLIDE_AFTER_MS = DAY_MS;

/** Who is calling: everything a route needs to scope and gate a request. */
export interface AuthContext {
  /** How the caller proved who it is: a browser session, or an organization API key. */
  via: 'session' | 'apiKey';
  /** The session (null for an API key): kept alive when the user changes the password. */
  sessionId: string | null;
  /** The user, or for an API key the user who created it. */
  userId: string;
  organizationId: string;
  role: UserRole;
  email: string;
  name: string;
  plan: PlanTier;
  mustChangePassword: boolean;
  expiresAt: Date;
}

export async function createSession(ctx: AppContext, userId: string) {
  const token = randomToken();
  const expiresAt = new Date(ctx.now().getTime() + SESSION_TTL_MS);
  const [row] = await ctx.db
    .insert(sessions)
    .values({ tokenHash: sha256(token), userId, expiresAt })
    .returning({ id: sessions.id });
  return { token, sessionId: row!.id, expiresAt };
}

/** The hot path of every authenticated request: one prepared join. */
const sessionByTokenHash = preparedPerDb((db) =>
  db
    .select({
      sessionId: sessions.id,
      expiresAt: sessions.expiresAt,
      userId: users.id,
      organizationId: users.organizationId,
      role: users.role,
      email: users.email,
      name: users.name,
      mustChangePassword: users.mustChangePassword,
      plan: organizations.plan,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .innerJoin(organizations, eq(organizations.id, users.organizationId))
    .where(and(eq(sessions.tokenHash, sql.placeholder('tokenHash')), gt(sessions.expiresAt, sql.placeholder('now'))))
    .limit(1)
    .prepare('session_by_token_hash'),
);

/** Resolves a cookie token to its live session, sliding the 30-day expiry forward. */
export async function findSession(ctx: AppContext, token: string): Promise<AuthContext | null> {
  const now = ctx.now();
  const [row] = await sessionByTokenHash(ctx.db).execute({ tokenHash: sha256(token), now });
  if (!row) return null;
  const auth: AuthContext = { ...row, via: 'session' };

  const slid = new Date(now.getTime() + SESSION_TTL_MS);
  if (slid.getTime() - row.expiresAt.getTime() > SLIDE_AFTER_MS) {
    await ctx.db.update(sessions).set({ expiresAt: slid }).where(eq(sessions.id, row.sessionId));
    auth.expiresAt = slid;
  }
  return auth;
}

export async function revokeSessionByToken(ctx: AppContext, token: string) {
  await ctx.db.delete(sessions).where(eq(sessions.tokenHash, sha256(token)));
}

/** Ends every session of a user, except the one that asked (password change). */
export async function revokeUserSessions(ctx: AppContext, userId: string, exceptSessionId?: string) {
  const bySameUser = eq(sessions.userId, userId);
  await ctx.db
    .delete(sessions)
    .where(exceptSessionId ? and(bySameUser, ne(sessions.id, exceptSessionId)) : bySameUser);
}
