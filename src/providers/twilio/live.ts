import { setTimeout as sleep } from 'node:timers/promises';
import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient.js';
import type { MessageInstance } from 'twilio/lib/rest/api/v2010/account/message.js';
import type { IncomingPhoneNumberInstance } from 'twilio/lib/rest/api/v2010/account/incomingPhoneNumber.js';
import type { BrandRegistrationInstance } from 'twilio/lib/rest/messaging/v1/brandRegistration.js';
import type { UsAppToPersonInstance } from 'twilio/lib/rest/messaging/v1/service/usAppToPerson.js';
import type { TrunkInstance } from 'twilio/lib/rest/trunking/v1/trunk.js';
import type { ProviderOptions } from '../index.js';
import { ProviderError } from '../errors.js';
import { DEFAULT_RETRY, retryDelayMs, type RetryPolicy } from '../http.js';
import type {
  Brand,
  BrandStatus,
  BrandType,
  Campaign,
  CampaignStatus,
  OwnedNumber,
  SipTrunk,
  SmsMessage,
  TwilioProvider,
} from './port.js';

/** TrustHub policies Twilio publishes for A2P (the same in every account): secondary customer profile, A2P trust product. */
const CUSTOMER_PROFILE_POLICY_SID = 'RNdfbf3fae0e1107f8aded0e7cead80bf5';
const A2P_TRUST_PRODUCT_POLICY_SID = 'RNb0d4771c2c98518d916a3d4cd70a8f8b';
const DEFAULT_TOKEN_TTL_SECONDS = 3600;

/** `https://messaging.twilio.com/v1/…` → `${baseUrl}/messaging/v1/…`: the host's first label becomes a path segment. */
export function toEmulatorUrl(uri: string, baseUrl: string): string {
  const url = new URL(uri);
  if (!url.hostname.endsWith('.twilio.com')) return uri;
  const product = url.hostname.split('.')[0];
  return `${baseUrl}/${product}${url.pathname}${url.search}`;
}

/**
 * The SDK's HTTP client with two additions. In the sandbox every Twilio host is mapped onto the
 * emulator. Failed requests are retried: 429 for every method (Twilio refused before acting),
 * honoring Retry-After, which the SDK's own autoRetry ignores (so that stays off); 5xx and
 * network errors for GET only, since Twilio takes no idempotency key on writes and a POST that
 * answered 5xx may already have bought the number or sent the message.
 */
class TwilioHttpClient extends twilio.RequestClient {
  constructor(
    private readonly baseUrl: string | undefined,
    private readonly policy: RetryPolicy,
  ) {
    super({ timeout: policy.timeoutMs });
  }

  override async request<TData>(opts: RequestClient.RequestOptions<TData>) {
    const target = { ...opts, uri: this.baseUrl ? toEmulatorUrl(opts.uri, this.baseUrl) : opts.uri };
    const idempotent = opts.method === 'get';
    for (let attempt = 1; ; attempt++) {
      const last = attempt >= this.policy.attempts;
      let response;
      try {
        response = await super.request(target);
      } catch (err) {
        if (!idempotent || last) throw err;
        await sleep(retryDelayMs(attempt - 1, this.policy));
        continue;
      }
      const status = response.statusCode;
      const retryable = status === 429 || (status >= 500 && idempotent);
      if (!retryable || last) return response;
      const retryAfter = (response.headers as Record<string, string | undefined>)['retry-after'];
      await sleep(retryDelayMs(attempt - 1, this.policy, retryAfter));
    }
  }
}

/** What the SDK throws for a non-2xx answer (RestException, or TwilioServiceException for RFC 9457 bodies). */
interface TwilioFailure {
  status: number;
  code?: number;
  message?: string;
}
const isTwilioFailure = (err: unknown): err is TwilioFailure =>
  typeof err === 'object' && err !== null && typeof (err as { status?: unknown }).status === 'number';

/** Runs one SDK call; its failures become ProviderError with the HTTP status kept. */
async function call<T>(operation: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (err) {
    if (isTwilioFailure(err)) {
      const code = err.code ? ` (Twilio error ${err.code})` : '';
      throw new ProviderError('twilio', err.status, `${operation}: HTTP ${err.status} ${err.message ?? ''}${code}`, { cause: err });
    }
    throw new ProviderError('twilio', undefined, `${operation}: ${(err as Error).message}`, { cause: err });
  }
}

