import type { AppContext } from '../../context.js';
import type { AuthContext } from '../auth/sessions.js';
import { notFound } from '../../errors.js';
import { isOptedOut } from './sms-consent.repo.js';
import * as repo from './sms-threads.repo.js';

const iso = (d: Date | string) => new Date(d).toISOString();

export async function listThreads(ctx: AppContext, auth: AuthContext, q: { limit: number }) {
  const rows = await repo.listThreads(ctx.db, auth.organizationId, q.limit);
  return { threads: rows.map((r) => ({ ...r, lastAt: iso(r.lastAt) })) };
}

/** The conversation with one number, oldest first; opening it marks its inbound texts read. */
export async function openThread(ctx: AppContext, auth: AuthContext, number: string, q: { limit: number }) {
  const [messages, optedOut] = await Promise.all([
    repo.threadMessages(ctx.db, auth.organizationId, number, q.limit),
    isOptedOut(ctx.db, auth.organizationId, number),
  ]);
  // A number this organization never texted with has no thread (another organization's is 404 too).
  if (messages.length === 0) throw notFound('Thread');
  await repo.markThreadRead(ctx.db, auth.organizationId, number);
  return { number, optedOut, messages: messages.map((m) => ({ ...m, createdAt: iso(m.createdAt) })) };
}
