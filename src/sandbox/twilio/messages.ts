import { finished } from 'node:stream/promises';
import type { FastifyInstance } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { sendTwilioWebhook, type Background } from './callbacks.js';
import { badRequest, E164, found, newSid, rfc2822, twilioStores, type MessageDoc, type TwilioStores } from './shared.js';

// Every parameter optional here: Twilio answers each missing one with its own error code.
const SendBody = z.object({
  To: z.string().optional(),
  From: z.string().optional(),
  Body: z.string().optional(),
  MessagingServiceSid: z.string().optional(),
  StatusCallback: z.string().optional(),
});
type SendBody = z.infer<typeof SendBody>;

/** The statuses an outbound message goes through once accepted, each posted to its StatusCallback. */
const DELIVERY_STEPS = ['queued', 'sent', 'delivered'] as const;

/** SMS segments: 160 GSM characters (153 when split), or 70 (67) when the text needs UCS-2. */
export function segmentCount(body: string): number {
  const ucs2 = /[^\x20-\x7e\n\r]/.test(body);
  const [single, part] = ucs2 ? [70, 67] : [160, 153];
  const length = [...body].length;
  return length <= single ? 1 : Math.ceil(length / part);
}

/** The form Twilio posts to a message's StatusCallback. */
const statusParams = (m: MessageDoc): Record<string, string> => ({
  AccountSid: m.account_sid,
  ApiVersion: '2010-04-01',
  From: m.from ?? '',
  To: m.to,
  MessageSid: m.sid,
  SmsSid: m.sid,
  MessageStatus: m.status,
  SmsStatus: m.status,
  ...(m.messaging_service_sid ? { MessagingServiceSid: m.messaging_service_sid } : {}),
  ...(m.error_code ? { ErrorCode: String(m.error_code) } : {}),
});

/** The sending number and service: From must be ours; without From, the service's pool supplies one. */
async function resolveSender(stores: TwilioStores, body: SendBody): Promise<{ from: string; serviceSid: string | null }> {
  const serviceSid = body.MessagingServiceSid ?? null;
  if (serviceSid && !(await stores.services.get(serviceSid))) {
    throw badRequest(21701, `The Messaging Service Sid ${serviceSid} is invalid.`);
  }
  if (body.From) {
    if (!(await stores.numberIndex.get(body.From))) {
      throw badRequest(21606, `The From phone number ${body.From} is not a valid, SMS-capable inbound phone number or short code for your account.`);
    }
    return { from: body.From, serviceSid };
  }
  if (!serviceSid) throw badRequest(21603, "A 'From' phone number is required.");
  const [pooled] = await stores.servicePhoneNumbers.list({ owner: serviceSid, limit: 1 });
  if (!pooled) throw badRequest(21704, 'The Messaging Service contains no phone numbers');
  return { from: String(pooled.phone_number), serviceSid };
}

/**
 * Moves a sent message through queued → sent → delivered, posting each status to its callback.
 * Once queued the message shows its sender (an "accepted" one had none yet).
 */
async function deliverMessage(app: FastifyInstance, stores: TwilioStores, sid: string, from: string, callbackUrl: string | undefined) {
  for (const status of DELIVERY_STEPS) {
    const current = await stores.messages.get(sid);
    if (!current) return;
    const now = rfc2822(app.ctx.now());
    const next: MessageDoc = { ...current, from, status, date_updated: now, ...(status === 'sent' ? { date_sent: now } : {}) };
    await stores.messages.put(sid, next);
    if (callbackUrl) await sendTwilioWebhook(app, stores, { kind: 'sms-status', url: callbackUrl, messageSid: sid, params: statusParams(next) });
  }
}

/** Messages of the 2010 API (prefix /Accounts/:accountSid): send, fetch. */
const messageRoutes: FastifyPluginAsyncZod<{ background: Background }> = async (app, { background }) => {
  const stores = twilioStores(app.ctx.db);

  app.post('/Messages.json', { schema: { hide: true, body: SendBody } }, async (request, reply) => {
    const body = request.body;
    if (!body.To) throw badRequest(21604, "A 'To' phone number is required.");
    if (!E164.test(body.To)) throw badRequest(21211, `Invalid 'To' Phone Number: ${body.To}`);
    if (!body.Body) throw badRequest(21602, 'Message body is required.');
    const { from, serviceSid } = await resolveSender(stores, body);
    const accountSid = app.ctx.config.twilio.accountSid!;
    const sid = newSid('SM');
    const now = rfc2822(app.ctx.now());
    const message: MessageDoc = {
      sid,
      account_sid: accountSid,
      api_version: '2010-04-01',
      // Through a Messaging Service alone, Twilio answers "accepted" and picks the sender later.
      from: body.From ? from : null,
      to: body.To,
      body: body.Body,
      status: body.From ? 'queued' : 'accepted',
      direction: 'outbound-api',
      messaging_service_sid: serviceSid,
      num_segments: String(segmentCount(body.Body)),
      num_media: '0',
      error_code: null,
      error_message: null,
      price: null,
      price_unit: 'USD',
      date_created: now,
      date_updated: now,
      date_sent: null,
      uri: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}.json`,
      subresource_uris: { media: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}/Media.json` },
    };
    await stores.messages.put(sid, message);
    // Callbacks start once this answer is written, so they never overtake it.
    background(async () => {
      await finished(reply.raw).catch(() => undefined);
      await deliverMessage(app, stores, sid, from, body.StatusCallback);
    });
    return reply.status(201).send(message);
  });

  app.get('/Messages/:sid.json', { schema: { hide: true, params: z.object({ accountSid: z.string(), sid: z.string() }) } }, async (request) =>
    found(stores.messages.get(request.params.sid), request.url),
  );
};

export default messageRoutes;
