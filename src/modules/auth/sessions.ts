import { and, asc, eq, ne, sql, type SQLWrapper } from 'drizzle-orm';
import { prepareMapped, preparedPerDb, type Db } from '../../db/client.js';
import type { AppContext } from '../../context.js';
import { assistants, organizations, sessions, users, type UserRole } from '../../db/schema/index.js';
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
  /** The organization's answering assistant (its oldest active one), read with the caller. */
  activeAssistant: ActiveAssistantRef | null;
}

export interface ActiveAssistantRef {
  id: string;
  name: string;
  voiceName: string | null;
}

/**
 * The organization's answering assistant as a LATERAL subquery, so the caller's read
 * (session or API key) brings it in the same round trip.
 */
export function activeAssistantOf(db: Db, organizationId: SQLWrapper) {
  return db
    .select({ id: assistants.id, name: assistants.name, voiceName: assistants.voiceName })
    .from(assistants)
    .where(and(eq(assistants.organizationId, organizationId), eq(assistants.status, 'ACTIVE')))
    .orderBy(asc(assistants.createdAt), asc(assistants.id))
    .limit(1)
    .as('active_assistant');
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

/**
 * The hot path of every authenticated request: one read of caller, plan and assistant by the
 * token's hash (`sql.placeholder('tokenHash')`). bench/peers.mjs runs this same statement.
 */
export function sessionRead(db: Db) {
  const active = activeAssistantOf(db, users.organizationId);
  return db
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
      assistantId: active.id,
      assistantName: active.name,
      assistantVoiceName: active.voiceName,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .innerJoin(organizations, eq(organizations.id, users.organizationId))
    .leftJoinLateral(active, sql`true`)
    .where(eq(sessions.tokenHash, sql.placeholder('tokenHash')))
    .limit(1);
}

type SessionCaller = AuthContext & { sessionId: string };

/** A session read's row, in select order, as the caller a request runs for. */
function callerOf(row: unknown[]): SessionCaller {
  const [sessionId, expiresAt, userId, organizationId, role, email, name, mustChangePassword, plan, assistantId, assistantName, assistantVoiceName] = row as [
    string, string, string, string, UserRole, string, string, boolean, PlanTier, string | null, string, string | null,
  ];
  return {
    via: 'session',
    sessionId,
    userId,
    organizationId,
    role,
    email,
    name,
    plan,
    mustChangePassword,
    expiresAt: new Date(expiresAt), // timestamptz: the text carries its offset
    activeAssistant: assistantId === null ? null : { id: assistantId, name: assistantName, voiceName: assistantVoiceName },
  };
}

const sessionByTokenHash = preparedPerDb((db) => prepareMapped(db, sessionRead(db), 'session_by_token_hash', callerOf));

/**
 * Resolves a cookie token to its live session, sliding the 30-day expiry forward.
 * Memoized where that is exact (PGlite: until the next write, which sign-out, a role or
 * plan change and the slide itself all are); expiry is checked on every call.
 */
export async function findSession(ctx: AppContext, token: string): Promise<AuthContext | null> {
  const now = ctx.now();
  const tokenHash = sha256(token);
  const caller = await ctx.memoRead(`session:${tokenHash}`, async () => (await sessionByTokenHash(ctx.db)({ tokenHash }))[0]);
  if (!caller || caller.expiresAt <= now) return null;
  // A copy: the memo hands the same caller to every request until the next write.
  const auth = { ...caller };

  const slid = new Date(now.getTime() + SESSION_TTL_MS);
  if (slid.getTime() - caller.expiresAt.getTime() > SLIDE_AFTER_MS) {
    await ctx.db.update(sessions).set({ expiresAt: slid }).where(eq(sessions.id, caller.sessionId));
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
