import { randomBytes } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { badRequest, formBool, formList, found, iso8601, newSid, notFound, twilioPath, twilioStores } from './shared.js';

/**
 * The review rule of the sandbox (tests and the a2p-status job rely on it): a PENDING brand
 * or campaign is decided the first time it is fetched, with no delay. It FAILS when its text
 * contains "FAIL" (upper case) — for a brand, its business name (the customer profile's
 * friendly_name); for a campaign, its description — and is otherwise APPROVED (brand) or
 * VERIFIED (campaign).
 */
const failsReview = (text: string) => text.includes('FAIL');

/** An id in The Campaign Registry: "B" (brand) or "C" (campaign) and six characters. */
const tcrId = (prefix: 'B' | 'C') => prefix + randomBytes(3).toString('hex').toUpperCase();

const BundleBody = z.object({
  FriendlyName: z.string(),
  Email: z.string(),
  PolicySid: z.string().regex(/^RN[0-9a-fA-F]{32}$/),
  StatusCallback: z.string().optional(),
});

const BrandBody = z.object({
  CustomerProfileBundleSid: z.string(),
  A2PProfileBundleSid: z.string(),
  BrandType: z.enum(['STANDARD', 'LOW_VOLUME_STANDARD', 'SOLE_PROPRIETOR']).default('STANDARD'),
  Mock: formBool.default(false),
  SkipAutomaticSecVet: formBool.default(false),
});

const CampaignBody = z.object({
  BrandRegistrationSid: z.string(),
  Description: z.string().min(1),
  MessageFlow: z.string().min(1),
  MessageSamples: formList.pipe(z.array(z.string()).min(1)),
  UsAppToPersonUsecase: z.string(),
  HasEmbeddedLinks: formBool,
  HasEmbeddedPhone: formBool,
  OptInMessage: z.string().optional(),
  OptOutMessage: z.string().optional(),
  HelpMessage: z.string().optional(),
  OptInKeywords: formList,
  OptOutKeywords: formList,
  HelpKeywords: formList,
});

const Sid = z.object({ sid: z.string() });

