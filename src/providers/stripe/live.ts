import type { StripeProvider } from './port.js';
import type { ProviderOptions } from '../index.js';

/** The only file that talks to Stripe. */
export function createStripeProvider(_opts: ProviderOptions): StripeProvider {
  return {};
}
