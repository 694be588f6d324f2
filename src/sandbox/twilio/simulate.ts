import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { geographyOf } from './catalog.js';
import { sendTwilioWebhook } from './callbacks.js';
import { segmentCount } from './messages.js';
import { E164, newSid, rfc2822, twilioStores, type MessageDoc, type TwilioStores } from './shared.js';

const InboundSms = z.object({
  from: z.string().regex(E164),
  to: z.string().regex(E164),
  body: z.string(),
});

const Delivery = z.object({
  id: z.string(),
  kind: z.enum(['sms-status', 'sms-inbound']),
  url: z.string(),
  messageSid: z.string(),
  params: z.record(z.string(), z.string()),
  signature: z.string(),
  status: z.number().nullable(),
  sentAt: z.string(),
});

/**
 * Where Twilio posts an SMS to one of our numbers: the Messaging Service's inbound URL when the
 * number is in a service that does not defer to the number, else the number's SmsUrl; our own
 * route for numbers the emulator does not know or that have none.
 */
async function inboundDestination(stores: TwilioStores, to: string, fallbackUrl: string) {
  const index = await stores.numberIndex.get(to);
  const number = index ? await stores.numbers.get(index.sid) : undefined;
  const service = index?.messagingServiceSid ? await stores.services.get(index.messagingServiceSid) : undefined;
  const serviceUrl = service && !service.use_inbound_webhook_on_number ? (service.inbound_request_url as string | null) : null;
  return { url: serviceUrl ?? number?.sms_url ?? fallbackUrl, serviceSid: service?.sid ?? null };
}

/** Sandbox-only controls (no key): play an inbound SMS, and list the webhooks the emulator sent. */
const simulateRoutes: FastifyPluginAsyncZod = async (app) => {
  const stores = twilioStores(app.ctx.db);
  const { config } = app.ctx;

  app.post(
    '/simulate-inbound-sms',
    {
      schema: {
        tags: ['Sandbox'],
        summary: 'Send an SMS to one of our Twilio numbers: Twilio’s signed inbound-SMS webhook is posted',
        body: InboundSms,
        response: { 200: z.object({ messageSid: z.string(), url: z.string(), status: z.number().nullable() }) },
      },
    },
    async (request) => {
      const { from, to, body } = request.body;
      const destination = await inboundDestination(stores, to, `${config.appUrl}/api/webhooks/twilio/sms-inbound`);
      const sid = newSid('SM');
      const now = rfc2822(app.ctx.now());
      const message: MessageDoc = {
        sid,
        account_sid: config.twilio.accountSid!,
        api_version: '2010-04-01',
        from,
        to,
        body,
        status: 'received',
        direction: 'inbound',
        messaging_service_sid: destination.serviceSid,
        num_segments: String(segmentCount(body)),
        num_media: '0',
        error_code: null,
        error_message: null,
        price: null,
        price_unit: 'USD',
        date_created: now,
        date_updated: now,
        date_sent: now,
        uri: `/2010-04-01/Accounts/${config.twilio.accountSid}/Messages/${sid}.json`,
        subresource_uris: { media: `/2010-04-01/Accounts/${config.twilio.accountSid}/Messages/${sid}/Media.json` },
      };
      await stores.messages.put(sid, message);
      const place = (prefix: 'From' | 'To', e164: string) =>
        Object.fromEntries(Object.entries(geographyOf(e164)).map(([k, v]) => [`${prefix}${k}`, v]));
      const params: Record<string, string> = {
        ...place('To', to),
        ...place('From', from),
        SmsMessageSid: sid,
        SmsSid: sid,
        MessageSid: sid,
        AccountSid: message.account_sid,
        ...(destination.serviceSid ? { MessagingServiceSid: destination.serviceSid } : {}),
        From: from,
        To: to,
        Body: body,
        NumMedia: '0',
        NumSegments: message.num_segments,
        SmsStatus: 'received',
        ApiVersion: '2010-04-01',
      };
      const status = await sendTwilioWebhook(app, stores, { kind: 'sms-inbound', url: destination.url, messageSid: sid, params });
      return { messageSid: sid, url: destination.url, status };
    },
  );

  app.get(
    '/deliveries',
    {
      schema: {
        tags: ['Sandbox'],
        summary: 'Webhooks the Twilio emulator sent (oldest first), with the status our route answered',
        querystring: z.object({ messageSid: z.string().optional() }),
        response: { 200: z.object({ deliveries: z.array(Delivery) }) },
      },
    },
    async (request) => {
      const newestFirst = await stores.deliveries.list({ owner: request.query.messageSid, limit: 1000 });
      return { deliveries: newestFirst.reverse() };
    },
  );
};

export default simulateRoutes;
