import { eq } from 'drizzle-orm';
import type { AppContext } from '../../context.js';
import { phoneNumbers } from '../../db/schema/index.js';
import { organizationWithUsage } from '../billing/usage.repo.js';
import { minutesOf, vapiStatusOf } from '../../domain/calls.js';
import { canPlaceCalls, hasFeature } from '../../domain/plans.js';
import { AppError, fieldError, notFound } from '../../errors.js';
import { ProviderError } from '../../providers/errors.js';
import type { AuthContext } from '../auth/sessions.js';
import { requireActiveAssistant } from '../assistants/assistant-sync.js';
import * as repo from './calls.repo.js';
import { textSentForCall } from '../missed-call-text/missed-call-text.repo.js';
import { searchCalls, type CallCursor, type CallFilters } from './call-search.repo.js';
import { followUpOfCall } from '../follow-ups/follow-ups.service.js';

const iso = (d: Date | null) => d?.toISOString() ?? null;

export async function getCall(ctx: AppContext, auth: AuthContext, id: string) {
  const call = await repo.findCall(ctx.db, auth.organizationId, id);
  if (!call) throw notFound('Call');
  const features = { transcripts: hasFeature(auth.plan, 'transcripts'), recordings: hasFeature(auth.plan, 'recordings') };
  const missedCallTextSentAt = await textSentForCall(ctx.db, auth.organizationId, call.id);
  return {
    call: {
      id: call.id,
      vapiCallId: call.vapiCallId,
      type: call.type,
      status: call.status,
      startedAt: iso(call.startedAt),
      endedAt: iso(call.endedAt),
      durationMinutes: call.durationSeconds === null ? null : minutesOf(call.durationSeconds),
      customerNumber: call.customerNumber,
      endedReason: call.endedReason,
      summary: call.summary,
      outcome: call.outcome ?? null,
      transcript: features.transcripts ? call.transcript : null,
      messages: features.transcripts ? (call.messages ?? []) : [],
      recordingUrl: features.recordings ? call.recordingUrl : null,
      missedCallTextSentAt: iso(missedCallTextSentAt),
    },
    followUp: await followUpOfCall(ctx, auth.organizationId, call.id),
    plan: auth.plan,
    features,
  };
}

const CURSOR_AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const encodeCursor = (c: { sortKey: string; id: string }) => Buffer.from(`${c.sortKey}|${c.id}`).toString('base64url');

export function decodeCursor(cursor: string): CallCursor {
  const [at, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  if (!at || !CURSOR_AT.test(at) || !id || !/^[0-9a-f-]{36}$/.test(id)) {
    throw fieldError('querystring.cursor', 'Invalid cursor: pass back nextCursor from the previous page', 'BAD_REQUEST');
  }
  return { at, id };
}

/** Newest start first, narrowed by the filters; `nextCursor` is null on the last page. */
export async function listCalls(ctx: AppContext, auth: AuthContext, q: CallFilters & { cursor?: string; limit: number }) {
  const rows = await searchCalls(ctx.db, auth.organizationId, q, q.limit + 1, q.cursor ? decodeCursor(q.cursor) : undefined);
  const page = rows.slice(0, q.limit);
  return {
    calls: page.map(({ sortKey: _, ...c }) => ({
      ...c,
      startedAt: iso(c.startedAt),
      endedAt: iso(c.endedAt),
      createdAt: c.createdAt.toISOString(),
      durationMinutes: c.durationSeconds === null ? null : minutesOf(c.durationSeconds),
    })),
    nextCursor: rows.length > q.limit ? encodeCursor(page.at(-1)!) : null,
  };
}

/** Dials a customer with the assistant, if the organization has minutes (or overage) left. */
export async function startOutboundCall(ctx: AppContext, auth: AuthContext, customerNumber: string) {
  const org = await organizationWithUsage(ctx.db, auth.organizationId);
  if (!org || !canPlaceCalls(org.org, org.usedSeconds)) {
    throw new AppError('PAYMENT_REQUIRED', 'No minutes left in this cycle and overage is off: upgrade or turn on overage to call');
  }
  const assistant = await requireActiveAssistant(ctx, auth.organizationId);
  const [number] = await ctx.db.select().from(phoneNumbers).where(eq(phoneNumbers.organizationId, auth.organizationId));
  if (!number?.vapiPhoneNumberId) throw new AppError('BAD_REQUEST', 'Provision a phone number before placing outbound calls');
  try {
    const call = await ctx.providers.vapi.createOutboundCall({
      assistantId: assistant.vapiAssistantId,
      phoneNumberId: number.vapiPhoneNumberId,
      customerNumber,
    });
    return { success: true as const, call: { id: call.id, status: call.status, customerNumber } };
  } catch (err) {
    throw new AppError('PROVIDER_ERROR', `VAPI could not place the call: ${err instanceof ProviderError ? err.message : 'unexpected error'}`);
  }
}

/** What the webhooks have seen of an outbound call; 404 until the first status arrives. */
export async function outboundStatus(ctx: AppContext, auth: AuthContext, vapiCallId: string) {
  const call = await repo.findCallByVapiId(ctx.db, auth.organizationId, vapiCallId);
  if (!call) throw new AppError('NOT_FOUND', 'No status yet for this call: try again in a moment');
  return {
    id: call.vapiCallId,
    status: vapiStatusOf(call.status),
    startedAt: iso(call.startedAt),
    endedAt: iso(call.endedAt),
    minutes: call.durationSeconds === null ? 0 : minutesOf(call.durationSeconds),
    endReason: call.endedReason,
  };
}
