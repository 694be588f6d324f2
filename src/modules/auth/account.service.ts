import type { AppContext } from '../../context.js';
import { isUniqueViolation } from '../../db/client.js';
import { AppError } from '../../errors.js';
import { verifyPassword } from '../../lib/passwords.js';
import * as repo from './auth.repo.js';
import { consumeToken, issueToken, normalizeEmail } from './auth.service.js';
import { confirmEmailChangeEmail, emailChangedEmail } from './emails.js';
import type { AuthContext } from './sessions.js';

const EMAIL_CHANGE_TTL_MS = 24 * 60 * 60 * 1000;
const TAKEN = 'An account with this email already exists';

export async function rename(ctx: AppContext, auth: AuthContext, name: string) {
  const row = await repo.updateName(ctx.db, { userId: auth.userId, orgId: auth.organizationId }, name);
  if (!row) throw new AppError('UNAUTHORIZED', 'Sign in to continue');
  return row;
}

/**
 * Mails a confirmation link to the new address; nothing changes until it is opened.
 * A taken address is refused here already (and again on confirmation, in case of a race).
 */
export async function requestEmailChange(ctx: AppContext, auth: AuthContext, input: { email: string; currentPassword: string }) {
  const user = await repo.findUserById(ctx.db, auth.userId);
  if (!user || user.organizationId !== auth.organizationId) throw new AppError('UNAUTHORIZED', 'Sign in to continue');
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
    throw new AppError('INVALID_CREDENTIALS', 'Current password is incorrect');
  }
  const email = normalizeEmail(input.email);
  if (email === user.email) throw new AppError('BAD_REQUEST', 'This is already your email address');
  if (await repo.findUserByEmail(ctx.db, email)) throw new AppError('CONFLICT', TAKEN);
  const token = await issueToken(ctx, user.id, 'email_change', EMAIL_CHANGE_TTL_MS, email);
  const url = `${ctx.config.appUrl}/api/account/email/confirm?token=${encodeURIComponent(token)}`;
  await ctx.mailer.send(confirmEmailChangeEmail(email, url));
  return email;
}

/** Uses the link up and moves the account to the new address; the old address is told. */
export async function confirmEmailChange(ctx: AppContext, token: string) {
  const { userId, newEmail, oldEmail } = await ctx.db
    .transaction(async (tx) => {
      const row = await consumeToken(ctx, token, 'email_change', tx);
      const user = await repo.findUserById(tx, row.userId);
      if (!user || !row.email) throw new AppError('INVALID_TOKEN', 'This link is invalid, already used or expired');
      await repo.updateEmail(tx, user.id, row.email);
      return { userId: user.id, newEmail: row.email, oldEmail: user.email };
    })
    .catch((err: unknown) => {
      // Taken since the link was sent: the transaction rolled back, so the link stays unused.
      throw isUniqueViolation(err) ? new AppError('CONFLICT', TAKEN) : err;
    });
  await ctx.mailer.send(emailChangedEmail(oldEmail, newEmail));
  return { userId, email: newEmail };
}
