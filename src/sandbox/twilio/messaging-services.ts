import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { badRequest, formBool, found, iso8601, newSid, twilioStores, type V1Doc } from './shared.js';

const CreateServiceBody = z.object({
  FriendlyName: z.string(),
  InboundRequestUrl: z.string().optional(),
  InboundMethod: z.enum(['GET', 'POST']).default('POST'),
  StatusCallback: z.string().optional(),
  UseInboundWebhookOnNumber: formBool.default(false),
});

/** Messaging v1 Services (prefix /messaging/v1): create, fetch, and add a number to the sender pool. */
const messagingServiceRoutes: FastifyPluginAsyncZod = async (app) => {
  const stores = twilioStores(app.ctx.db);

  app.post('/Services', { schema: { hide: true, body: CreateServiceBody } }, async (request, reply) => {
    const body = request.body;
    const sid = newSid('MG');
    const now = iso8601(app.ctx.now());
    const url = `https://messaging.twilio.com/v1/Services/${sid}`;
    const service: V1Doc = {
      sid,
      account_sid: app.ctx.config.twilio.accountSid!,
      friendly_name: body.FriendlyName,
      inbound_request_url: body.InboundRequestUrl ?? null,
      inbound_method: body.InboundMethod,
      fallback_url: null,
      fallback_method: 'POST',
      status_callback: body.StatusCallback ?? null,
      sticky_sender: true,
      mms_converter: true,
      smart_encoding: true,
      scan_message_content: 'inherit',
      fallback_to_long_code: true,
      area_code_geomatch: true,
      synchronous_validation: false,
      validity_period: 14400,
      usecase: 'undeclared',
      us_app_to_person_registered: false,
      use_inbound_webhook_on_number: body.UseInboundWebhookOnNumber,
      date_created: now,
      date_updated: now,
      url,
      links: {
        phone_numbers: `${url}/PhoneNumbers`,
        short_codes: `${url}/ShortCodes`,
        alpha_senders: `${url}/AlphaSenders`,
        us_app_to_person: `${url}/Compliance/Usa2p`,
        us_app_to_person_usecases: `${url}/Compliance/Usa2p/Usecases`,
        channel_senders: `${url}/ChannelSenders`,
      },
    };
    await stores.services.put(sid, service);
    return reply.status(201).send(service);
  });

  app.get('/Services/:sid', { schema: { hide: true, params: z.object({ sid: z.string() }) } }, async (request) =>
    found(stores.services.get(request.params.sid), request.url),
  );

  app.post(
    '/Services/:sid/PhoneNumbers',
    { schema: { hide: true, params: z.object({ sid: z.string() }), body: z.object({ PhoneNumberSid: z.string() }) } },
    async (request, reply) => {
      const service = await found(stores.services.get(request.params.sid), request.url);
      const number = await stores.numbers.get(request.body.PhoneNumberSid);
      if (!number) throw badRequest(21710, `The Phone Number ${request.body.PhoneNumberSid} was not found on this account`);
      const index = await stores.numberIndex.get(number.phone_number);
      if (index?.messagingServiceSid) {
        throw badRequest(21712, 'Phone Number or Short Code is associated with another Messaging Service');
      }
      const now = iso8601(app.ctx.now());
      const entry: V1Doc = {
        sid: number.sid,
        account_sid: service.account_sid,
        service_sid: service.sid,
        phone_number: number.phone_number,
        country_code: 'US',
        capabilities: ['SMS', 'MMS', 'Voice'],
        date_created: now,
        date_updated: now,
        url: `${service.url}/PhoneNumbers/${number.sid}`,
      };
      await stores.servicePhoneNumbers.put(`${service.sid}:${number.sid}`, entry, service.sid);
      await stores.numberIndex.put(number.phone_number, { sid: number.sid, messagingServiceSid: service.sid });
      return reply.status(201).send(entry);
    },
  );
};

export default messagingServiceRoutes;
