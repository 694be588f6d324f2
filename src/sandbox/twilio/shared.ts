import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { sandboxStore } from '../store.js';

/**
 * What the Twilio emulator keeps: each document is the resource exactly as Twilio's API
 * answers it (snake_case JSON), so stored documents are returned as they are.
 */

export type NumberDoc = {
  sid: string;
  account_sid: string;
  friendly_name: string;
  phone_number: string;
  voice_url: string | null;
  voice_method: string;
  sms_url: string | null;
  sms_method: string;
  status_callback: string | null;
  status_callback_method: string;
  trunk_sid: string | null;
  capabilities: { voice: boolean; sms: boolean; mms: boolean; fax: boolean };
  date_created: string;
  date_updated: string;
  uri: string;
} & Record<string, unknown>;

export type MessageDoc = {
  sid: string;
  account_sid: string;
  /** null while a message sent through a Messaging Service waits for its sender. */
  from: string | null;
  to: string;
  body: string;
  status: string;
  direction: string;
  messaging_service_sid: string | null;
  num_segments: string;
  error_code: number | null;
  error_message: string | null;
  price: string | null;
  price_unit: string;
  date_created: string;
  date_updated: string;
  date_sent: string | null;
  uri: string;
  subresource_uris: { media: string };
} & Record<string, unknown>;

/** A v1 resource (trunk, messaging service, bundle, brand, campaign): only what the emulator reads is typed. */
export type V1Doc = { sid: string; account_sid: string; date_created: string; date_updated: string; url: string } & Record<string, unknown>;

/** A webhook the emulator sent, with the status our route answered (null: unreachable). */
export type DeliveryDoc = {
  id: string;
  kind: 'sms-status' | 'sms-inbound';
  url: string;
  messageSid: string;
  params: Record<string, string>;
  /** The X-Twilio-Signature sent. */
  signature: string;
  status: number | null;
  sentAt: string;
};

export function twilioStores(db: Db) {
  return {
    numbers: sandboxStore<NumberDoc>(db, 'twilio', 'incoming_phone_number'),
    /** E.164 → our number's sid and the Messaging Service whose pool holds it, found without scanning. */
    numberIndex: sandboxStore<{ sid: string; messagingServiceSid?: string }>(db, 'twilio', 'number_index'),
    messages: sandboxStore<MessageDoc>(db, 'twilio', 'message'),
    trunks: sandboxStore<V1Doc>(db, 'twilio', 'trunk'),
    services: sandboxStore<V1Doc>(db, 'twilio', 'messaging_service'),
    /** Sender-pool entries, id `${serviceSid}:${numberSid}`, owner the service sid. */
    servicePhoneNumbers: sandboxStore<V1Doc>(db, 'twilio', 'service_phone_number'),
    /** TrustHub bundles (BU sids): the business's customer profile and its A2P trust product. */
    customerProfiles: sandboxStore<V1Doc & { friendly_name: string }>(db, 'twilio', 'customer_profile'),
    trustProducts: sandboxStore<V1Doc & { friendly_name: string }>(db, 'twilio', 'trust_product'),
    brands: sandboxStore<V1Doc & { status: string; customer_profile_bundle_sid: string }>(db, 'twilio', 'brand_registration'),
    campaigns: sandboxStore<V1Doc & { campaign_status: string; description: string; messaging_service_sid: string }>(db, 'twilio', 'usa2p'),
    /** Owner: the message sid, so one message's callbacks are listed together. */
    deliveries: sandboxStore<DeliveryDoc>(db, 'twilio', 'delivery'),
  };
}
export type TwilioStores = ReturnType<typeof twilioStores>;

/** A Twilio SID: two-letter type prefix + 32 hex digits. */
export const newSid = (prefix: string) => `${prefix}${randomBytes(16).toString('hex')}`;

/** The 2010 API's dates, RFC 2822: "Thu, 24 Aug 2023 05:01:45 +0000". */
export const rfc2822 = (date: Date) => date.toUTCString().replace('GMT', '+0000');
/** The v1 APIs' dates, ISO 8601 to the second: "2023-08-24T05:01:45Z". */
export const iso8601 = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

export const E164 = /^\+[1-9]\d{6,14}$/;

/** A form list parameter: one value arrives as a string, several as an array. */
export const formList = z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(z.string()));
/** A form boolean, sent by the SDK as "true"/"false". */
export const formBool = z.stringbool();

/** An error answered in Twilio's shape: `{ code, message, more_info, status }`. */
export class TwilioApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export const errorBody = (status: number, code: number, message: string) => ({
  code,
  message,
  more_info: `https://www.twilio.com/docs/errors/${code}`,
  status,
});

/** Twilio's 404 names the path that was asked for (without our /sandbox/twilio/<host> prefix). */
export const notFound = (path: string) => new TwilioApiError(404, 20404, `The requested resource ${path} was not found`);
export const badRequest = (code: number, message: string) => new TwilioApiError(400, code, message);

/** The request path as Twilio would see it: /sandbox/twilio/api/2010-04-01/… → /2010-04-01/…. */
export const twilioPath = (url: string) => url.split('?')[0]!.replace(/^\/sandbox\/twilio\/[a-z]+/, '');

/** Answers every error inside the emulator as Twilio would, never as our own API does. */
export function installTwilioErrorHandler(app: FastifyInstance) {
  app.setErrorHandler((err, _request, reply) => {
    if (err instanceof TwilioApiError) return reply.status(err.status).send(errorBody(err.status, err.code, err.message));
    if (hasZodFastifySchemaValidationErrors(err)) {
      const issue = err.validation[0];
      const param = String(issue?.instancePath ?? '').split('/').filter(Boolean)[0] ?? err.validationContext;
      const missing = issue?.keyword === 'required' || /received undefined/.test(issue?.message ?? '');
      const message = missing ? `Missing required parameter ${param} in the post body` : `Invalid parameter ${param}: ${issue?.message}`;
      return reply.status(400).send(errorBody(400, 20001, message));
    }
    const status = (err as { statusCode?: number }).statusCode;
    if (status && status >= 400 && status < 500) return reply.status(status).send(errorBody(status, 20001, (err as Error).message));
    app.log.error({ err }, 'twilio emulator error');
    return reply.status(500).send(errorBody(500, 20500, 'Internal Server Error'));
  });
}

/** Loads a document or fails with Twilio's 404 for the requested path. */
export async function found<T>(doc: Promise<T | undefined>, url: string): Promise<T> {
  const value = await doc;
  if (!value) throw notFound(twilioPath(url));
  return value;
}
