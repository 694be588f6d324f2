import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { formBool, found, iso8601, newSid, twilioStores, type V1Doc } from './shared.js';

const CreateTrunkBody = z.object({
  FriendlyName: z.string().optional(),
  DomainName: z.string().optional(),
  Secure: formBool.default(false),
  CnamLookupEnabled: formBool.default(false),
});

/** Elastic SIP Trunking v1 (prefix /trunking/v1): create and fetch a trunk. */
const trunkRoutes: FastifyPluginAsyncZod = async (app) => {
  const stores = twilioStores(app.ctx.db);

  app.post('/Trunks', { schema: { hide: true, body: CreateTrunkBody } }, async (request, reply) => {
    const body = request.body;
    const sid = newSid('TK');
    const now = iso8601(app.ctx.now());
    const url = `https://trunking.twilio.com/v1/Trunks/${sid}`;
    const trunk: V1Doc = {
      sid,
      account_sid: app.ctx.config.twilio.accountSid!,
      friendly_name: body.FriendlyName ?? null,
      domain_name: body.DomainName ?? null,
      disaster_recovery_method: null,
      disaster_recovery_url: null,
      secure: body.Secure,
      recording: { mode: 'do-not-record', trim: 'do-not-trim' },
      transfer_mode: 'disable-all',
      transfer_caller_id: 'from-transferee',
      cnam_lookup_enabled: body.CnamLookupEnabled,
      auth_type: '',
      auth_type_set: [],
      symmetric_rtp_enabled: false,
      date_created: now,
      date_updated: now,
      url,
      links: {
        origination_urls: `${url}/OriginationUrls`,
        credential_lists: `${url}/CredentialLists`,
        ip_access_control_lists: `${url}/IpAccessControlLists`,
        phone_numbers: `${url}/PhoneNumbers`,
        recording: `${url}/Recording`,
      },
    };
    await stores.trunks.put(sid, trunk);
    return reply.status(201).send(trunk);
  });

  app.get('/Trunks/:sid', { schema: { hide: true, params: z.object({ sid: z.string() }) } }, async (request) =>
    found(stores.trunks.get(request.params.sid), request.url),
  );
};

export default trunkRoutes;
