import type { CalcomProvider } from './port.js';
import type { ProviderOptions } from '../index.js';

/** The only file that talks to Cal.com. */
export function createCalcomProvider(_opts: ProviderOptions): CalcomProvider {
  return {};
}
