import { and, asc, eq, gt, isNull, ne, sql } from 'drizzle-orm';
import type { AppContext } from '../../context.js';
import { isUniqueViolation } from '../../db/client.js';
import { memberInvites, organizations, users, type UserRole } from '../../db/schema/index.js';
import { AppError, notFound } from '../../errors.js';
import { hashPassword } from '../../lib/passwords.js';
import { randomToken, sha256 } from '../../lib/tokens.js';
import { normalizeEmail } from '../auth/auth.service.js';
import { createSession, revokeUserSessions, type AuthContext } from '../auth/sessions.js';

const INVITE_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export async function listMembers(ctx: AppContext, auth: AuthContext) {
  const [members, invites] = await Promise.all([
    ctx.db
      .select({ id: users.id, name: users.name, email: users.email, role: users.role, createdAt: users.createdAt })
      .from(users)
      .where(eq(users.organizationId, auth.organizationId))
      .orderBy(asc(users.createdAt)),
    ctx.db
      .select({ id: memberInvites.id, email: memberInvites.email, role: memberInvites.role, expiresAt: memberInvites.expiresAt })
      .from(memberInvites)
      .where(and(eq(memberInvites.organizationId, auth.organizationId), isNull(memberInvites.acceptedAt), gt(memberInvites.expiresAt, ctx.now()))),
  ]);
  return {
    members: members.map((m) => ({ ...m, createdAt: m.createdAt.toISOString() })),
    invites: invites.map((i) => ({ ...i, expiresAt: i.expiresAt.toISOString() })),
  };
}

/** Only an owner may hand out the owner role. */
function assertCanGrant(auth: AuthContext, role: UserRole) {
  if (role === 'owner' && auth.role !== 'owner') throw new AppError('FORBIDDEN', 'Only an owner can make someone an owner');
}

export async function inviteMember(ctx: AppContext, auth: AuthContext, input: { email: string; role: UserRole }) {
  assertCanGrant(auth, input.role);
  const email = normalizeEmail(input.email);
  const [existing] = await ctx.db.select({ id: users.id }).from(users).where(eq(users.email, email));
  if (existing) throw new AppError('CONFLICT', 'This email already has an Epoch Voice account');
  const token = randomToken();
  const [invite] = await ctx.db
    .insert(memberInvites)
    .values({
      organizationId: auth.organizationId,
      email,
      role: input.role,
      tokenHash: sha256(token),
      invitedBy: auth.userId,
      expiresAt: new Date(ctx.now().getTime() + INVITE_TTL_MS),
    })
    .returning({ id: memberInvites.id });
  const [org] = await ctx.db.select({ name: organizations.name }).from(organizations).where(eq(organizations.id, auth.organizationId));
  const url = `${ctx.config.appUrl}/invite?token=${encodeURIComponent(token)}`;
  await ctx.mailer.send({
    to: email,
    subject: `${auth.name} invited you to ${org?.name ?? 'their team'} on Epoch Voice`,
    text: `${auth.name} invited you to join ${org?.name} as ${input.role}. The link works once, within 7 days.\n\nAccept: ${url}`,
    html: `<p>${auth.name} invited you to join ${org?.name} as ${input.role}. The link works once, within 7 days.</p><p><a href="${url}">Accept the invitation</a></p>`,
  });
  return { id: invite!.id, email, role: input.role };
}

const invalidInvite = () => new AppError('INVALID_TOKEN', 'This invitation is invalid, already used or expired');

/**
 * Accepts an invitation once: creates the user in the inviting organization and signs them in.
 * Under the organization's invitation lock, and the invitation is claimed by a conditional
 * update in the same transaction as the user's insert: of concurrent accepts, one joins.
 */
export async function acceptInvite(ctx: AppContext, input: { token: string; name: string; password: string }) {
  const passwordHash = await hashPassword(input.password);
  const tokenHash = sha256(input.token);
  const [pending] = await ctx.db.select({ organizationId: memberInvites.organizationId }).from(memberInvites).where(eq(memberInvites.tokenHash, tokenHash));
  if (!pending) throw invalidInvite();
  return ctx.withOrgLock(pending.organizationId, 'invitation', () => joinOnce(ctx, tokenHash, input.name, passwordHash));
}

async function joinOnce(ctx: AppContext, tokenHash: string, name: string, passwordHash: string) {
  try {
    return await ctx.db.transaction(async (tx) => {
      const [invite] = await tx
        .update(memberInvites)
        .set({ acceptedAt: ctx.now() })
        .where(and(eq(memberInvites.tokenHash, tokenHash), isNull(memberInvites.acceptedAt), gt(memberInvites.expiresAt, ctx.now())))
        .returning();
      if (!invite) throw invalidInvite();
      const [user] = await tx
        .insert(users)
        .values({ organizationId: invite.organizationId, email: invite.email, name, passwordHash, role: invite.role })
        .returning({ id: users.id });
      return { userId: user!.id, organizationId: invite.organizationId };
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('CONFLICT', 'This email already has an Epoch Voice account');
    throw err;
  }
}

export const startSession = (ctx: AppContext, userId: string) => createSession(ctx, userId);

async function ownerCount(ctx: AppContext, organizationId: string, excludingUserId: string) {
  const [row] = await ctx.db
    .select({ n: sql<number>`count(*)::int` })
    .from(users)
    .where(and(eq(users.organizationId, organizationId), eq(users.role, 'owner'), ne(users.id, excludingUserId)));
  return row?.n ?? 0;
}

export async function changeRole(ctx: AppContext, auth: AuthContext, userId: string, role: UserRole) {
  assertCanGrant(auth, role);
  const [target] = await ctx.db.select().from(users).where(and(eq(users.organizationId, auth.organizationId), eq(users.id, userId)));
  if (!target) throw notFound('Member');
  if (target.role === 'owner' && auth.role !== 'owner') throw new AppError('FORBIDDEN', 'Only an owner can change an owner');
  if (target.role === 'owner' && role !== 'owner' && (await ownerCount(ctx, auth.organizationId, userId)) === 0) {
    throw new AppError('CONFLICT', 'An organization needs at least one owner');
  }
  await ctx.db.update(users).set({ role }).where(eq(users.id, userId));
  return { id: userId, role };
}

export async function removeMember(ctx: AppContext, auth: AuthContext, userId: string) {
  const [target] = await ctx.db.select().from(users).where(and(eq(users.organizationId, auth.organizationId), eq(users.id, userId)));
  if (!target) throw notFound('Member');
  if (target.role === 'owner' && auth.role !== 'owner') throw new AppError('FORBIDDEN', 'Only an owner can remove an owner');
  if (target.role === 'owner' && (await ownerCount(ctx, auth.organizationId, userId)) === 0) {
    throw new AppError('CONFLICT', 'An organization needs at least one owner');
  }
  await revokeUserSessions(ctx, userId);
  await ctx.db.delete(users).where(eq(users.id, userId));
}

/** Withdraws a pending invitation: its link stops working at once. */
export async function revokeInvite(ctx: AppContext, auth: AuthContext, inviteId: string) {
  const rows = await ctx.db
    .delete(memberInvites)
    .where(and(eq(memberInvites.organizationId, auth.organizationId), eq(memberInvites.id, inviteId), isNull(memberInvites.acceptedAt)))
    .returning({ id: memberInvites.id });
  if (rows.length === 0) throw notFound('Invitation');
}
