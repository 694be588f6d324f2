import { eq } from 'drizzle-orm';
import type { AppContext } from '../../context.js';
import { a2pRegistrations, phoneNumbers } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { ProviderError } from '../../providers/errors.js';
import type { AuthContext } from '../auth/sessions.js';
import * as repo from './sms.repo.js';
import { emitEvent } from '../webhook-endpoints/events.js';
import { consentKeyword } from '../../domain/sms-consent.js';
import { isOptedOut, recordOptIn, recordOptOut } from './sms-consent.repo.js';

/**
 * Sends from the organization's number, once its A2P campaign is approved (US carriers
 * require it), never to a number that texted STOP. Every feature that texts goes through here.
 */
export async function sendFromBusiness(ctx: AppContext, organizationId: string, input: { to: string; body: string }) {
  if (await isOptedOut(ctx.db, organizationId, input.to)) {
    throw new AppError('FORBIDDEN', 'This number texted STOP: it gets no texts until it texts START', {
      details: [{ field: 'body.to', message: 'Opted out of texts' }],
    });
  }
  const [registration] = await ctx.db.select().from(a2pRegistrations).where(eq(a2pRegistrations.organizationId, organizationId));
  if (registration?.status !== 'CAMPAIGN_APPROVED') {
    throw new AppError(
      'FORBIDDEN',
      `SMS needs an approved A2P campaign (status: ${registration?.status ?? 'NOT_STARTED'}). Complete A2P registration first.`,
    );
  }
  const [number] = await ctx.db.select().from(phoneNumbers).where(eq(phoneNumbers.organizationId, organizationId));
  if (!number) throw new AppError('BAD_REQUEST', 'Provision a phone number before sending SMS');
  let message;
  try {
    message = await ctx.providers.twilio.sendSms({
      from: number.number,
      to: input.to,
      body: input.body,
      statusCallbackUrl: `${ctx.config.appUrl}/api/webhooks/twilio/sms-status`,
      messagingServiceSid: registration.messagingServiceSid ?? undefined,
    });
  } catch (err) {
    if (err instanceof ProviderError && err.status === 400) throw new AppError('BAD_REQUEST', `Twilio refused the message: ${err.message}`);
    throw new AppError('PROVIDER_ERROR', `Twilio could not send the message: ${(err as Error).message}`);
  }
  await repo.insertMessage(ctx.db, {
    organizationId,
    direction: 'OUTBOUND',
    twilioSid: message.sid,
    from: message.from ?? number.number,
    to: message.to,
    body: input.body,
    status: message.status,
    segments: message.numSegments,
  });
  await repo.countSmsUsed(ctx.db, organizationId);
  return { success: true as const, messageSid: message.sid, status: message.status };
}

export const sendSms = (ctx: AppContext, auth: AuthContext, input: { to: string; body: string }) => sendFromBusiness(ctx, auth.organizationId, input);

export async function listSms(ctx: AppContext, auth: AuthContext, q: { page: number; limit: number; direction?: 'INBOUND' | 'OUTBOUND' }) {
  const { rows, total } = await repo.listMessages(ctx.db, auth.organizationId, q);
  return {
    logs: rows.map((m) => ({
      id: m.id,
      direction: m.direction,
      from: m.from,
      to: m.to,
      body: m.body,
      status: m.status,
      createdAt: m.createdAt.toISOString(),
    })),
    pagination: { page: q.page, limit: q.limit, total, totalPages: Math.ceil(total / q.limit) },
  };
}

/** An inbound SMS to one of our numbers: logged once; unknown numbers are ignored. STOP/START record consent. */
export async function receiveSms(ctx: AppContext, p: { MessageSid?: string; From?: string; To?: string; Body?: string; NumSegments?: string }) {
  if (!p.MessageSid || !p.To || !p.From) return false;
  const organizationId = await repo.organizationOfNumber(ctx.db, p.To);
  if (!organizationId) {
    ctx.log.warn({ to: p.To }, 'inbound SMS for a number we do not own');
    return false;
  }
  const inserted = await repo.insertMessage(ctx.db, {
    organizationId,
    direction: 'INBOUND',
    twilioSid: p.MessageSid,
    from: p.From,
    to: p.To,
    body: p.Body ?? '',
    status: 'received',
    segments: Number(p.NumSegments ?? 1) || 1,
  });
  const consent = inserted ? consentKeyword(p.Body ?? '') : undefined;
  if (consent === 'opt-out') await recordOptOut(ctx.db, organizationId, p.From);
  if (consent === 'opt-in') await recordOptIn(ctx.db, organizationId, p.From);
  if (inserted) await emitEvent(ctx, ctx.db, organizationId, 'sms.received', { message: { sid: p.MessageSid, from: p.From, to: p.To, body: p.Body ?? '' } }, { key: p.MessageSid });
  return inserted;
}

export const smsStatusChanged = (ctx: AppContext, p: { MessageSid?: string; MessageStatus?: string; ErrorCode?: string }) =>
  p.MessageSid && p.MessageStatus
    ? repo.advanceStatus(ctx.db, p.MessageSid, p.MessageStatus, p.ErrorCode ? Number(p.ErrorCode) || null : null)
    : Promise.resolve();
