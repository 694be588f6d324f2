import type { AppContext } from '../../context.js';
import { isUniqueViolation } from '../../db/client.js';
import type { AuthTokenKind } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { burnPasswordCheck, hashPassword, verifyPassword } from '../../lib/passwords.js';
import { randomToken, sha256 } from '../../lib/tokens.js';
import * as repo from './auth.repo.js';
import { magicLinkEmail, resetPasswordEmail, welcomeEmail } from './emails.js';
import { revokeUserSessions, type AuthContext } from './sessions.js';

const RESET_TTL_MS = 60 * 60 * 1000;
const MAGIC_LINK_TTL_MS = 10 * 60 * 1000;

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

export async function register(
  ctx: AppContext,
  input: { name: string; email: string; password: string; organizationName: string },
) {
  const email = normalizeEmail(input.email);
  const passwordHash = await hashPassword(input.password);
  let ids;
  try {
    ids = await repo.insertOrganizationWithOwner(
      ctx.db,
      { name: input.organizationName },
      { name: input.name, email, passwordHash },
    );
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('CONFLICT', 'An account with this email already exists');
    throw err;
  }
  await ctx.mailer.send(welcomeEmail(email, input.name, input.organizationName, ctx.config.appUrl));
  return ids;
}

/** Checks credentials; unknown email and wrong password look the same and take as long. */
export async function authenticate(ctx: AppContext, emailInput: string, password: string) {
  const user = await repo.findUserByEmail(ctx.db, normalizeEmail(emailInput));
  if (!user) {
    await burnPasswordCheck(password);
    throw new AppError('INVALID_CREDENTIALS', 'Invalid email or password');
  }
  if (!(await verifyPassword(user.passwordHash, password))) {
    throw new AppError('INVALID_CREDENTIALS', 'Invalid email or password');
  }
  return user;
}

/** A single-use token for a mailed link, stored only as its hash; `email` is an email change's new address. */
export async function issueToken(ctx: AppContext, userId: string, kind: AuthTokenKind, ttlMs: number, email?: string) {
  const token = randomToken();
  await repo.insertAuthToken(ctx.db, {
    tokenHash: sha256(token),
    kind,
    userId,
    expiresAt: new Date(ctx.now().getTime() + ttlMs),
    email,
  });
  return token;
}

/** Uses a token up (once, before it expires) and returns what it was issued for. */
export async function consumeToken(ctx: AppContext, token: string, kind: AuthTokenKind, db = ctx.db) {
  const row = await repo.consumeAuthToken(db, sha256(token), kind, ctx.now());
  if (!row) throw new AppError('INVALID_TOKEN', 'This link is invalid, already used or expired');
  return row;
}

/** Mails a reset link if the account exists; the caller answers the same either way. */
export async function forgotPassword(ctx: AppContext, emailInput: string) {
  const user = await repo.findUserByEmail(ctx.db, normalizeEmail(emailInput));
  if (!user) return;
  const token = await issueToken(ctx, user.id, 'reset', RESET_TTL_MS);
  const url = `${ctx.config.appUrl}/reset-password?token=${encodeURIComponent(token)}`;
  await ctx.mailer.send(resetPasswordEmail(user.email, url));
}

export async function resetPassword(ctx: AppContext, token: string, password: string) {
  const { userId } = await consumeToken(ctx, token, 'reset');
  await repo.updatePassword(ctx.db, userId, await hashPassword(password));
  await revokeUserSessions(ctx, userId);
}

export async function changePassword(
  ctx: AppContext,
  auth: AuthContext,
  input: { currentPassword?: string; newPassword: string; forced?: boolean },
) {
  const user = await repo.findUserById(ctx.db, auth.userId);
  if (!user) throw new AppError('UNAUTHORIZED', 'Sign in to continue');
  if (input.forced) {
    if (!user.mustChangePassword) {
      throw new AppError('FORBIDDEN', 'A forced password change is only allowed when an administrator requires one');
    }
  } else if (!input.currentPassword || !(await verifyPassword(user.passwordHash, input.currentPassword))) {
    throw new AppError('INVALID_CREDENTIALS', 'Current password is incorrect');
  }
  await repo.updatePassword(ctx.db, user.id, await hashPassword(input.newPassword));
  await revokeUserSessions(ctx, user.id, auth.sessionId ?? undefined);
}

export async function requestMagicLink(ctx: AppContext, emailInput: string) {
  const user = await repo.findUserByEmail(ctx.db, normalizeEmail(emailInput));
  if (!user) return;
  const token = await issueToken(ctx, user.id, 'magic_link', MAGIC_LINK_TTL_MS);
  const url = `${ctx.config.appUrl}/api/auth/magic-link?token=${encodeURIComponent(token)}`;
  await ctx.mailer.send(magicLinkEmail(user.email, url));
}

/** Returns the user the link signs in. */
export const consumeMagicLink = async (ctx: AppContext, token: string) => (await consumeToken(ctx, token, 'magic_link')).userId;
