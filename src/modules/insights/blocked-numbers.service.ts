import type { AppContext } from '../../context.js';
import { AppError, notFound } from '../../errors.js';
import type { AuthContext } from '../auth/sessions.js';
import * as repo from './blocked-numbers.repo.js';

type Row = NonNullable<Awaited<ReturnType<typeof repo.findBlockedByNumber>>>;
const view = (r: Row) => ({ id: r.id, number: r.number, reason: r.reason, createdAt: r.createdAt.toISOString() });

export async function listBlockedNumbers(ctx: AppContext, auth: AuthContext) {
  return { blockedNumbers: (await repo.listBlocked(ctx.db, auth.organizationId)).map(view) };
}

/** Blocks a number (E.164); 409 when the organization already blocks it. */
export async function blockNumber(ctx: AppContext, auth: AuthContext, input: { number: string; reason?: string | null }) {
  const row = await repo.insertBlocked(ctx.db, {
    organizationId: auth.organizationId,
    number: input.number,
    reason: input.reason ?? null,
    createdBy: auth.userId,
  });
  if (!row) throw new AppError('CONFLICT', `${input.number} is already blocked`);
  return { blockedNumber: view(row) };
}

export async function unblockNumber(ctx: AppContext, auth: AuthContext, id: string) {
  if (!(await repo.deleteBlocked(ctx.db, auth.organizationId, id))) throw notFound('Blocked number');
  return { success: true as const };
}

/** "Block this caller" on a call: idempotent, answers whether the number was already blocked. */
export async function blockCaller(ctx: AppContext, auth: AuthContext, callId: string) {
  const call = await repo.findCallCustomerNumber(ctx.db, auth.organizationId, callId);
  if (!call) throw notFound('Call');
  if (!call.customerNumber) throw new AppError('BAD_REQUEST', 'This call has no caller number to block (a web call, or the number was withheld)');
  const created = await repo.insertBlocked(ctx.db, {
    organizationId: auth.organizationId,
    number: call.customerNumber,
    reason: 'Blocked from a call',
    createdBy: auth.userId,
  });
  if (created) return { created: true, body: { alreadyBlocked: false, blockedNumber: view(created) } };
  const existing = await repo.findBlockedByNumber(ctx.db, auth.organizationId, call.customerNumber);
  if (!existing) throw new AppError('CONFLICT', 'The number was unblocked at the same moment: try again');
  return { created: false, body: { alreadyBlocked: true, blockedNumber: view(existing) } };
}