/** TrustHub bundles, Messaging v1 BrandRegistrations and Usa2p campaigns: the A2P 10DLC registration. */
const a2pRoutes: FastifyPluginAsyncZod = async (app) => {
  const stores = twilioStores(app.ctx.db);
  const accountSid = () => app.ctx.config.twilio.accountSid!;

  const bundleKinds = [
    { path: 'CustomerProfiles', links: 'customer_profiles', store: stores.customerProfiles },
    { path: 'TrustProducts', links: 'trust_products', store: stores.trustProducts },
  ];
  for (const { path, links, store } of bundleKinds) {
    app.post(`/trusthub/v1/${path}`, { schema: { hide: true, body: BundleBody } }, async (request, reply) => {
      const sid = newSid('BU');
      const now = iso8601(app.ctx.now());
      const url = `https://trusthub.twilio.com/v1/${path}/${sid}`;
      const bundle = await store.put(sid, {
        sid,
        account_sid: accountSid(),
        policy_sid: request.body.PolicySid,
        friendly_name: request.body.FriendlyName,
        status: 'draft',
        email: request.body.Email,
        status_callback: request.body.StatusCallback ?? null,
        valid_until: null,
        errors: null,
        date_created: now,
        date_updated: now,
        url,
        links: {
          [`${links}_entity_assignments`]: `${url}/EntityAssignments`,
          [`${links}_evaluations`]: `${url}/Evaluations`,
          [`${links}_channel_endpoint_assignment`]: `${url}/ChannelEndpointAssignments`,
        },
      });
      return reply.status(201).send(bundle);
    });
    app.get(`/trusthub/v1/${path}/:sid`, { schema: { hide: true, params: Sid } }, async (request) =>
      found(store.get(request.params.sid), request.url),
    );
  }

  app.post('/messaging/v1/a2p/BrandRegistrations', { schema: { hide: true, body: BrandBody } }, async (request, reply) => {
    const body = request.body;
    if (!(await stores.customerProfiles.get(body.CustomerProfileBundleSid))) {
      throw badRequest(20001, `Invalid parameter CustomerProfileBundleSid: ${body.CustomerProfileBundleSid} was not found`);
    }
    if (!(await stores.trustProducts.get(body.A2PProfileBundleSid))) {
      throw badRequest(20001, `Invalid parameter A2PProfileBundleSid: ${body.A2PProfileBundleSid} was not found`);
    }
    const sid = newSid('BN');
    const now = iso8601(app.ctx.now());
    const url = `https://messaging.twilio.com/v1/a2p/BrandRegistrations/${sid}`;
    const brand = await stores.brands.put(sid, {
      sid,
      account_sid: accountSid(),
      customer_profile_bundle_sid: body.CustomerProfileBundleSid,
      a2p_profile_bundle_sid: body.A2PProfileBundleSid,
      brand_type: body.BrandType,
      status: 'PENDING',
      tcr_id: null,
      failure_reason: null,
      errors: [],
      brand_score: null,
      brand_feedback: null,
      // Before vetting a brand is self-declared (twilio-oai's identity_status is never null).
      identity_status: 'SELF_DECLARED',
      russell_3000: false,
      government_entity: false,
      tax_exempt_status: null,
      skip_automatic_sec_vet: body.SkipAutomaticSecVet,
      mock: body.Mock,
      date_created: now,
      date_updated: now,
      url,
      links: { brand_vettings: `${url}/Vettings`, brand_registration_otps: `${url}/SmsOtp` },
    });
    return reply.status(201).send(brand);
  });

  app.get('/messaging/v1/a2p/BrandRegistrations/:sid', { schema: { hide: true, params: Sid } }, async (request) => {
    const brand = await found(stores.brands.get(request.params.sid), request.url);
    if (brand.status !== 'PENDING') return brand;
    const profile = await stores.customerProfiles.get(brand.customer_profile_bundle_sid);
    const reason = 'The brand could not be verified: the business name did not match public records.';
    const decided = failsReview(profile?.friendly_name ?? '')
      ? { status: 'FAILED', failure_reason: reason, errors: [{ description: reason, fields: ['business_name'] }] }
      : { status: 'APPROVED', tcr_id: tcrId('B'), brand_score: 75, identity_status: 'VERIFIED' };
    return stores.brands.put(brand.sid, { ...brand, ...decided, date_updated: iso8601(app.ctx.now()) });
  });

  const Usa2pParams = z.object({ serviceSid: z.string() });
  app.post(
    '/messaging/v1/Services/:serviceSid/Compliance/Usa2p',
    { schema: { hide: true, params: Usa2pParams, body: CampaignBody } },
    async (request, reply) => {
      const service = await found(stores.services.get(request.params.serviceSid), request.url);
      const body = request.body;
      const brand = await stores.brands.get(body.BrandRegistrationSid);
      if (!brand) throw badRequest(20001, `Invalid parameter BrandRegistrationSid: ${body.BrandRegistrationSid} was not found`);
      if (brand.status !== 'APPROVED') throw badRequest(20001, `Brand ${brand.sid} is ${brand.status}: a campaign needs an APPROVED brand`);
      const sid = newSid('QE');
      const now = iso8601(app.ctx.now());
      const campaign = await stores.campaigns.put(sid, {
        sid,
        account_sid: service.account_sid,
        brand_registration_sid: brand.sid,
        messaging_service_sid: service.sid,
        description: body.Description,
        message_samples: body.MessageSamples,
        us_app_to_person_usecase: body.UsAppToPersonUsecase,
        has_embedded_links: body.HasEmbeddedLinks,
        has_embedded_phone: body.HasEmbeddedPhone,
        subscriber_opt_in: false,
        age_gated: false,
        direct_lending: false,
        campaign_status: 'PENDING',
        campaign_id: null,
        is_externally_registered: false,
        rate_limits: {},
        message_flow: body.MessageFlow,
        opt_in_message: body.OptInMessage ?? null,
        opt_out_message: body.OptOutMessage ?? null,
        help_message: body.HelpMessage ?? null,
        opt_in_keywords: body.OptInKeywords,
        opt_out_keywords: body.OptOutKeywords,
        help_keywords: body.HelpKeywords,
        privacy_policy_url: null,
        terms_and_conditions_url: null,
        mock: false,
        errors: [],
        date_created: now,
        date_updated: now,
        url: `${service.url}/Compliance/Usa2p/${sid}`,
      });
      return reply.status(201).send(campaign);
    },
  );

  app.get(
    '/messaging/v1/Services/:serviceSid/Compliance/Usa2p/:sid',
    { schema: { hide: true, params: Usa2pParams.extend(Sid.shape) } },
    async (request) => {
      const campaign = await stores.campaigns.get(request.params.sid);
      // A campaign is found only under its own Messaging Service.
      if (campaign?.messaging_service_sid !== request.params.serviceSid) throw notFound(twilioPath(request.url));
      if (campaign.campaign_status !== 'PENDING') return campaign;
      const reason = 'The campaign description does not explain who sends the messages and why.';
      const decided = failsReview(campaign.description)
        ? { campaign_status: 'FAILED', errors: [{ description: reason, fields: ['description'] }] }
        : { campaign_status: 'VERIFIED', campaign_id: tcrId('C'), rate_limits: { att: { mps: 4, msg_class: 'T' }, tmobile: { brand_tier: 'LOW' } } };
      return stores.campaigns.put(campaign.sid, { ...campaign, ...decided, date_updated: iso8601(app.ctx.now()) });
    },
  );
};

export default a2pRoutes;