function required(value: string | undefined, name: string): string {
  if (!value) throw new ProviderError('twilio', undefined, `${name} is not set`);
  return value;
}

const toOwnedNumber = (n: IncomingPhoneNumberInstance): OwnedNumber => ({
  sid: n.sid,
  phoneNumber: n.phoneNumber,
  friendlyName: n.friendlyName,
  voiceUrl: n.voiceUrl || null,
  smsUrl: n.smsUrl || null,
  statusCallbackUrl: n.statusCallback || null,
  trunkSid: n.trunkSid || null,
});

/**
 * Twilio spells an available number's capabilities `voice`/`SMS`/`MMS` and an owned number's
 * `voice`/`sms`/`mms`; the SDK passes the JSON through, whatever its types say.
 */
const capability = (capabilities: object, name: 'voice' | 'sms' | 'mms') => {
  const flags = capabilities as Record<string, boolean | undefined>;
  return Boolean(flags[name] ?? flags[name.toUpperCase()]);
};

const toSipTrunk = (t: TrunkInstance): SipTrunk => ({ sid: t.sid, friendlyName: t.friendlyName, domainName: t.domainName || null });

const toSms = (m: MessageInstance): SmsMessage => ({
  sid: m.sid,
  from: m.from || null,
  to: m.to,
  body: m.body,
  status: m.status,
  direction: m.direction,
  numSegments: Number(m.numSegments) || 1,
  errorCode: m.errorCode ?? null,
  createdAt: m.dateCreated,
});

/** Twilio reports failures in `errors[]` (newer) or `failure_reason` (older): the first that says something. */
function firstError(errors: unknown[] | undefined, fallback?: string | null): string | null {
  const described = errors?.find((e): e is { description: string } => typeof (e as { description?: unknown })?.description === 'string');
  return described?.description ?? fallback ?? null;
}

const toBrand = (b: BrandRegistrationInstance): Brand => ({
  sid: b.sid,
  status: b.status as BrandStatus,
  brandType: b.brandType as BrandType,
  customerProfileBundleSid: b.customerProfileBundleSid,
  a2pProfileBundleSid: b.a2pProfileBundleSid,
  failureReason: b.status === 'FAILED' ? firstError(b.errors, b.failureReason) : null,
});

const toCampaign = (c: UsAppToPersonInstance): Campaign => ({
  sid: c.sid,
  messagingServiceSid: c.messagingServiceSid,
  brandSid: c.brandRegistrationSid,
  useCase: c.usAppToPersonUsecase,
  description: c.description,
  status: c.campaignStatus as CampaignStatus,
  campaignId: c.campaignId || null,
  failureReason: c.campaignStatus === 'FAILED' ? firstError(c.errors) : null,
});

/**
 * The only file that talks to Twilio, through the official SDK. In the sandbox the SDK's
 * requests go to the emulator at opts.baseUrl; otherwise to Twilio itself.
 */
