import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { availableNumbers } from './catalog.js';
import { badRequest, found, newSid, rfc2822, twilioStores, type NumberDoc } from './shared.js';

const US_NUMBER = /^\+1[2-9]\d{9}$/;

const SearchQuery = z.object({
  AreaCode: z.string().regex(/^[2-9]\d{2}$/).optional(),
  InLocality: z.string().optional(),
  PageSize: z.coerce.number().int().min(1).max(1000).default(50),
});

const BuyBody = z.object({
  PhoneNumber: z.string().optional(),
  AreaCode: z.string().regex(/^[2-9]\d{2}$/).optional(),
  FriendlyName: z.string().optional(),
  VoiceUrl: z.string().optional(),
  VoiceMethod: z.enum(['GET', 'POST']).default('POST'),
  SmsUrl: z.string().optional(),
  SmsMethod: z.enum(['GET', 'POST']).default('POST'),
  StatusCallback: z.string().optional(),
  StatusCallbackMethod: z.enum(['GET', 'POST']).default('POST'),
  TrunkSid: z.string().optional(),
});

const SidParams = z.object({ accountSid: z.string(), sid: z.string() });

/** "+14155550123" → "(415) 555-0123", Twilio's default friendly name for a US number. */
const friendly = (e164: string) => `(${e164.slice(2, 5)}) ${e164.slice(5, 8)}-${e164.slice(8)}`;

/** AvailablePhoneNumbers/US/Local and IncomingPhoneNumbers of the 2010 API (prefix /Accounts/:accountSid). */
const numberRoutes: FastifyPluginAsyncZod = async (app) => {
  const stores = twilioStores(app.ctx.db);
  const ownedNumbers = async () => new Set((await stores.numbers.list({ limit: 10_000 })).map((n) => n.phone_number));

  app.get(
    '/AvailablePhoneNumbers/:country/Local.json',
    { schema: { hide: true, params: z.object({ accountSid: z.string(), country: z.string() }), querystring: SearchQuery } },
    async (request) => {
      const { AreaCode, InLocality, PageSize } = request.query;
      // The stock holds US numbers only: other countries have none for sale here.
      const numbers =
        request.params.country === 'US'
          ? availableNumbers({ areaCode: AreaCode, locality: InLocality, limit: PageSize }, await ownedNumbers())
          : [];
      // One page holds every match (the stock is small): Twilio's paging fields, with no next page.
      const uri = request.url.replace(/^\/sandbox\/twilio\/api/, '');
      return {
        available_phone_numbers: numbers,
        uri,
        first_page_uri: uri,
        next_page_uri: null,
        previous_page_uri: null,
        page: 0,
        page_size: PageSize,
        start: 0,
        end: Math.max(numbers.length - 1, 0),
      };
    },
  );

  app.post('/IncomingPhoneNumbers.json', { schema: { hide: true, body: BuyBody } }, async (request, reply) => {
    const body = request.body;
    const accountSid = app.ctx.config.twilio.accountSid!;
    let phoneNumber = body.PhoneNumber;
    if (!phoneNumber && body.AreaCode) {
      phoneNumber = availableNumbers({ areaCode: body.AreaCode, limit: 1 }, await ownedNumbers())[0]?.phone_number;
    }
    if (!phoneNumber && !body.AreaCode) throw badRequest(21452, 'A PhoneNumber or AreaCode is required');
    const sid = newSid('PN');
    // The index entry is the sale: claimed atomically, so two concurrent buyers of one number make one sale.
    if (!phoneNumber || !US_NUMBER.test(phoneNumber) || !(await stores.numberIndex.claim(phoneNumber, { sid }))) {
      throw badRequest(21422, `PhoneNumber ${phoneNumber ?? ''} is not available`);
    }
    const now = rfc2822(app.ctx.now());
    const doc: NumberDoc = {
      sid,
      account_sid: accountSid,
      friendly_name: body.FriendlyName ?? friendly(phoneNumber),
      phone_number: phoneNumber,
      voice_url: body.VoiceUrl ?? null,
      voice_method: body.VoiceMethod,
      voice_fallback_url: null,
      voice_fallback_method: 'POST',
      voice_caller_id_lookup: false,
      voice_application_sid: null,
      voice_receive_mode: 'voice',
      sms_url: body.SmsUrl ?? null,
      sms_method: body.SmsMethod,
      sms_fallback_url: null,
      sms_fallback_method: 'POST',
      sms_application_sid: null,
      status_callback: body.StatusCallback ?? null,
      status_callback_method: body.StatusCallbackMethod,
      trunk_sid: body.TrunkSid ?? null,
      capabilities: { voice: true, sms: true, mms: true, fax: false },
      address_requirements: 'none',
      address_sid: null,
      beta: false,
      bundle_sid: null,
      emergency_status: 'Inactive',
      emergency_address_sid: null,
      emergency_address_status: 'unregistered',
      identity_sid: null,
      origin: 'twilio',
      status: 'in-use',
      type: 'local',
      api_version: '2010-04-01',
      date_created: now,
      date_updated: now,
      uri: `/2010-04-01/Accounts/${accountSid}/IncomingPhoneNumbers/${sid}.json`,
      subresource_uris: { assigned_add_ons: `/2010-04-01/Accounts/${accountSid}/IncomingPhoneNumbers/${sid}/AssignedAddOns.json` },
    };
    await stores.numbers.put(sid, doc);
    return reply.status(201).send(doc);
  });

  app.get('/IncomingPhoneNumbers/:sid.json', { schema: { hide: true, params: SidParams } }, async (request) =>
    found(stores.numbers.get(request.params.sid), request.url),
  );

  app.delete('/IncomingPhoneNumbers/:sid.json', { schema: { hide: true, params: SidParams } }, async (request, reply) => {
    const number = await found(stores.numbers.get(request.params.sid), request.url);
    // Released numbers also leave their Messaging Service's sender pool.
    const index = await stores.numberIndex.get(number.phone_number);
    if (index?.messagingServiceSid) await stores.servicePhoneNumbers.delete(`${index.messagingServiceSid}:${number.sid}`);
    await stores.numbers.delete(number.sid);
    await stores.numberIndex.delete(number.phone_number);
    return reply.status(204).send();
  });
};

export default numberRoutes;
