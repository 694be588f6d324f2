import type { TwilioProvider } from './port.js';
import type { ProviderOptions } from '../index.js';

/** The only file that talks to Twilio. */
export function createTwilioProvider(_opts: ProviderOptions): TwilioProvider {
  return {};
}