export function createTwilioProvider(opts: ProviderOptions): TwilioProvider {
  const credentials = opts.config.twilio;
  const httpClient = new TwilioHttpClient(opts.baseUrl, DEFAULT_RETRY);
  // Built on first use: an install without Twilio credentials must still start.
  let client: twilio.Twilio | undefined;
  const sdk = () =>
    (client ??= twilio(required(credentials.accountSid, 'TWILIO_ACCOUNT_SID'), required(credentials.authToken, 'TWILIO_AUTH_TOKEN'), {
      httpClient,
    }));

  return {
    async searchLocalNumbers({ areaCode, locality, limit = 10 }) {
      const numbers = await call('search numbers', () =>
        sdk().availablePhoneNumbers('US').local.list({ areaCode: areaCode ? Number(areaCode) : undefined, inLocality: locality, limit }),
      );
      return numbers.map((n) => ({
        phoneNumber: n.phoneNumber,
        friendlyName: n.friendlyName,
        locality: n.locality || null,
        region: n.region || null,
        postalCode: n.postalCode || null,
        capabilities: { voice: capability(n.capabilities, 'voice'), sms: capability(n.capabilities, 'sms'), mms: capability(n.capabilities, 'mms') },
      }));
    },

    async buyNumber(input) {
      const bought = await call('buy number', () =>
        sdk().incomingPhoneNumbers.create({
          phoneNumber: input.phoneNumber,
          friendlyName: input.friendlyName,
          voiceUrl: input.voiceUrl,
          voiceMethod: input.voiceUrl ? 'POST' : undefined,
          smsUrl: input.smsUrl,
          smsMethod: input.smsUrl ? 'POST' : undefined,
          statusCallback: input.statusCallbackUrl,
          statusCallbackMethod: input.statusCallbackUrl ? 'POST' : undefined,
          trunkSid: input.trunkSid,
        }),
      );
      return toOwnedNumber(bought);
    },

    async getNumber(sid) {
      return toOwnedNumber(await call('get number', () => sdk().incomingPhoneNumbers(sid).fetch()));
    },

    async releaseNumber(sid) {
      await call('release number', () => sdk().incomingPhoneNumbers(sid).remove());
    },

    async createSipTrunk({ friendlyName, domainName }) {
      return toSipTrunk(await call('create SIP trunk', () => sdk().trunking.v1.trunks.create({ friendlyName, domainName })));
    },

    async getSipTrunk(sid) {
      return toSipTrunk(await call('get SIP trunk', () => sdk().trunking.v1.trunks(sid).fetch()));
    },

    async sendSms({ from, to, body, statusCallbackUrl, messagingServiceSid }) {
      const sent = await call('send SMS', () =>
        sdk().messages.create({ from, to, body, statusCallback: statusCallbackUrl, messagingServiceSid }),
      );
      return toSms(sent);
    },

    async getSms(sid) {
      return toSms(await call('get SMS', () => sdk().messages(sid).fetch()));
    },

    async createVoiceToken({ identity, ttlSeconds = DEFAULT_TOKEN_TTL_SECONDS, incomingAllow = false }) {
      const { AccessToken } = twilio.jwt;
      const token = new AccessToken(
        required(credentials.accountSid, 'TWILIO_ACCOUNT_SID'),
        required(credentials.apiKey, 'TWILIO_API_KEY'),
        required(credentials.apiSecret, 'TWILIO_API_SECRET'),
        { identity, ttl: ttlSeconds },
      );
      token.addGrant(
        new AccessToken.VoiceGrant({ outgoingApplicationSid: required(credentials.twimlAppSid, 'TWILIO_TWIML_APP_SID'), incomingAllow }),
      );
      return { token: token.toJwt(), identity, expiresIn: ttlSeconds };
    },

    async createMessagingService({ friendlyName, inboundRequestUrl, statusCallbackUrl }) {
      const service = await call('create messaging service', () =>
        sdk().messaging.v1.services.create({ friendlyName, inboundRequestUrl, statusCallback: statusCallbackUrl }),
      );
      return { sid: service.sid, friendlyName: service.friendlyName };
    },

    async addNumberToMessagingService(serviceSid, numberSid) {
      await call('add number to messaging service', () =>
        sdk().messaging.v1.services(serviceSid).phoneNumbers.create({ phoneNumberSid: numberSid }),
      );
    },

    async createBrand({ businessName, email, brandType }) {
      const profile = await call('create customer profile', () =>
        sdk().trusthub.v1.customerProfiles.create({ friendlyName: businessName, email, policySid: CUSTOMER_PROFILE_POLICY_SID }),
      );
      const trustProduct = await call('create A2P trust product', () =>
        sdk().trusthub.v1.trustProducts.create({ friendlyName: `${businessName} A2P`, email, policySid: A2P_TRUST_PRODUCT_POLICY_SID }),
      );
      const brand = await call('create brand', () =>
        sdk().messaging.v1.brandRegistrations.create({
          customerProfileBundleSid: profile.sid,
          a2PProfileBundleSid: trustProduct.sid,
          brandType,
        }),
      );
      return toBrand(brand);
    },

    async getBrand(sid) {
      return toBrand(await call('get brand', () => sdk().messaging.v1.brandRegistrations(sid).fetch()));
    },

    async createCampaign(input) {
      const campaign = await call('create campaign', () =>
        sdk().messaging.v1.services(input.messagingServiceSid).usAppToPerson.create({
          brandRegistrationSid: input.brandSid,
          description: input.description,
          messageFlow: input.messageFlow,
          messageSamples: input.messageSamples,
          usAppToPersonUsecase: input.useCase,
          hasEmbeddedLinks: input.hasEmbeddedLinks,
          hasEmbeddedPhone: input.hasEmbeddedPhone,
        }),
      );
      return toCampaign(campaign);
    },

    async getCampaign(messagingServiceSid, campaignSid) {
      return toCampaign(
        await call('get campaign', () => sdk().messaging.v1.services(messagingServiceSid).usAppToPerson(campaignSid).fetch()),
      );
    },
  };
}
