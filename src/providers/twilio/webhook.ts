// The SDK's webhook helpers alone: the full SDK (HTTP client and all) loads only when a Twilio API is called.
import { getExpectedTwilioSignature, validateRequest } from 'twilio/lib/webhooks/webhooks.js';

/**
 * Twilio's webhook signature, from the SDK's own pure-crypto helpers (no HTTP client involved):
 * base64 HMAC-SHA1 with the auth token over the exact URL Twilio called followed by every
 * POST parameter, sorted by name, as name+value.
 */

/** Form parameters of a webhook: repeated names arrive as arrays. */
export type TwilioParams = Record<string, string | string[]>;

export const TWILIO_SIGNATURE_HEADER = 'x-twilio-signature';

/** The X-Twilio-Signature Twilio would send for these parameters posted to url. */
export function signTwilioRequest(authToken: string, url: string, params: TwilioParams): string {
  return getExpectedTwilioSignature(authToken, url, params);
}

/**
 * True when signature is Twilio's for url + params. The url must be the public one Twilio
 * called (APP_URL + path + query); the SDK also tries it with and without the default port.
 */
export function verifyTwilioRequest(
  authToken: string | undefined,
  signature: string | undefined,
  url: string,
  params: TwilioParams,
): boolean {
  if (!authToken || !signature) return false;
  return validateRequest(authToken, signature, url, params);
}
