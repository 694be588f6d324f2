import { and, desc, eq, gt, isNull, or, sql } from 'drizzle-orm';
import type { AppContext } from '../../context.js';
import { apiKeys, organizations, users } from '../../db/schema/index.js';
import { preparedPerDb } from '../../db/client.js';
import { notFound } from '../../errors.js';
import { randomBase62 } from '../../lib/tokens.js';
import { sha256 } from '../../lib/tokens.js';
import { activeAssistantOf, type AuthContext } from '../auth/sessions.js';

export const API_KEY_PREFIX = 'evk_';
/** last_used_at is written at most once a minute per key, not on every request. */
const LAST_USED_GRANULARITY_MS = 60_000;

/** The read behind every request with an API key: the live key, its plan, its creator and the answering assistant. */
const apiKeyByHash = preparedPerDb((db) => {
  const active = activeAssistantOf(db, apiKeys.organizationId);
  return db
    .select({
      id: apiKeys.id,
      lastUsedAt: apiKeys.lastUsedAt,
      organizationId: apiKeys.organizationId,
      plan: organizations.plan,
      userId: users.id,
      email: users.email,
      name: users.name,
      activeAssistant: { id: active.id, name: active.name, voiceName: active.voiceName },
    })
    .from(apiKeys)
    .innerJoin(organizations, eq(organizations.id, apiKeys.organizationId))
    .innerJoin(users, eq(users.id, apiKeys.createdBy))
    .leftJoinLateral(active, sql`true`)
    .where(
      and(
        eq(apiKeys.keyHash, sql.placeholder('keyHash')),
        isNull(apiKeys.revokedAt),
        or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, sql`${sql.placeholder('now')}::timestamptz`)),
      ),
    )
    .prepare('api_key_by_hash');
});

/** Resolves `Bearer evk_…` to the key's organization, as its creator; null if unknown, revoked or expired. */
export async function authenticateApiKey(ctx: AppContext, key: string): Promise<AuthContext | null> {
  const now = ctx.now();
  const [row] = await apiKeyByHash(ctx.db).execute({ keyHash: sha256(key), now: now.toISOString() });
  if (!row) return null;
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > LAST_USED_GRANULARITY_MS) {
    await ctx.db.update(apiKeys).set({ lastUsedAt: now }).where(eq(apiKeys.id, row.id));
  }
  return {
    via: 'apiKey',
    sessionId: null,
    userId: row.userId,
    organizationId: row.organizationId,
    // A key acts for the organization like an admin, but cannot manage keys or members (routes check `via`).
    role: 'admin',
    email: row.email,
    name: row.name,
    plan: row.plan,
    mustChangePassword: false,
    expiresAt: new Date(now.getTime() + 3600_000),
    activeAssistant: row.activeAssistant,
  };
}

const view = (k: typeof apiKeys.$inferSelect) => ({
  id: k.id,
  label: k.label,
  prefix: k.prefix,
  lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
  expiresAt: k.expiresAt?.toISOString() ?? null,
  createdAt: k.createdAt.toISOString(),
});

export async function listApiKeys(ctx: AppContext, auth: AuthContext) {
  const rows = await ctx.db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.organizationId, auth.organizationId), isNull(apiKeys.revokedAt)))
    .orderBy(desc(apiKeys.createdAt));
  return { keys: rows.map(view) };
}

/** Creates a key and returns it in full, the only time it is ever shown. */
export async function createApiKey(ctx: AppContext, auth: AuthContext, input: { label: string; expiresAt?: Date }) {
  const key = `${API_KEY_PREFIX}${randomBase62(32)}`;
  const [row] = await ctx.db
    .insert(apiKeys)
    .values({
      organizationId: auth.organizationId,
      createdBy: auth.userId,
      label: input.label,
      prefix: key.slice(0, 12),
      keyHash: sha256(key),
      expiresAt: input.expiresAt ?? null,
    })
    .returning();
  return { key, ...view(row!) };
}

/** Revocation is immediate: the next request with the key finds no live row. */
export async function revokeApiKey(ctx: AppContext, auth: AuthContext, id: string) {
  const rows = await ctx.db
    .update(apiKeys)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(apiKeys.organizationId, auth.organizationId), eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id });
  if (rows.length === 0) throw notFound('API key');
}
